"""What every list and detail endpoint shares: paging, translations, the hidden-is-missing 404."""

from django.conf import settings
from django.db.models import Count, Window
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from library.access.rules import filter_visible
from library.representation.localisation import translations_by_key


def listing_response(page):
    """A `library.listing.read.ListingPage` as the list endpoint's JSON answer, sent as is."""
    return HttpResponse(page.json(), content_type="application/json; charset=utf-8")


def not_found():
    """The one 404 of the library API: a hidden item and a missing one are indistinguishable."""
    return Http404(_("No item matches this id."))


def page_of(queryset, params, serialize, translation_source):
    """`{"count", "items"}` of one page, each item overlaid with its translation.

    The page's ids are chosen first by a narrow query (only the joins the
    filters and the access rule need, then sort and LIMIT), and only those
    rows are loaded with their relations: sorting thousands of fully joined
    rows to keep twenty costs ten times more on a large catalogue.
    """
    # One scan gives the page's ids and the total (COUNT(*) OVER ()); a page past
    # the end has no row to carry the total, so only then is it counted apart.
    rows = list(
        queryset.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
            params.offset : params.offset + params.limit
        ]
    )
    ids = [pk for pk, _total in rows]
    count = rows[0][1] if rows else (queryset.count() if params.offset else 0)
    by_id = {item.pk: item for item in queryset.order_by().filter(pk__in=ids)} if ids else {}
    items = [by_id[pk] for pk in ids if pk in by_id]
    language = params.locale or settings.LANGUAGE_CODE
    translations = translations_by_key(translation_source, items, language)
    return {
        "count": count,
        "items": [serialize(item, language, translations.get(item.translation_key)) for item in items],
    }


def get_detail(queryset, item_id, language, requester, translation_source):
    """The visible item `item_id` (any locale), as `(base, translation, language)`.

    `base` is the French source when the id is a translation's, so untranslated
    fields can fall back to it.
    """
    if item_id > 2**31 - 1:
        raise not_found()
    item = queryset.filter(pk=item_id).first()
    if item is None:
        # Ids of translations are valid too: look for the page in any locale.
        model = queryset.model
        other = filter_visible(model.objects.all(), requester).filter(pk=item_id).only("translation_key").first()
        if other is None:
            raise not_found()
        item = queryset.filter(translation_key=other.translation_key).first()
        if item is None:
            raise not_found()
        language = language or other.locale.language_code
    language = language or settings.LANGUAGE_CODE
    translation = translations_by_key(translation_source, [item], language).get(item.translation_key)
    return item, translation, language
