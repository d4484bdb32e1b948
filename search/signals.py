"""Keep search documents in step with what they are built from.

A saved page is reindexed as soon as its transaction commits, in the same
process, so a publish is searchable on the very next request. Changes that
fan out to many pages (a renamed theme, a coordination's new title, a
caption file, a guide's PDF text) go through a task. Access is not stored in
the documents: unpublishing, a tier change or a withdrawn consent take effect
at query time without any reindexing.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page

from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    CoordinationPage,
    FilmPage,
    Genre,
    GuideDocument,
    GuideDocumentLink,
    GuidePage,
    TextTrack,
    Theme,
)
from search.tasks import reindex_pages


def _index_on_commit(page_ids):
    from search.documents import index_pages

    page_ids = list(page_ids)
    if page_ids:
        transaction.on_commit(lambda: index_pages(page_ids))


def _enqueue_on_commit(page_ids):
    page_ids = [int(pk) for pk in page_ids]
    if page_ids:
        transaction.on_commit(lambda: reindex_pages.enqueue(page_ids))


def page_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.depth is None or instance.depth <= 1:
        return
    _index_on_commit([instance.pk])
    if isinstance(instance, CoordinationPage):
        _enqueue_on_commit(
            list(FilmPage.objects.filter(coordination_id=instance.pk).values_list("pk", flat=True))
            + list(GuidePage.objects.filter(coordination_id=instance.pk).values_list("pk", flat=True))
        )


def _connect_page_models():
    from wagtail.models import get_page_models

    for model in get_page_models():
        if model is not Page:
            post_save.connect(page_saved, sender=model, dispatch_uid=f"search-index-{model._meta.label}")


_connect_page_models()


@receiver(post_save, sender=Theme)
@receiver(post_save, sender=Audience)
@receiver(post_save, sender=AgeGroup)
def term_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    ids = []
    if hasattr(instance, "films"):
        ids += list(instance.films.values_list("pk", flat=True))
    if hasattr(instance, "guides"):
        ids += list(instance.guides.values_list("pk", flat=True))
    _enqueue_on_commit(ids)


@receiver(post_save, sender=Genre)
@receiver(post_save, sender=ActionType)
def single_term_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    field = "genre" if sender is Genre else "action_type"
    _enqueue_on_commit(FilmPage.objects.filter(**{field: instance}).values_list("pk", flat=True))


@receiver(post_save, sender=TextTrack)
@receiver(post_delete, sender=TextTrack)
def track_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _enqueue_on_commit(FilmPage.objects.filter(video_id=instance.video_id).values_list("pk", flat=True))


@receiver(post_save, sender=GuideDocument)
def guide_document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _enqueue_on_commit(GuideDocumentLink.objects.filter(document=instance).values_list("page_id", flat=True))


@receiver(m2m_changed, sender=FilmPage.themes.through)
@receiver(m2m_changed, sender=FilmPage.audiences.through)
@receiver(m2m_changed, sender=GuidePage.themes.through)
@receiver(m2m_changed, sender=GuidePage.audiences.through)
@receiver(m2m_changed, sender=GuidePage.age_groups.through)
def terms_linked(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    """Plain `.themes.add()` outside a page save (ParentalManyToMany saves with the page)."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Page):
        _index_on_commit([instance.pk])
    elif pk_set:
        _index_on_commit(pk_set)
