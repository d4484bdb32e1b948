"""Serialise every page in its own language, in both API versions.

Rich text links and page choosers resolve through `Page.localized`, which
follows the *active* language. An API request activates the language of its
Accept-Language header (French by default), so without this an English page
fetched by a French browser would link to French pages. Activating the page's
own language while its fields are serialised makes links point at the paths
of the same language tree, as Wagtail does when it renders the page itself.
"""

from contextlib import nullcontext

from django.utils import translation

from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.fields import RichTextField, StreamField


def in_language_of(obj):
    """A context manager activating the language of `obj`'s locale, if it has one."""
    locale = getattr(obj, "locale", None) if getattr(obj, "locale_id", None) else None
    return translation.override(locale.language_code) if locale is not None else nullcontext()


class LocalisedSerializerMixin:
    def to_representation(self, instance):
        with in_language_of(instance):
            return super().to_representation(instance)


def localised(viewset_class=PagesAPIViewSet):
    """A v2 pages endpoint that serialises each page in its own language.

    Takes the endpoint class to extend, so it composes with endpoints that
    already customise Wagtail's (access filtering, for instance).
    """
    serializer = type(
        f"Localised{viewset_class.base_serializer_class.__name__}",
        (LocalisedSerializerMixin, viewset_class.base_serializer_class),
        {},
    )
    return type(f"Localised{viewset_class.__name__}", (viewset_class,), {"base_serializer_class": serializer})


def _resolve_in_language_of_object(schema_func):
    def field_schema(generator, field):
        annotation, default, resolve = schema_func(generator, field)
        inner = resolve.__func__ if isinstance(resolve, staticmethod) else resolve

        def resolve_in_language(obj, context):
            with in_language_of(obj):
                return inner(obj, context)

        return annotation, default, staticmethod(resolve_in_language)

    return field_schema


def localise_v3_schemas():
    """Wrap the v3 resolvers of StreamField and RichTextField values.

    Runs from `HomeConfig.ready()`, before the URL configuration imports
    Wagtail's v3 routers and their schemas are generated.
    """
    from wagtail.api.v3.schemas.generators.read import read_generator

    for field_class in (StreamField, RichTextField):
        current = read_generator.field_schemas[field_class]
        if getattr(current, "localised", False):
            continue
        wrapped = _resolve_in_language_of_object(current)
        wrapped.localised = True
        read_generator.register_field_schema(field_class, wrapped)
