"""English translations of demo objects through wagtail-localize.

The demo builds each French object, then fills wagtail-localize's string
translations from a French-to-English table and saves the target, so the
English objects are real translations, editable in its translation editor
and kept in sync with their French source. Strings missing from the table
stay in French. The home app's demo pages use the same function.
"""

from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource


def update_translation(instance, locale, english_by_french):
    """Create or update the `locale` translation of `instance`; return it."""
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        english = english_by_french.get(segment.string.data)
        if english is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": english, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    translation.save_target(publish=True)
    return instance.get_translation(locale)


def translate(instance, locale, english_by_french):
    """Create the `locale` translation of `instance` unless it exists; return it."""
    if instance.has_translation(locale):
        return instance.get_translation(locale)
    return update_translation(instance, locale, english_by_french)
