"""Typed response schemas of the library API (they make the OpenAPI document).

Plain pydantic models rather than `ninja.Schema`: the views return dicts, so
Ninja's ORM-resolving validator (run on every nested object) is not needed,
and skipping it saves about a tenth of a list request's CPU time.
"""

from datetime import date, datetime

from pydantic import BaseModel as Schema


class Term(Schema):
    id: int
    slug: str
    name: str


class TaxonomyTerm(Term):
    description: str
    locale: str
    min_age: int | None = None
    max_age: int | None = None


class TaxonomyList(Schema):
    count: int
    items: list[TaxonomyTerm]


class CoordinationRef(Schema):
    id: int
    title: str
    slug: str


class Rendition(Schema):
    url: str
    width: int
    height: int


class Image(Schema):
    """A picture as named renditions; `srcset` lists the card sizes for `<img srcset>`."""

    id: int
    alt: str
    renditions: dict[str, Rendition]
    srcset: str | None = None


class Accessibility(Schema):
    captions: bool
    sdh: bool
    audio_description: bool
    sign_language: bool


class ItemMeta(Schema):
    """`locale` is the language the item is shown in; `fallback_fields` came from French."""

    type: str
    locale: str
    fallback_fields: list[str]
    detail_url: str


class FilmSummary(Schema):
    id: int
    title: str
    slug: str
    year: int
    synopsis: str
    easy_read_summary: str
    genre: Term | None
    action_type: Term | None
    themes: list[Term]
    audiences: list[Term]
    coordination: CoordinationRef | None
    poster: Image | None
    accessibility: Accessibility
    licence: str
    spoken_languages: list[str]
    #: Off when the rights holders allow streaming only: no download URL, a pack without the film.
    download_allowed: bool
    tier: str
    first_published_at: datetime | None
    meta: ItemMeta


class TermCount(Schema):
    slug: str
    name: str
    count: int


class CoordinationCount(TermCount):
    id: int


class YearCount(Schema):
    year: int
    count: int


class AccessibilityCounts(Schema):
    captions: int
    sdh: int
    audio_description: int
    sign_language: int


class FilmFacets(Schema):
    """How many films of the list carry each value; a facet's counts ignore its own filter."""

    coordination: list[CoordinationCount]
    theme: list[TermCount]
    audience: list[TermCount]
    genre: list[TermCount]
    action_type: list[TermCount]
    year: list[YearCount]
    #: `slug` is the language code of `spoken_language`.
    language: list[TermCount]
    accessibility: AccessibilityCounts


class FilmList(Schema):
    count: int
    items: list[FilmSummary]
    #: Only with `facets=true`.
    facets: FilmFacets | None = None


class Workshop(Schema):
    carrying_structure: str
    social_partner: str
    partner_cinema: str
    facilitators: str
    participants_count: int | None
    participants_age_min: int | None
    participants_age_max: int | None
    workshop_start: date | None
    workshop_end: date | None
    commune: str
    departement: str


class TextTrackInfo(Schema):
    id: int
    language: str
    kind: str
    label: str
    url: str


class VideoInfo(Schema):
    duration: float | None
    width: int | None
    height: int | None
    ready: bool
    renditions: list[str]
    text_tracks: list[TextTrackInfo]


class GuideRef(Schema):
    id: int
    title: str
    slug: str


class FilmDetail(FilmSummary):
    credits: str
    workshop: Workshop
    video: VideoInfo | None
    related_guides: list[GuideRef]
    embed_url: str | None
    oembed_url: str | None
    stream_urls: dict[str, str]
    download_urls: dict[str, str]
    screening_pack_url: str | None


class GuideDocumentInfo(Schema):
    id: int
    title: str
    language: str
    label: str
    page_count: int | None
    download_url: str | None


class GuideSummary(Schema):
    id: int
    title: str
    slug: str
    summary: str
    cover: Image | None
    themes: list[Term]
    audiences: list[Term]
    age_groups: list[Term]
    coordination: CoordinationRef | None
    tier: str
    first_published_at: datetime | None
    meta: ItemMeta


class GuideList(Schema):
    count: int
    items: list[GuideSummary]


class GuideDetail(GuideSummary):
    documents: list[GuideDocumentInfo]
    related_films: list[GuideRef]


class Contact(Schema):
    name: str
    role: str
    email: str
    phone: str


class Coordination(Schema):
    id: int
    title: str
    slug: str
    region: str
    carrying_structure: str
    territory: list[str]
    website: str
    logo: Image | None
    description: str
    is_placeholder: bool
    contacts: list[Contact]
    meta: ItemMeta


class CoordinationList(Schema):
    count: int
    items: list[Coordination]


class StreamInfo(Schema):
    url: str
    expires_in: int
