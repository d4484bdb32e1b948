"""The film and guide listings in one language at a time, with each row's translation state.

Wagtail's filters offer a "Locale" filter whose default is every locale, so
the listings mixed French and English rows. Here a listing opened without a
locale shows the default locale (French); the filter's "All" stays available.
The translation column says, for each row, whether a version exists in
another locale and whether it is live, from one query for the whole page. An
alias that a synchronised locale holds (the source's text, copied) is not a
translation: its row, and its source's, say the translation is still to do.
"""

from django.utils.translation import pgettext_lazy

from wagtail.admin.ui.tables import Column
from wagtail.models import Locale, Page

LOCALE_PARAM = "locale"

# The cells sit under the "Traduction" column heading, which they need not repeat.
TRANSLATION_LIVE = pgettext_lazy("translation state", "Up to date")
TRANSLATION_DRAFT = pgettext_lazy("translation state", "Not published")
TRANSLATION_MISSING = pgettext_lazy("translation state", "To do")
TRANSLATION_COPY = pgettext_lazy("translation state", "To do (copy of the French)")


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
    """Set `translation_state` (and `translated_locale_ids`) on each row.

    "live" or "draft" when a translated version exists in another locale,
    "copy" when the row is an untranslated alias or has only such copies,
    None when no other version exists.
    """
    if not rows:
        return
    keys = {row.translation_key for row in rows}
    others = {}
    for key, locale_id, live, alias_of_id in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale_id", "live", "alias_of_id"
    ):
        others.setdefault(key, []).append((locale_id, live, alias_of_id is not None))
    for row in rows:
        # The locales holding a version that is not an alias (wagtail-localize's "Translate" button reads them).
        row.translated_locale_ids = {
            locale_id for locale_id, _live, is_alias in others.get(row.translation_key, ()) if not is_alias
        }
        versions = [version for version in others.get(row.translation_key, ()) if version[0] != row.locale_id]
        translated = [live for _locale_id, live, is_alias in versions if not is_alias]
        if row.alias_of_id is not None or (versions and not translated):
            row.translation_state = "copy"
        elif translated:
            row.translation_state = "live" if any(translated) else "draft"
        else:
            row.translation_state = None


class TranslationColumn(Column):
    def get_value(self, instance):
        state = getattr(instance, "translation_state", None)
        if state == "live":
            return TRANSLATION_LIVE
        if state == "draft":
            return TRANSLATION_DRAFT
        if state == "copy":
            return TRANSLATION_COPY
        return TRANSLATION_MISSING
