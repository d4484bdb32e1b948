"""The film and guide listings in one language at a time, with each row's translation state.

Wagtail's filters offer a "Locale" filter whose default is every locale, so
the listings mixed French and English rows. Here a listing opened without a
locale shows the default locale (French); the filter's "All" stays available.
The translation column says, for each row, whether a version exists in
another locale and whether it is live, from one query for the whole page.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.models import Locale, Page

LOCALE_PARAM = "locale"

TRANSLATION_LIVE = _("Translation: up to date")
TRANSLATION_DRAFT = _("Translation: not published")
TRANSLATION_MISSING = _("Translation: to do")


class DefaultLocaleFilterMixin:
    """Give the locale filter the default locale when the request does not choose one."""

    def _add_locale_filter(self):
        super()._add_locale_filter()
        if LOCALE_PARAM not in self.filters or self.data is None or LOCALE_PARAM in self.data:
            return
        data = self.data.copy()
        data[LOCALE_PARAM] = Locale.get_default().language_code
        self.data = data
        self.is_bound = True


def annotate_translation_state(rows):
    """Set `translation_state` on each row: "live", "draft" or None (no version in another locale)."""
    if not rows:
        return
    keys = {row.translation_key for row in rows}
    others = {}
    for key, locale_id, live in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale_id", "live"
    ):
        others.setdefault(key, []).append((locale_id, live))
    for row in rows:
        versions = [live for locale_id, live in others.get(row.translation_key, ()) if locale_id != row.locale_id]
        row.translation_state = None if not versions else ("live" if any(versions) else "draft")


class TranslationColumn(Column):
    def get_value(self, instance):
        state = getattr(instance, "translation_state", None)
        if state == "live":
            return TRANSLATION_LIVE
        if state == "draft":
            return TRANSLATION_DRAFT
        return TRANSLATION_MISSING
