"""wagtail-localize's listing buttons for a page of listing rows, from two queries instead of two per row.

wagtail-localize adds "Translate this page" to a page's "More" menu when a
locale has no version of the page yet, and "Sync translated pages" when the
page is the source of enabled translations; it asks the database both
questions for each row. The films and guides listings answer them for all
their rows at once, with the versions the translation column already read
and two queries (`annotate_translation_buttons`, from
`LibraryIndexView.get_table`), and `page_listing_more_buttons`, which
`library.wagtail_patches` registers in place of wagtail-localize's, builds the
same buttons from those answers. A page that was not annotated (any other
listing, a page header) gets wagtail-localize's own buttons.
"""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin.widgets import ListingButton
from wagtail.models import Locale, Page
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import Translation, TranslationSource

#: wagtail-localize's hook function, which the patch replaces in the hook registry.
localize_page_listing_more_buttons = localize_hooks.page_listing_more_buttons
SUBMIT_PERMISSION = "wagtail_localize.submit_translation"


def annotate_translation_buttons(rows, user):
    """Set `translation_buttons` on each row: (a locale lacks a version, id of its synced source or None).

    The rows' versions come from `annotate_translation_state` (`translated_locale_ids`), run first.
    """
    if not rows or not user.has_perm(SUBMIT_PERMISSION):
        return
    keys = {row.translation_key for row in rows}
    locales = set(Locale.objects.values_list("pk", flat=True))
    synced = {
        (object_id, locale_id): source_id
        for object_id, locale_id, source_id in TranslationSource.objects.filter(
            object_id__in=keys,
            object__content_type=ContentType.objects.get_for_model(Page),
        )
        .filter(Exists(Translation.objects.filter(source=OuterRef("pk"), enabled=True)))
        .values_list("object_id", "locale_id", "pk")
    }
    for row in rows:
        row.translation_buttons = (
            bool(locales - row.translated_locale_ids),
            synced.get((row.translation_key, row.locale_id)),
        )


def page_listing_more_buttons(page, user, view_name=None, next_url=None):
    known = getattr(page, "translation_buttons", None)
    if known is None:
        yield from localize_page_listing_more_buttons(page, user, view_name=view_name, next_url=next_url)
        return
    if page.is_root() or not user.has_perm(SUBMIT_PERMISSION):
        return
    untranslated, source_id = known
    if untranslated:
        url = reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.pk])
        yield ListingButton(_("Translate this page"), url, priority=60, icon_name="wagtail-localize-language")
    if source_id is not None:
        url = reverse("wagtail_localize:update_translations", args=[source_id])
        if next_url is not None:
            url = f"{url}?{urlencode({'next': next_url})}"
        yield ListingButton(_("Sync translated pages"), url, priority=60, icon_name="resubmit")
