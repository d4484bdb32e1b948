"""What rewrites the listing read model, and when.

An item's own changes (publish, unpublish, save, move, a translation
published or deleted) rewrite its entry in the same transaction or as soon as
it commits: they concern one item. Changes that reach many items (a
taxonomy term renamed, a coordination renamed, an image's alt text or
renditions, a video's accessibility flags) are gathered until the
transaction commits and rewritten by one background task. A consent edited
updates its films' consent columns in one UPDATE: no card shows it.

`library.receivers` says which signal calls which of these.
"""

import threading

from django_tasks import task

from django.db import connection, transaction
from django.db.models import Q

from library.access.rules import consent_record_columns
from library.assets.processing import schedule
from library.listing import counts
from library.listing.build import refresh, refresh_missing
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    CoordinationPage,
    FilmPage,
    Genre,
    GuidePage,
    ListingEntry,
    Theme,
)

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
    _gather("items", page_ids, refresh)


def refresh_in_background(page_ids):
    """Rewrite these items' entries in a background task once the transaction commits (many items)."""
    page_ids = list(page_ids)
    if page_ids:
        _gather("background", page_ids, _schedule)


def _schedule(page_ids):
    schedule(refresh_listing, page_ids)


def refresh_images_in_background(image_ids):
    """Rewrite the entries of the items showing these images, in a background task once committed.

    The images are gathered and resolved to items once, at the commit: deleting
    thousands of renditions costs one query, not two per rendition.
    """
    _gather("images", image_ids, lambda ids: refresh_in_background(items_using_images(ids)))


def items_using_images(image_ids):
    # A film without a poster shows its video's poster frame (`FilmPage.shown_poster`).
    films = FilmPage.objects.filter(
        Q(poster_id__in=image_ids) | Q(poster__isnull=True, video__poster_id__in=image_ids)
    ).values_list("pk", flat=True)
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


def translation_removed(model, instance):
    """A source's entry goes with its page (CASCADE); a translation's removal changes its source's cards."""
    sources = model.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk)
    refresh(sources.values_list("pk", flat=True))


def consent_columns_changed(consent):
    """A consent edited: its films' consent columns, which the access rule reads, in one UPDATE."""
    cap, until = consent_record_columns(consent)
    ListingEntry.objects.filter(page__in=consent.films.values("pk")).update(consent_cap=cap, consent_until=until)
    counts.changed()


def term_changed(term):
    counts.changed()  # filters read terms (an age group's range, say)
    refresh_in_background(items_using_term(term))


def coordination_renamed(coordination):
    siblings = CoordinationPage.objects.filter(translation_key=coordination.translation_key).values("pk")
    refresh_in_background(ListingEntry.objects.filter(coordination__in=siblings).values_list("page_id", flat=True))


def fill_missing_entries():
    """Write the entries of items that have none (first deployment of the read model)."""
    if ListingEntry._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the read model existed
    refresh_missing()


@task()
def refresh_listing(page_ids):
    """Rewrite the listing entries and cards of these films and guides, in the background."""
    refresh(page_ids)
