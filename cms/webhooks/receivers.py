"""Signals that become webhook events: publish, unpublish, delete, and film tier changes."""

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.webhooks.delivery import emit
from cms.webhooks.models import EventType


def describe(page, **extra):
    """What a front end needs to refresh or purge: ids, type, locale, paths and API URL."""
    specific_name = type(page).__name__
    api_paths = {"FilmPage": "films", "GuidePage": "guides"}
    data = {
        "id": page.pk,
        "type": page._meta.label,
        "title": page.title,
        "slug": page.slug,
        "locale": getattr(getattr(page, "locale", None), "language_code", None),
        "url_path": page.url_path,
        "translation_key": str(page.translation_key),
        "api_url": f"/api/v3/{api_paths[specific_name]}/{page.pk}/"
        if specific_name in api_paths
        else f"/api/v3/pages/{page.pk}/",
    }
    tier = getattr(page, "effective_tier", None)
    if tier is not None:
        data["tier"] = str(tier)
    data.update(extra)
    return data


def on_published(sender, instance, **kwargs):
    emit(EventType.PUBLISHED, describe(instance))


def on_unpublished(sender, instance, **kwargs):
    emit(EventType.UNPUBLISHED, describe(instance))


def on_deleted(sender, instance, **kwargs):
    # Deleting a page sends post_delete for the Page row and for the specific row: report it once.
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        emit(EventType.DELETED, describe(instance))


def on_tier_changed(sender, film, old=None, new=None, **kwargs):
    emit(
        EventType.TIER_CHANGED, describe(film, old_tier=str(old) if old else None, new_tier=str(new) if new else None)
    )


def connect():
    from library.core.signals import film_tier_changed

    page_published.connect(on_published, dispatch_uid="webhooks.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="webhooks.unpublished")
    post_delete.connect(on_deleted, dispatch_uid="webhooks.deleted")
    film_tier_changed.connect(on_tier_changed, dispatch_uid="webhooks.tier_changed")
