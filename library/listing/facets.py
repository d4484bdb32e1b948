"""The films list's facet counts: how many films the requester may see carry each filter value.

Counts cover every film of the list, not the page shown, and follow the
usual faceting rule: a facet's counts apply every filter but its own (the
theme counts ignore `theme`, the year counts `year_min` and `year_max`, the
accessibility counts the three accessibility flags), so each count is the
number of films the list would show if that value were chosen instead.

Every facet starts from the same rows as the list: the read model's entries
that pass the access rule (`library.access.rules.filter_visible`), so a film
the requester may not see is in no count. Each facet is one GROUP BY query
(and one more names the coordinations counted), nine at most whatever the
size of the catalogue, and the answer is kept like the list's total
(`library.listing.counts`): under the read model's version, the day, who
asks (as the access rule sees them) and the filters.
"""

from django.db import connection
from django.db.models import Count, Q

from wagtail.models import Page

from library.access.rules import filter_visible, visibility_key
from library.listing import counts
from library.models import FilmPage, ListingEntry
from library.models.choices import LANGUAGE_CHOICES

#: Each facet, and the filter parameters its counts ignore (its own).
OWN_FILTERS = {
    "coordination": ("coordination",),
    "theme": ("theme",),
    "audience": ("audience",),
    "genre": ("genre",),
    "action_type": ("action_type",),
    "year": ("year_min", "year_max"),
    "language": ("spoken_language",),
    "accessibility": ("has_captions", "has_audio_description", "has_sign_language"),
}
#: The accessibility counts, by their key in the answer.
ACCESSIBILITY = {
    "captions": "has_captions",
    "sdh": "has_sdh",
    "audio_description": "has_audio_description",
    "sign_language": "has_sign_language",
}


def film_facets(requester, params, filter_values):
    """The facets of the films list `params` asks for (`filter_values`: its filters, as the total's key has them)."""
    key = counts.count_key("film-facets", visibility_key(requester), filter_values)
    version, kept = counts.lookup(key)
    if kept is not None:
        return kept
    facets = {name: _facet(name, _film_ids(requester, params, own)) for name, own in OWN_FILTERS.items()}
    counts.keep(key, version, facets)
    return facets


def _film_ids(requester, params, own):
    """The ids of the films of the list, with the filters `own` left out (a subquery, not run here)."""
    filters = params.model_copy(update=dict.fromkeys(own)).q()
    entries = filter_visible(ListingEntry.objects.filter(kind="film"), requester)
    if filters:
        entries = entries.filter(page_id__in=FilmPage.objects.filter(filters).values("pk"))
    return entries.order_by().values("page_id")


def _sorted(buckets):
    """Most films first, then by name: the order a visitor scans a list of choices in."""
    return sorted(buckets, key=lambda bucket: (-bucket["count"], bucket["name"].casefold()))


def _facet(name, ids):
    if name == "coordination":
        # Counted on the entries alone, then named: grouping rows joined to the wide page table
        # costs ten times more than the count itself.
        found = dict(
            ListingEntry.objects.filter(page_id__in=ids, coordination__isnull=False)
            .values_list("coordination_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        names = Page.objects.filter(pk__in=list(found)).values_list("pk", "slug", "title") if found else []
        return _sorted([{"id": pk, "slug": slug, "name": title, "count": found[pk]} for pk, slug, title in names])
    if name in ("theme", "audience"):
        return _sorted(_through_counts(f"{name}s", ids))
    if name in ("genre", "action_type"):
        rows = (
            FilmPage.objects.filter(pk__in=ids, **{f"{name}__isnull": False})
            .values_list(f"{name}__slug", f"{name}__name")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return _sorted([{"slug": slug, "name": term, "count": n} for slug, term, n in rows])
    if name == "year":
        rows = (
            ListingEntry.objects.filter(page_id__in=ids, year__isnull=False)
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        )
        return [{"year": year, "count": n} for year, n in rows]
    if name == "language":
        names = dict(LANGUAGE_CHOICES)
        return _sorted([{"slug": code, "name": str(names.get(code, code)), "count": n} for code, n in _languages(ids)])
    flags = FilmPage.objects.filter(pk__in=ids).aggregate(
        **{key: Count("pk", filter=Q(**{flag: True})) for key, flag in ACCESSIBILITY.items()}
    )
    return flags


def _through_counts(relation, ids):
    """`[{slug, name, count}]` of a many-to-many relation of films, counted on its link table."""
    m2m = FilmPage._meta.get_field(relation)
    owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    rows = (
        m2m.remote_field.through.objects.filter(**{f"{owner}__in": ids})
        .values_list(f"{target}__slug", f"{target}__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [{"slug": slug, "name": name, "count": n} for slug, name, n in rows]


def _languages(ids):
    """`[(code, films)]`: `spoken_languages` is a JSON list, unnested by the database where it can."""
    films = FilmPage.objects.filter(pk__in=ids).order_by()
    if connection.vendor != "postgresql":
        found = {}
        for spoken in films.values_list("spoken_languages", flat=True):
            for code in set(spoken or []):
                found[code] = found.get(code, 0) + 1
        return list(found.items())
    sql, params = films.values("pk", "spoken_languages").query.sql_with_params()
    # DISTINCT per film: a language listed twice in one film counts once. The inner SQL is Django's.
    query = (
        "SELECT code, COUNT(*) FROM (SELECT DISTINCT films.id, code FROM ("  # noqa: S608
        f"{sql}) AS films(id, spoken), jsonb_array_elements_text("
        "CASE WHEN jsonb_typeof(films.spoken) = 'array' THEN films.spoken ELSE '[]'::jsonb END) AS code"
        ") AS pairs GROUP BY code"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()
