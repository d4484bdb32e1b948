"""What rewrites the listing read model, and when.

An item's own changes (publish, unpublish, save, move, a translation
published or deleted) rewrite its entry in the same transaction or as soon as
it commits: they concern one item. Changes that reach many items (a
taxonomy term renamed, a coordination renamed, an image's alt text or
renditions, a video's accessibility flags) are gathered until the
transaction commits and rewritten by one background task. A consent edited
updates its films' consent columns in one UPDATE: no card shows it.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from library.listing import counts
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    ConsentRecord,
    CoordinationPage,
    FilmPage,
    Genre,
    GuidePage,
    LibraryImage,
    LibraryRendition,
    ListingEntry,
    Theme,
)
from library.signals import film_tier_changed

ITEM_MODELS = (FilmPage, GuidePage)
#: For each taxonomy model, the relations of films and guides that point to it.
TERM_RELATIONS = {
    Theme: {FilmPage: "themes", GuidePage: "themes"},
    Audience: {FilmPage: "audiences", GuidePage: "audiences"},
    AgeGroup: {GuidePage: "age_groups"},
    Genre: {FilmPage: "genre"},
    ActionType: {FilmPage: "action_type"},
}

_pending = threading.local()


def _refresh_now(page_ids):
    from library.listing.build import refresh

    refresh(page_ids)


def _gather(name, page_ids, flush):
    """Note `page_ids` and flush them all once the transaction commits (once per commit)."""
    ids = getattr(_pending, name, None)
    if ids is None:
        ids = set()
        setattr(_pending, name, ids)
    ids.update(page_ids)

    def run():
        batch = getattr(_pending, name, set())
        setattr(_pending, name, set())
        if batch:
            flush(sorted(batch))

    transaction.on_commit(run)


def refresh_after_commit(page_ids):
    """Rewrite these items' entries once the transaction commits (one item's own change)."""
    _gather("items", page_ids, _refresh_now)


def refresh_in_background(page_ids):
    """Rewrite these items' entries in a background task once the transaction commits (many items)."""
    page_ids = list(page_ids)
    if page_ids:
        _gather("background", page_ids, _schedule)


def _schedule(page_ids):
    from library.processing import schedule
    from library.tasks import refresh_listing

    schedule(refresh_listing, page_ids)


def refresh_images_in_background(image_ids):
    """Rewrite the entries of the items showing these images, in a background task once committed.

    The images are gathered and resolved to items once, at the commit: deleting
    thousands of renditions costs one query, not two per rendition.
    """
    _gather("images", image_ids, lambda ids: refresh_in_background(items_using_images(ids)))


def items_using_images(image_ids):
    films = FilmPage.objects.filter(poster_id__in=image_ids).values_list("pk", flat=True)
    guides = GuidePage.objects.filter(cover_id__in=image_ids).values_list("pk", flat=True)
    return [*films, *guides]


def items_using_term(term):
    """Ids of the films and guides that show `term` (its default-locale version, which items point to)."""
    model = type(term)
    sources = model.objects.filter(translation_key=term.translation_key).values("pk")
    ids = []
    for item_model, relation in TERM_RELATIONS.get(model, {}).items():
        ids += item_model.objects.filter(**{f"{relation}__in": sources}).values_list("pk", flat=True)
    return ids


# --- One item's own changes --------------------------------------------------------------


@receiver(page_published)
@receiver(page_unpublished)
def item_published(sender, instance, **kwargs):
    if isinstance(instance, ITEM_MODELS):
        _refresh_now([instance.pk])


def item_saved(sender, instance, raw=False, **kwargs):
    # After the commit: a page's many-to-many fields are written after its post_save.
    if not raw:
        refresh_after_commit([instance.pk])


def item_deleted(sender, instance, **kwargs):
    # A source's entry goes with its page (CASCADE); a translation's removal changes its source's cards.
    from library.listing.build import refresh

    sources = sender.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk)
    refresh(sources.values_list("pk", flat=True))


for _model in ITEM_MODELS:
    post_save.connect(item_saved, sender=_model, dispatch_uid=f"library-listing-saved-{_model.__name__}")
    post_delete.connect(item_deleted, sender=_model, dispatch_uid=f"library-listing-deleted-{_model.__name__}")


@receiver(post_page_move)
def item_moved(sender, instance, **kwargs):
    refresh_after_commit([instance.pk])


@receiver(post_save, sender=ConsentRecord)
def consent_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from library.access import consent_record_columns

    cap, until = consent_record_columns(instance)
    ListingEntry.objects.filter(page__in=instance.films.values("pk")).update(consent_cap=cap, consent_until=until)
    counts.changed()


@receiver(post_delete, sender=ListingEntry)
@receiver(post_delete, sender=CoordinationPage)
def entry_deleted(sender, **kwargs):
    # An item deleted, or a coordination (its items' coordination is emptied without a signal).
    counts.changed()


@receiver(film_tier_changed)
def film_tier_moved(sender, **kwargs):
    # The stored tier, which the `tier` filter reads, moved without a publish.
    counts.changed()


# --- Changes that reach many items ------------------------------------------------------------


def term_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        counts.changed()  # filters read terms (an age group's range, say)
        refresh_in_background(items_using_term(instance))


for _model in TERM_RELATIONS:
    post_save.connect(term_changed, sender=_model, dispatch_uid=f"library-listing-term-{_model.__name__}")
    # Before the delete: afterwards no item points to the term any more.
    pre_delete.connect(term_changed, sender=_model, dispatch_uid=f"library-listing-term-del-{_model.__name__}")


@receiver(post_save, sender=CoordinationPage)
def coordination_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    siblings = CoordinationPage.objects.filter(translation_key=instance.translation_key).values("pk")
    refresh_in_background(ListingEntry.objects.filter(coordination__in=siblings).values_list("page_id", flat=True))


@receiver(post_save, sender=LibraryImage)
def image_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh_images_in_background([instance.pk])


@receiver(post_delete, sender=LibraryRendition)
def rendition_deleted(sender, instance, **kwargs):
    refresh_images_in_background([instance.image_id])


@receiver(post_migrate)
def fill_missing_entries(sender, app_config=None, using="default", **kwargs):
    """After migrating, write the entries of items that have none (first deployment of the read model)."""
    if app_config is None or app_config.label != "library" or using != "default":
        return
    from django.db import connection

    if ListingEntry._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the read model existed
    from library.listing.build import refresh_missing

    refresh_missing()
