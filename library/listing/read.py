"""A page of a film or guide list from the read model: two queries, whatever the page size.

The first query picks the page's ids from the narrow entries, in the order
of an index (the access rule and the orderings read only their columns;
filters on other fields become a subquery on the page tables); the second
loads those items' cards in the requested language. The total is kept until
the read model changes (`library.listing.counts`). The answer is assembled
from the cards' JSON text; the tier and, on a private bucket, the image URLs
are the only work left per item.

The access rule is the access module's (`library.access.rules.filter_visible`);
its SQL is compiled once per kind of requester, filters, ordering and day,
and kept in the process: compiling the same query on every request would
cost as much as running it.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, Window
from django.utils import timezone

from library.access.rules import filter_visible, tier_from_columns, visibility_key
from library.listing import counts
from library.models import ListingCard, ListingEntry
from library.models.renditions import image_from_files, rendition_urls, rendition_urls_expire, stored_file_names

#: Parameters that choose the page or what else the answer holds, not the items: the total does not depend on them.
PAGE_PARAMETERS = {"offset", "limit", "ordering", "locale", "facets"}
#: The key of each kind's image in its card.
IMAGE_FIELDS = {"film": "poster", "guide": "cover"}
COLUMNS = ("pk", "access_tier", "consent_cap", "consent_until")
#: Compiled queries kept per process (a few per kind of requester and filter set in use).
MAX_COMPILED = 512

_compiled = {}


@dataclass(frozen=True)
class ListingPage:
    """One page of a list: the total of the list, and each item as JSON text (its card, with its tier).

    Items stay text because the cards are stored as JSON text: parsing and
    dumping them again would cost more than the two queries.
    """

    count: int
    items: list[str]
    #: The list's facet counts (`library.listing.facets`), when asked for.
    facets: dict | None = None

    def json(self):
        """The page as the API's list body, `{"count", "items"}` (and `"facets"` when asked for)."""
        facets = "" if self.facets is None else f', "facets": {json.dumps(self.facets)}'
        return f'{{"count": {self.count}, "items": [{", ".join(self.items)}]{facets}}}'

    def with_facets(self, facets):
        return ListingPage(count=self.count, items=self.items, facets=facets)


def read_page(kind, model, requester, params, filters, ordering):
    """One page of `kind` items visible to `requester`, as `params` (offset, limit, locale) ask."""
    filter_values = params.model_dump(exclude=PAGE_PARAMETERS)
    visibility = visibility_key(requester)
    today = timezone.localdate()
    key = counts.count_key(kind, visibility, filter_values)
    version, count = counts.lookup(key)
    queries = _queries(kind, model, requester, filters, ordering, [kind, visibility, filter_values, ordering, today])
    window = [params.limit, params.offset]
    if count is None:
        # One scan gives the page's ids and the total (COUNT(*) OVER ()); a page past
        # the end has no row to carry the total, so only then is it counted apart.
        rows = _fetch(queries["page_and_total"], window)
        count = rows[0][-1] if rows else (queries["entries"].count() if params.offset else 0)
        counts.keep(key, version, count)
    else:
        rows = _fetch(queries["page"], window)
    cards = _cards([row[0] for row in rows], params.locale or settings.LANGUAGE_CODE)
    image_field = IMAGE_FIELDS[kind]
    images, urls = {}, None
    if rendition_urls_expire():  # signed URLs: made when answering, for the whole page at once
        images = {pk: json.loads(image) if isinstance(image, str) else image for pk, (_d, image, _j) in cards.items()}
        urls = rendition_urls(set().union(*map(stored_file_names, images.values())))
    items = []
    for pk, access_tier, consent_cap, consent_until, *_total in rows:
        if pk not in cards:
            continue
        data, _image, image_json = cards[pk]
        if isinstance(consent_until, str):  # SQLite returns dates as text
            consent_until = date.fromisoformat(consent_until)
        tier = tier_from_columns(access_tier, consent_cap, consent_until, today).value
        if urls is not None:
            image_json = json.dumps(image_from_files(images[pk], urls))
        items.append(f'{data[:-1]}, "tier": "{tier}", "{image_field}": {image_json}}}')
    return ListingPage(count=count, items=items)


def _queries(kind, model, requester, filters, ordering, key):
    cache_key = json.dumps(key, default=str)
    queries = _compiled.get(cache_key)
    if queries is None:
        entries = filter_visible(ListingEntry.objects.filter(kind=kind), requester)
        if filters:
            entries = entries.filter(page_id__in=model.objects.filter(filters).values("pk"))
        entries = entries.order_by(*ordering)
        queries = {
            "page": _limited(entries.values_list(*COLUMNS)),
            "page_and_total": _limited(entries.annotate(total=Window(Count("pk"))).values_list(*COLUMNS, "total")),
            # Only for a page past the end, which has no row to carry the total.
            "entries": entries,
        }
        if len(_compiled) >= MAX_COMPILED:
            _compiled.clear()
        _compiled[cache_key] = queries
    return queries


def _limited(queryset):
    sql, params = queryset.query.sql_with_params()
    return f"{sql} LIMIT %s OFFSET %s", params


def _fetch(query, extra=()):
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *extra))
        return cursor.fetchall()


def _cards(ids, language):
    """`{id: (data, image, image_json)}` of the cards of `ids` in `language`.

    An item without a card in that language (a content language added since
    the cards were written) shows its default-language card, as an item
    without a translation does.
    """
    cards = _cards_in(ids, language)
    missing = [pk for pk in ids if pk not in cards]
    if missing and language != settings.LANGUAGE_CODE:
        cards.update(_cards_in(missing, settings.LANGUAGE_CODE))
    return cards


def _cards_in(ids, language):
    if not ids:
        return {}
    table = ListingCard._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    # The table name is the model's and the ids travel as parameters.
    sql = f"SELECT entry_id, data, image, image_json FROM {table} WHERE language = %s AND entry_id IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, *ids])
        return {row[0]: row[1:] for row in cursor.fetchall()}
