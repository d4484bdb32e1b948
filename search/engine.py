"""The search itself: match, keep what the requester may see, rank, count.

Two steps, so each query uses the index it needs. First the text: on
PostgreSQL the stored vectors are matched under their GIN index, returning
(page, kind, rank) for every matching document of the locale. Then access:
the candidate ids of each kind go through `library.access.rules.filter_visible`
(plus the library filters) as a primary-key lookup. Checking access in a
correlated EXISTS inside the text query looked tidier, but PostgreSQL turns
the OR of three EXISTS into hashed subplans that read every visible film on
each query; the two-step form reads only the candidates.

Access is decided at query time, from the live page rows and the consent
register, so unpublishing, a tier change or a withdrawn consent hide an item
on the next request without reindexing. Elsewhere than PostgreSQL (SQLite,
or Elasticsearch/OpenSearch through `SEARCH_BACKEND_URL`) Wagtail's search
backend does the matching, on the same `search_fields`, and the same access
step follows.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from wagtail.models import Locale, Page

from library.access.rules import filter_visible
from library.models import FilmPage, GuidePage
from search import query as query_module
from search.configs import config_for
from search.models import Kind, SearchDocument

#: Most candidates the non-PostgreSQL path takes from Wagtail's backend.
FALLBACK_MAX_RESULTS = 2000
#: What Wagtail's backend is given of the visitor's text: its words.
BACKEND_WORD_RE = re.compile(r"\w+", re.UNICODE)
#: French elisions ("l'atelier", "qu'un"): the article is not a word to match.
ELISION_RE = re.compile(r"\b(?:[cdjlmnst]|qu)['’]", re.IGNORECASE)
#: Above this many candidates, ids go to PostgreSQL as one array parameter, not a list. A common word
#: matches hundreds of items, and each facet query repeats the ids: as lists of that size, building the
#: queries' text (one parameter per id) cost more than the queries themselves (bench_load: a search took
#: 150 ms with lists of a few hundred ids, 60 ms with arrays).
MAX_ID_LIST = 100


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

    def active_kinds(self):
        excluded = {
            Kind.FILM: self.film_q is None,
            Kind.GUIDE: self.guide_q is None,
            Kind.PAGE: not self.pages,
        }
        return [kind for kind in self.kinds if not excluded[kind]]

    def visible_queryset(self, kind):
        if kind == Kind.FILM:
            return filter_visible(FilmPage.objects.filter(self.film_q), self.requester)
        if kind == Kind.GUIDE:
            return filter_visible(GuidePage.objects.filter(self.guide_q), self.requester)
        # Other pages have no tier: live, and under no view restriction.
        return Page.objects.live().public()

    def visible_ids(self, kind, candidate_ids):
        """The subset of `candidate_ids` (pages of `kind`) the requester may see and the filters keep."""
        if not candidate_ids:
            return set()
        queryset = self.visible_queryset(kind).filter(ids_q(candidate_ids))
        return set(queryset.values_list("pk", flat=True).distinct())


def ids_q(ids, field="pk"):
    """`field IN ids`: a list of parameters when short, one array parameter when long (PostgreSQL)."""
    if len(ids) <= MAX_ID_LIST or connection.vendor != "postgresql":
        return Q(**{f"{field}__in": list(ids)})
    return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])})


@dataclass
class Match:
    """The visible documents that matched, ranked: [(page_id, kind, rank), ...]."""

    ranked: list
    attempt: query_module.Attempt
    config: str

    @property
    def count(self):
        return len(self.ranked)

    def ids_of(self, kind):
        return [page_id for page_id, doc_kind, _rank in self.ranked if doc_kind == kind]


def uses_postgres_path():
    return connection.vendor == "postgresql" and not settings.SEARCH_BACKEND_URL


def _visible(scope, candidates):
    """Keep the visible (page_id, kind, rank) candidates, best first."""
    kinds = scope.active_kinds()
    by_kind = {kind: [pk for pk, doc_kind, _rank in candidates if doc_kind == kind] for kind in kinds}
    visible = set()
    for kind, ids in by_kind.items():
        visible |= scope.visible_ids(kind, ids)
    ranked = [c for c in candidates if c[0] in visible and c[1] in by_kind]
    ranked.sort(key=lambda c: (-c[2], c[0]))
    return ranked


def candidate_queryset(scope, attempt):
    """The text query alone (GIN index): every matching document of the locale, with its rank."""
    documents = SearchDocument.objects.filter(locale=scope.locale, search_vector=attempt.query)
    kinds = scope.active_kinds()
    if len(kinds) < len(Kind.values):
        documents = documents.filter(kind__in=kinds)
    # Normalisation 1 divides by 1 + log(length): a film with long captions
    # does not outrank one whose title and synopsis say the same.
    rank = SearchRank(F("search_vector"), attempt.query, normalization=1)
    return documents.annotate(rank=rank).values_list("page_id", "kind", "rank")


def _postgres_candidates(scope, attempt):
    return [(pk, kind, float(rank)) for pk, kind, rank in candidate_queryset(scope, attempt)]


def backend_text(text):
    """The words of `text`, space-separated, for Wagtail's backend.

    Its SQLite backend (FTS5) wraps each word in double quotes without
    escaping a quote inside it, so a stray `"` made a syntax error and a 500.
    Quotes, `-`, `*`, `^` and parentheses mean nothing on this path (it has no
    `websearch` syntax), so only the words go through, without the elided
    articles of French ("l'atelier" searches "atelier").
    """
    return " ".join(BACKEND_WORD_RE.findall(ELISION_RE.sub(" ", text)))


def _fallback_candidates(scope, text):
    """Wagtail's backend matches and ranks; kinds come from the search documents."""
    from wagtail.search.backends import get_search_backend

    text = backend_text(text)
    if not text:
        return []

    # A plain column filter: Wagtail's backends only filter on declared FilterFields.
    locale_id = Locale.objects.filter(language_code=scope.locale).values_list("pk", flat=True).first()
    results = (
        get_search_backend()
        .search(text, Page.objects.filter(locale_id=locale_id), operator="and")
        .annotate_score("_score")[:FALLBACK_MAX_RESULTS]
    )
    scores = {page.pk: float(getattr(page, "_score", 0) or 0) for page in results}
    kinds = dict(SearchDocument.objects.filter(pk__in=list(scores)).values_list("page_id", "kind"))
    return [(pk, kinds[pk], score) for pk, score in scores.items() if pk in kinds]


def match(scope, text):
    """The first attempt that finds something visible (exact, corrected, prefix, any word)."""
    config = config_for(scope.locale)
    attempt = query_module.first_attempt(text, config)
    if not uses_postgres_path():
        return Match(_visible(scope, _fallback_candidates(scope, text)), attempt, config)
    ranked = _visible(scope, _postgres_candidates(scope, attempt))
    if ranked:
        return Match(ranked, attempt, config)
    for fallback in query_module.fallbacks(text, config, scope.requester):
        candidates = _visible(scope, _postgres_candidates(scope, fallback))
        if candidates:
            return Match(candidates, fallback, config)
    return Match([], attempt, config)
