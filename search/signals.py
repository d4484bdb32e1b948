"""Keep search documents in step with what they are built from.

A saved page is reindexed as soon as its transaction commits, in the same
process, so a publish is searchable on the very next request. Changes that
fan out to many pages (a renamed theme, a coordination's new title, a
caption file, a guide's PDF text) go through a task. Access is not stored in
the documents: unpublishing, a tier change or a withdrawn consent take effect
at query time without any reindexing.

The lexicon is the exception (`search.audiences`): its counts follow the
audiences of each document, so whatever moves an item between audiences
without a page save reindexes it too: a tier moved by a consent
(`film_tier_changed`, at once), a consent's dates edited, a page moved, a
view restriction added or removed (through the task). A deleted document
takes its counts back.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from library.core.signals import film_tier_changed
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    ConsentRecord,
    CoordinationPage,
    FilmPage,
    Genre,
    GuideDocument,
    GuideDocumentLink,
    GuidePage,
    TextTrack,
    Theme,
)
from search.models import SearchDocument
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


@receiver(post_delete, sender=SearchDocument)
def document_deleted(sender, instance, **kwargs):
    """A document gone (its page deleted, or reindexed away) takes back what it counted in the lexicon."""
    from search import vocabulary

    vocabulary.apply(vocabulary.document_change(instance.fields, instance.audiences, {}, []))


@receiver(film_tier_changed)
def film_tier_moved(sender, film, **kwargs):
    _index_on_commit([film.pk])


@receiver(post_save, sender=ConsentRecord)
def consent_saved(sender, instance, raw=False, **kwargs):
    """New dates move the day a film's words stop being offered, even when its tier stays."""
    if raw:
        return
    _enqueue_on_commit(instance.films.values_list("pk", flat=True))


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    """A moved page may change coordination, or come under (or out of) a view restriction."""
    _enqueue_on_commit(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, raw=False, **kwargs):
    """Pages other than films and guides are offered to everyone only while under no restriction.

    Films and guides count by tier, whatever restriction follows it
    (`library.access.privacy` rewrites theirs on every save), so they are left out.
    """
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    pages = Page.objects.descendant_of(page, inclusive=True).not_type(FilmPage, GuidePage)
    _enqueue_on_commit(pages.values_list("pk", flat=True))
