"""Facet counts over the whole visible result set (not just the page shown).

Every count starts from the ids the results come from, which already went
through the access check, so a film the requester may not see changes no
count. Each facet is one GROUP BY query on primary keys; its cost does not
depend on the page size.
"""

from collections import Counter

from django.db.models import Count, Q

from library.models import FilmPage, GuidePage
from library.models.choices import LANGUAGE_CHOICES
from search.engine import ids_q
from search.models import Kind

ACCESSIBILITY_FLAGS = ("has_captions", "has_sdh", "has_audio_description", "has_sign_language")


def _bucket(value, label, count):
    return {"value": str(value), "label": str(label), "count": count}


def _sorted(buckets):
    return sorted(buckets, key=lambda b: (-b["count"], b["label"]))


def _terms(through_pairs):
    """Sum counts of taxonomy terms across films and guides, keyed by slug."""
    counts, labels = Counter(), {}
    for rows in through_pairs:
        for slug, name, count in rows:
            if slug is None:
                continue
            counts[slug] += count
            labels.setdefault(slug, name)
    return _sorted([_bucket(slug, labels[slug], count) for slug, count in counts.items()])


def compute(found):
    """`found`: the engine's Match (visible, ranked candidates); counts cover all of them."""
    by_kind = Counter(kind for _pk, kind, _rank in found.ranked)
    facets = {"type": _sorted([_bucket(kind, Kind(kind).label, n) for kind, n in by_kind.items()])}
    film_ids, guide_ids = found.ids_of(Kind.FILM), found.ids_of(Kind.GUIDE)
    films = FilmPage.objects.filter(ids_q(film_ids)).order_by()
    guides = GuidePage.objects.filter(ids_q(guide_ids)).order_by()
    has_films, has_guides = bool(film_ids), bool(guide_ids)

    coordinations = Counter()
    coordination_labels = {}
    for queryset, present in ((films, has_films), (guides, has_guides)):
        if not present:
            continue
        for pk, title, n in queryset.values_list("coordination_id", "coordination__title").annotate(n=Count("pk")):
            if pk is not None:
                coordinations[pk] += n
                coordination_labels[pk] = title
    facets["coordination"] = _sorted([_bucket(pk, coordination_labels[pk], n) for pk, n in coordinations.items()])

    def through_counts(model, relation, ids, present):
        if not present:
            return []
        m2m = model._meta.get_field(relation)
        owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        return list(
            m2m.remote_field.through.objects.filter(ids_q(ids, owner))
            .values_list(f"{target}__slug", f"{target}__name")
            .annotate(n=Count("pk"))
            .order_by()
        )

    facets["theme"] = _terms(
        [
            through_counts(FilmPage, "themes", film_ids, has_films),
            through_counts(GuidePage, "themes", guide_ids, has_guides),
        ]
    )
    facets["audience"] = _terms(
        [
            through_counts(FilmPage, "audiences", film_ids, has_films),
            through_counts(GuidePage, "audiences", guide_ids, has_guides),
        ]
    )
    if not has_films:
        facets.update({"genre": [], "year": [], "language": [], "accessibility": []})
        return facets
    facets["genre"] = _sorted(
        [
            _bucket(slug, name, n)
            for slug, name, n in films.values_list("genre__slug", "genre__name").annotate(n=Count("pk"))
            if slug
        ]
    )
    facets["year"] = sorted(
        (_bucket(year, year, n) for year, n in films.values_list("year").annotate(n=Count("pk"))),
        key=lambda b: b["value"],
        reverse=True,
    )
    languages = Counter()
    for spoken in films.values_list("spoken_languages", flat=True):
        languages.update(set(spoken or []))
    names = dict(LANGUAGE_CHOICES)
    facets["language"] = _sorted([_bucket(code, names.get(code, code), n) for code, n in languages.items()])
    flags = films.aggregate(**{flag: Count("pk", filter=Q(**{flag: True})) for flag in ACCESSIBILITY_FLAGS})
    labels = {flag: FilmPage._meta.get_field(flag).verbose_name for flag in ACCESSIBILITY_FLAGS}
    facets["accessibility"] = [_bucket(flag, labels[flag], flags[flag]) for flag in ACCESSIBILITY_FLAGS if flags[flag]]
    return facets
