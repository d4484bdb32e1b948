"""English translations of demo objects through wagtail-localize.

The same mechanism as the home pages' demo (`home.demo.translation`): fill
wagtail-localize's string translations from a French-to-English table and
save the target, so the English objects are real, synchronisable
translations. Strings missing from the table stay in French.
"""

from home.demo.translation import translate as _translate


def translate(instance, locale, english_by_french):
    """Create the `locale` translation of `instance` unless it exists; return it."""
    if instance.has_translation(locale):
        return instance.get_translation(locale)
    return _translate(instance, locale, english_by_french)
