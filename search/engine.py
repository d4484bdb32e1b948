"""The search itself: match, restrict to what the requester may see, rank, page, count.

One query path per database. On PostgreSQL the documents' stored vectors are
matched under their GIN index, and every candidate is checked against the
live page row with `library.access.filter_visible` in a correlated EXISTS (so
the index drives the plan, and access is decided at query time: unpublishing,
a tier change or a withdrawn consent hide an item on the next request,
without reindexing). Elsewhere (SQLite, or Elasticsearch/OpenSearch through
`SEARCH_BACKEND_URL`) Wagtail's search backend does the matching, on the same
`search_fields`, and the same access filter is applied to its results.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from wagtail.models import Page

from library.access import filter_visible
from library.models import FilmPage, GuidePage
from search import query as query_module
from search.configs import config_for
from search.models import Kind, SearchDocument

#: Most candidates the non-PostgreSQL path takes from Wagtail's backend.
FALLBACK_MAX_RESULTS = 2000


@dataclass
class Scope:
    """What the request restricts the search to, besides the text."""

    requester: object
    locale: str
    kinds: tuple = (Kind.FILM, Kind.GUIDE, Kind.PAGE)
    #: Extra conditions on films / guides (the library filters); None excludes the kind.
    film_q: Q | None = field(default_factory=Q)
    guide_q: Q | None = field(default_factory=Q)
    pages: bool = True

    def visible_exists(self, kind, outer="page_id"):
        if kind == Kind.FILM:
            queryset = filter_visible(FilmPage.objects.filter(self.film_q), self.requester)
        elif kind == Kind.GUIDE:
            queryset = filter_visible(GuidePage.objects.filter(self.guide_q), self.requester)
        else:
            # Other pages have no tier: live, and under no view restriction.
            queryset = Page.objects.live().public()
        return Exists(queryset.filter(pk=OuterRef(outer)))

    def active_kinds(self):
        wanted = []
        for kind in self.kinds:
            if (
                (kind == Kind.FILM and self.film_q is None)
                or (kind == Kind.GUIDE and self.guide_q is None)
                or (kind == Kind.PAGE and not self.pages)
            ):
                continue
            wanted.append(kind)
        return wanted

    def visible_q(self, outer="page_id"):
        """Documents of the wanted kinds whose page the requester may see (and that pass the filters)."""
        kinds = self.active_kinds()
        if not kinds:
            return Q(pk__in=[])
        return reduce(or_, (Q(kind=kind) & self.visible_exists(kind, outer) for kind in kinds))

    def documents(self):
        return SearchDocument.objects.filter(locale=self.locale).filter(self.visible_q())


@dataclass
class Match:
    """The visible documents that matched, as a queryset ordered by relevance."""

    documents: object
    attempt: query_module.Attempt
    config: str


def uses_postgres_path():
    from django.conf import settings

    return connection.vendor == "postgresql" and not settings.SEARCH_BACKEND_URL


def _postgres_match(scope, attempt):
    documents = scope.documents().filter(search_vector=attempt.query)
    # Normalisation 1 divides by 1 + log(length): a film with long captions
    # does not outrank one whose title and synopsis say the same.
    rank = SearchRank(F("search_vector"), attempt.query, normalization=1)
    return documents.annotate(rank=rank).order_by("-rank", "page_id")


def _fallback_match(scope, text):
    """Wagtail's backend ranks; the same visibility filter keeps only what may be seen."""
    from django.db.models import Case, FloatField, Value, When

    from wagtail.models import Locale
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    # A plain column filter: Wagtail's backends only filter on declared FilterFields.
    locale_id = Locale.objects.filter(language_code=scope.locale).values_list("pk", flat=True).first()
    pages = Page.objects.filter(locale_id=locale_id)
    results = backend.search(text, pages, operator="and").annotate_score("_score")[:FALLBACK_MAX_RESULTS]
    scores = {page.pk: float(getattr(page, "_score", 0) or 0) for page in results}
    if not scores:
        return scope.documents().none().annotate(rank=Value(0.0, output_field=FloatField()))
    rank = Case(
        *(When(page_id=pk, then=Value(score)) for pk, score in scores.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return scope.documents().filter(page_id__in=list(scores)).annotate(rank=rank).order_by("-rank", "page_id")


def match(scope, text):
    """The first attempt that finds something (exact, corrected, prefix, any word)."""
    config = config_for(scope.locale)
    attempt = query_module.first_attempt(text, config)
    if not uses_postgres_path():
        return Match(_fallback_match(scope, text), attempt, config)
    documents = _postgres_match(scope, attempt)
    if documents.exists():
        return Match(documents, attempt, config)
    for fallback in query_module.fallbacks(text, config):
        candidate = _postgres_match(scope, fallback)
        if candidate.exists():
            return Match(candidate, fallback, config)
    return Match(documents, attempt, config)
