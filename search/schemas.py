"""Typed request and response shapes of the search endpoints (they make the OpenAPI document)."""

from typing import Literal

from ninja import Field, Schema
from pydantic import create_model, field_validator

from django.conf import settings

from library.api.filters import FilmFilters
from search.query import MAX_QUERY_LENGTH, clean

TypeLiteral = Literal["film", "guide", "page"]
#: Filters that only films have: with one of them set, guides and pages drop out.
FILM_ONLY = (
    "genre",
    "action_type",
    "year_min",
    "year_max",
    "spoken_language",
    "has_captions",
    "has_audio_description",
    "has_sign_language",
    "licence",
)
#: Filters films and guides share: with one of them set, other pages drop out.
LIBRARY_COMMON = ("coordination", "theme", "audience", "age_group", "tier")


class _SearchFields(Schema):
    q: str = Field(..., max_length=MAX_QUERY_LENGTH, description="What to look for (French or English words).")
    type: list[TypeLiteral] = Field(default_factory=list, description="Kinds to search (repeat); all by default.")
    ordering: Literal["relevance", "title", "-title"] = "relevance"

    @field_validator("q")
    @classmethod
    def not_empty(cls, value):
        value = clean(value)
        if not value:
            raise ValueError("q is empty: type a word to search for")
        return value

    @property
    def language(self):
        return self.locale or settings.LANGUAGE_CODE

    def film_filters(self):
        """The same object the films endpoint builds (its validators run here too: bad input is a 422)."""
        return FilmFilters(**{name: getattr(self, name) for name in FILTER_NAMES})


#: Every filter of the films endpoint, taken from its schema so both stay the same.
FILTER_NAMES = [name for name in FilmFilters.model_fields if name != "ordering"]

#: The films endpoint's filters (and paging), plus the text and the kinds searched.
#: Built from `FilmFilters`' fields rather than subclassed: its `q()` method would clash with `q`.
SearchParams = create_model(
    "SearchParams",
    __base__=_SearchFields,
    **{name: (FilmFilters.model_fields[name].annotation, FilmFilters.model_fields[name]) for name in FILTER_NAMES},
)


class SuggestParams(Schema):
    q: str = Field(..., max_length=100, description="The beginning of a word or title.")
    locale: str | None = None
    limit: int = Field(8, ge=1, le=20)

    @field_validator("q")
    @classmethod
    def not_empty(cls, value):
        value = clean(value)
        if len(value) < 2:
            raise ValueError("q needs at least 2 characters")
        return value

    @field_validator("locale")
    @classmethod
    def known_locale(cls, value):
        codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        if value is not None and value not in codes:
            raise ValueError(f"locale must be one of {', '.join(codes)}")
        return value


class SearchHit(Schema):
    id: int
    type: TypeLiteral
    title: str
    locale: str
    score: float
    snippet: str = Field(description="HTML extract; the words that matched are in <mark>.")
    matched_in: list[str] = Field(description="Fields the query matched, most significant first.")
    detail_url: str | None = None


class FacetBucket(Schema):
    value: str
    label: str
    count: int


class Facets(Schema):
    type: list[FacetBucket]
    coordination: list[FacetBucket]
    theme: list[FacetBucket]
    audience: list[FacetBucket]
    genre: list[FacetBucket]
    year: list[FacetBucket]
    language: list[FacetBucket]
    accessibility: list[FacetBucket]


class SearchResults(Schema):
    query: str = Field(description="What was typed (cleaned).")
    searched_for: str = Field(description="What was searched: differs from `query` after a correction or a loosening.")
    did_you_mean: str | None = Field(None, description="A spelling correction, when one was applied.")
    any_word: bool = Field(False, description="True when results match some of the words, not all.")
    count: int
    items: list[SearchHit]
    facets: Facets


class Suggestion(Schema):
    text: str
    type: str = Field(description="film, guide, page, theme, audience, genre, action_type, age_group or coordination.")
    id: int
    slug: str | None = None


class Suggestions(Schema):
    query: str
    items: list[Suggestion]
