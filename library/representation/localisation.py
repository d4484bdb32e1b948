"""`?locale=xx`: translated items, falling back to French field by field.

Lists are built from the French (default-locale) pages, the source of every
translation; one extra query fetches the requested translations of the page
of results, and each item takes the translation's value of a field when it is
filled in, the French value otherwise. Each item says which locale it is in
and which fields fell back.

Taxonomy labels come from a per-locale map kept in the cache (taxonomy is a
few hundred rows, edited rarely) and invalidated whenever a term is saved or
deleted, so translating them costs no query per item.
"""

from django.conf import settings
from django.core.cache import cache

from library.models import ActionType, AgeGroup, Audience, Genre, Theme

TAXONOMY_MODELS = (Theme, Audience, Genre, ActionType, AgeGroup)
_VERSION_KEY = "library-api:taxonomy-version"


def default_language():
    return settings.LANGUAGE_CODE


def content_languages():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def overlay(base, translation, fields):
    """Values of `fields`: the translation's where filled in, else the base item's.

    Returns `(values, fallback_fields)`. Without a translation every field
    comes from the base item and no field is reported as a fallback (the item
    is simply in the base locale).
    """
    values = {}
    fallback = []
    for name in fields:
        base_value = getattr(base, name)
        if translation is None:
            values[name] = base_value
            continue
        value = getattr(translation, name)
        if value in (None, "", [], {}):
            values[name] = base_value
            if base_value not in (None, "", [], {}):
                fallback.append(name)
        else:
            values[name] = value
    return values, fallback


def real_translations(queryset):
    """`queryset` without aliases: the pages of another locale that hold a translation.

    A locale set to follow another (wagtail-localize's synchronised trees)
    gets a live alias of every page, carrying the source's text. Such a copy
    is not a translation: the item is served in its source language, labelled
    so, until an editor translates it (which turns the alias into a page of
    its own).
    """
    return queryset.filter(alias_of__isnull=True)


def translations_by_key(queryset, items, language):
    """The `language` translations of `items`, keyed by translation key (one query)."""
    if language == default_language() or not items:
        return {}
    keys = [item.translation_key for item in items]
    return {
        page.translation_key: page
        for page in real_translations(queryset).filter(translation_key__in=keys, locale__language_code=language)
    }


def _version():
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(_VERSION_KEY, version, None)
    return version


def term_names(model, language):
    """`{translation_key: name}` of `model`'s terms in `language` (cached)."""
    key = f"library-api:terms:{model._meta.label_lower}:{language}:{_version()}"
    names = cache.get(key)
    if names is None:
        names = dict(model.objects.filter(locale__language_code=language).values_list("translation_key", "name"))
        cache.set(key, names, 3600)
    return names


def term(value, language, names=None):
    """A taxonomy term as the API shows it, its name translated when a translation exists."""
    if value is None:
        return None
    name = value.name
    if language != default_language():
        names = names if names is not None else term_names(type(value), language)
        name = names.get(value.translation_key) or name
    return {"id": value.pk, "slug": value.slug, "name": name}


def terms(values, language):
    names = term_names(values[0].__class__, language) if values and language != default_language() else None
    return [term(value, language, names) for value in values]


def invalidate_taxonomy():
    """Forget every cached term name: a term was saved or deleted (`library.receivers`)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)
