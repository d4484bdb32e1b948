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
from django.db import connection
from django.db.models import F, Value

from library.models import ActionType, AgeGroup, Audience, CoordinationPage, Genre, Theme
from search.configs import normalise

TERM_MODELS = (
    ("theme", Theme),
    ("audience", Audience),
    ("genre", Genre),
    ("action_type", ActionType),
    ("age_group", AgeGroup),
)
#: pg_trgm word similarity needed for a title to be suggested.
MIN_WORD_SIMILARITY = 0.3


def _titles(scope, text, limit):
    documents = scope.documents()
    if connection.vendor == "postgresql":
        documents = (
            documents.filter(TrigramWordSimilar(F("title_norm"), Value(text)))
            .annotate(distance=TrigramWordDistance(Value(text), "title_norm"))
            .filter(distance__lte=1 - MIN_WORD_SIMILARITY)
            .order_by("distance", "title")
        )
    else:
        documents = documents.filter(title_norm__contains=text).order_by("title")
    return [
        {"text": doc.title, "type": doc.kind, "id": doc.page_id, "slug": None}
        for doc in documents.only("page_id", "title", "kind")[:limit]
    ]


def _terms(locale, text, limit):
    found = []
    for kind, model in TERM_MODELS:
        for term in model.objects.filter(locale__language_code=locale).only("name", "slug"):
            folded = normalise(term.name)
            if text in folded:
                found.append(
                    (
                        not folded.startswith(text),
                        term.name,
                        {"text": term.name, "type": kind, "id": term.pk, "slug": term.slug},
                    )
                )
    return [entry for *_key, entry in sorted(found, key=lambda f: (f[0], f[1]))][:limit]


def _coordinations(locale, text, limit):
    found = []
    for coordination in CoordinationPage.objects.live().public().filter(locale__language_code=locale).only("title"):
        if text in normalise(coordination.title):
            found.append({"text": coordination.title, "type": "coordination", "id": coordination.pk, "slug": None})
    return found[:limit]


def suggest(scope, text, limit=8):
    text = normalise(text).strip()
    if not text:
        return []
    coordinations = _coordinations(scope.locale, text, limit)
    shown = {entry["id"] for entry in coordinations}
    titles = [entry for entry in _titles(scope, text, limit) if entry["id"] not in shown]
    return titles + _terms(scope.locale or settings.LANGUAGE_CODE, text, limit) + coordinations
