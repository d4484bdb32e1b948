"""As-you-type suggestions: titles the requester may see, taxonomy terms, coordinations.

Titles are matched on their folded form (`title_norm`) by trigram word
similarity, ordered by distance with `LIMIT`: on PostgreSQL the GiST trigram
index returns candidates nearest first, and the access EXISTS is checked on
those few rows only, so the cost does not grow with the catalogue. Taxonomy
and coordinations are small tables, matched on their folded names.
"""

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordDistance
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Value

from library.models import ActionType, AgeGroup, Audience, CoordinationPage, Genre, Theme
from search.configs import normalise
from search.models import SearchDocument

TERM_MODELS = (
    ("theme", Theme),
    ("audience", Audience),
    ("genre", Genre),
    ("action_type", ActionType),
    ("age_group", AgeGroup),
)


#: Candidates read per round, nearest first, before the access check.
CANDIDATES = 40
ROUNDS = 4


def _titles(scope, text, limit):
    """Nearest titles first; candidates the requester may not see are skipped, never counted."""
    documents = SearchDocument.objects.filter(locale=scope.locale, kind__in=scope.active_kinds())
    if connection.vendor == "postgresql":
        # `%>` (pg_trgm.word_similarity_threshold) as the index condition and `<->>` alone as the
        # ordering: the GiST index then returns the nearest titles first and LIMIT stops the scan.
        documents = (
            documents.filter(TrigramWordSimilar(F("title_norm"), Value(text)))
            .annotate(distance=TrigramWordDistance(Value(text), "title_norm"))
            .order_by("distance")
        )
    else:
        documents = documents.filter(title_norm__contains=text).order_by("title")
    found = []
    for round_number in range(ROUNDS):
        start = round_number * CANDIDATES
        candidates = list(documents.values_list("page_id", "kind", "title")[start : start + CANDIDATES])
        visible = set()
        for kind in {kind for _pk, kind, _title in candidates}:
            visible |= scope.visible_ids(kind, [pk for pk, k, _title in candidates if k == kind])
        found += [
            {"text": title, "type": kind, "id": pk, "slug": None} for pk, kind, title in candidates if pk in visible
        ]
        if len(found) >= limit or len(candidates) < CANDIDATES:
            break
    return found[:limit]


#: Taxonomy and coordination names are public and change rarely: kept this many seconds per locale.
VOCABULARY_SECONDS = 60


def _vocabulary(locale):
    """[(folded name, entry)] of every taxonomy term and live, unrestricted coordination of `locale`."""
    key = f"search:suggest-vocabulary:{locale}"
    vocabulary = cache.get(key)
    if vocabulary is not None:
        return vocabulary
    vocabulary = []
    for kind, model in TERM_MODELS:
        for pk, name, slug in model.objects.filter(locale__language_code=locale).values_list("pk", "name", "slug"):
            vocabulary.append((normalise(name), {"text": name, "type": kind, "id": pk, "slug": slug}))
    coordinations = CoordinationPage.objects.live().public().filter(locale__language_code=locale)
    for pk, title in coordinations.values_list("pk", "title"):
        vocabulary.append((normalise(title), {"text": title, "type": "coordination", "id": pk, "slug": None}))
    cache.set(key, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def _terms(locale, text, limit):
    """Names containing `text`, those starting with it first."""
    found = [
        (not folded.startswith(text), entry["text"], entry) for folded, entry in _vocabulary(locale) if text in folded
    ]
    return [entry for *_key, entry in sorted(found, key=lambda f: (f[0], f[1]))][:limit]


def suggest(scope, text, limit=8):
    text = normalise(text).strip()
    if not text:
        return []
    names = _terms(scope.locale or settings.LANGUAGE_CODE, text, limit)
    shown = {entry["id"] for entry in names if entry["type"] == "coordination"}
    titles = [entry for entry in _titles(scope, text, limit) if entry["id"] not in shown]
    return titles + names
