"""Every signal receiver of the library, connected once by `LibraryConfig.ready()`.

The parts of the library never connect receivers themselves: they expose
plain functions, and this module, at the top of the layers, says which event
runs which of them. So a model never imports the work done when it is saved,
and what runs on a save is read in one place. `cms` and `search` connect
their own receivers to the library's signals (`library.core.signals`).

Order matters where noted: Django calls receivers in the order they were
connected.
"""

from django.core.signals import request_finished, request_started, setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from library.access import consent_lapse, privacy
from library.assets import accessibility_flags, processing
from library.assets.processing import renditions as rendition_queue
from library.assets.processing.documents import schedule_document_processing
from library.core import storage
from library.core.signals import film_tier_changed, renditions_generated, renditions_missing
from library.listing import counts, triggers
from library.models import (
    ConsentForm,
    ConsentRecord,
    CoordinationPage,
    FilmPage,
    GuideDocument,
    LibraryImage,
    LibraryRendition,
    ListingEntry,
    PartnerToken,
    TextTrack,
    Video,
    VideoRendition,
)
from library.models.coordinations import attach_to_tree_coordination
from library.models.derived_images import delete_derived_image
from library.models.videos import delete_after_commit
from library.representation import localisation

ITEM_MODELS = triggers.ITEM_MODELS


# --- Requests: work noticed inside a request runs after its response -------------------------


def request_started_(sender, **kwargs):
    processing.note_request_started()


def request_finished_(sender, **kwargs):
    # Before `note_request_finished`: renditions noted by the request still go to a thread.
    rendition_queue.queue_noted_renditions()
    processing.note_request_finished()


def settings_changed(sender, setting, **kwargs):
    # Tests change `STORAGES` (local disk, S3) within one process.
    if setting == "STORAGES":
        storage.reset_private_storage()


# --- Images and renditions ------------------------------------------------------------------


def image_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if not update_fields or "file" in update_fields:
        rendition_queue.generate_after_commit(instance.pk)
    if not raw and not created:
        # The alt text or the file changed: the cards showing the image change too.
        triggers.refresh_images_in_background([instance.pk])


def renditions_found_missing(sender, image_id, **kwargs):
    rendition_queue.queue_missing_renditions(image_id)


def renditions_added(sender, image_id, **kwargs):
    # The cards of the films and guides showing it list its renditions.
    triggers.refresh(triggers.items_using_images([image_id]))


def rendition_deleted(sender, instance, **kwargs):
    triggers.refresh_images_in_background([instance.image_id])


# --- Assets: processing, derived images, stored files, accessibility flags ------------------


def guide_document_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """Extract text and render the thumbnail after commit, for a new or replaced file.

    The admin form clears `processed_at` when it receives a new file, so
    editing a title does not redo the work.
    """
    if raw or instance.processed_at is not None or (update_fields is not None and "file" not in update_fields):
        return
    transaction.on_commit(lambda: schedule_document_processing(instance.pk))


def guide_document_deleted(sender, instance, **kwargs):
    delete_derived_image(instance.thumbnail_id)


def video_deleted(sender, instance, **kwargs):
    delete_derived_image(instance.poster_id)


def stored_file_row_deleted(sender, instance, **kwargs):
    delete_after_commit(instance.file)


def film_saving(sender, instance, raw=False, **kwargs):
    """A film's accessibility flags follow its video on every save (it may point at another video)."""
    if not raw:
        accessibility_flags.apply_to_film(instance)


def video_tracks_changed(sender, instance, **kwargs):
    _video_changed(Video.objects.filter(pk=instance.video_id).first())


def video_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        _video_changed(instance)


def _video_changed(video):
    film_ids = accessibility_flags.update_films_of(video)
    triggers.refresh_after_commit(film_ids)


# --- Access: privacy follows the tier, the tree decides the coordination --------------------


def library_item_saved(sender, instance, raw=False, **kwargs):
    """Keep Wagtail's page privacy in step with the tier on every save and publish."""
    if raw or not instance.pk:
        return
    if kwargs.get("created"):
        # A copy keeps its original's coordination; the tree decides.
        attach_to_tree_coordination(instance)
    privacy.sync_view_restriction(instance)


def page_moved(sender, instance, **kwargs):
    """A film or guide moved under another coordination belongs to it from now on."""
    triggers.refresh_after_commit([instance.pk])
    specific = instance.specific_deferred
    if not isinstance(specific, ITEM_MODELS):
        return
    attach_to_tree_coordination(specific)
    privacy.sync_view_restriction(specific)


def consent_saved(sender, instance, raw=False, **kwargs):
    """A consent edited (withdrawn, narrowed, extended) moves its films' stored tier at once."""
    if raw:
        return
    for film in instance.films.select_related("consent"):
        privacy.apply_current_tier(film)
    triggers.consent_columns_changed(instance)


def coordination_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.editors_group_id:
        # The editors' group joins every network-tier restriction as soon as it is set.
        privacy.include_in_network_restrictions(instance.editors_group_id)
    triggers.coordination_renamed(instance)


def restriction_groups_changed(sender, instance, action, reverse=False, **kwargs):
    """A restriction written by someone else on a film or guide (Wagtail's page copy, the
    admin's privacy dialog) is brought back to what the tier says."""
    if reverse or action not in {"post_add", "post_remove", "post_clear"} or privacy.is_syncing():
        return
    for model in ITEM_MODELS:
        item = model.objects.filter(pk=instance.page_id).first()
        if item is not None:
            privacy.sync_view_restriction(item)
            return


def film_tier_moved(sender, film, old, new, **kwargs):
    consent_lapse.record_alert(film, old, new)
    # The stored tier, which the `tier` filter reads, moved without a publish.
    counts.changed()


def partner_token_deleted(sender, instance, **kwargs):
    """A partner token outlives neither its organisation nor its partner row.

    Deleting an organisation deletes its `PartnerToken` rows, not Wagtail's
    `APIToken`: left alone, the token would go on working as a plain user
    token, without expiry or organisation. Revoked, it stays for the audit
    trail, as tokens revoked in the admin do.
    """
    from wagtail.models import APIToken

    APIToken.objects.filter(pk=instance.api_token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- The listing read model -------------------------------------------------------------------


def item_published(sender, instance, **kwargs):
    if isinstance(instance, ITEM_MODELS):
        triggers.refresh([instance.pk])


def item_saved(sender, instance, raw=False, **kwargs):
    # After the commit: a page's many-to-many fields are written after its post_save.
    if not raw:
        triggers.refresh_after_commit([instance.pk])


def item_deleted(sender, instance, **kwargs):
    triggers.translation_removed(sender, instance)


def listing_rows_deleted(sender, **kwargs):
    # An item deleted, or a coordination (its items' coordination is emptied without a signal).
    counts.changed()


def term_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        triggers.term_changed(instance)


def term_names_changed(sender, **kwargs):
    localisation.invalidate_taxonomy()


def migrated(sender, app_config=None, using="default", **kwargs):
    """After migrating, write the entries of items that have none (first deployment of the read model)."""
    if app_config is not None and app_config.label == "library" and using == "default":
        triggers.fill_missing_entries()


def connect():
    """Connect every receiver above; called once, from `LibraryConfig.ready()`."""
    uid = "library.receivers."
    request_started.connect(request_started_, dispatch_uid=uid + "request_started")
    request_finished.connect(request_finished_, dispatch_uid=uid + "request_finished")
    setting_changed.connect(settings_changed, dispatch_uid=uid + "setting_changed")

    post_save.connect(image_saved, sender=LibraryImage, dispatch_uid=uid + "image_saved")
    renditions_missing.connect(renditions_found_missing, dispatch_uid=uid + "renditions_missing")
    renditions_generated.connect(renditions_added, dispatch_uid=uid + "renditions_generated")
    post_delete.connect(rendition_deleted, sender=LibraryRendition, dispatch_uid=uid + "rendition_deleted")

    post_save.connect(guide_document_saved, sender=GuideDocument, dispatch_uid=uid + "guide_document_saved")
    post_delete.connect(guide_document_deleted, sender=GuideDocument, dispatch_uid=uid + "guide_document_deleted")
    post_delete.connect(video_deleted, sender=Video, dispatch_uid=uid + "video_deleted")
    for model in (Video, VideoRendition, TextTrack, ConsentForm):
        post_delete.connect(stored_file_row_deleted, sender=model, dispatch_uid=uid + f"file_deleted.{model.__name__}")
    pre_save.connect(film_saving, sender=FilmPage, dispatch_uid=uid + "film_saving")
    for model in (TextTrack, VideoRendition):
        post_save.connect(video_tracks_changed, sender=model, dispatch_uid=uid + f"track_saved.{model.__name__}")
        post_delete.connect(video_tracks_changed, sender=model, dispatch_uid=uid + f"track_deleted.{model.__name__}")
    post_save.connect(video_saved, sender=Video, dispatch_uid=uid + "video_saved")

    for model in ITEM_MODELS:
        # Privacy before the listing: the entry reads the restriction the save just wrote.
        post_save.connect(library_item_saved, sender=model, dispatch_uid=uid + f"privacy.{model.__name__}")
        post_save.connect(item_saved, sender=model, dispatch_uid=uid + f"listing_saved.{model.__name__}")
        post_delete.connect(item_deleted, sender=model, dispatch_uid=uid + f"listing_deleted.{model.__name__}")
    post_page_move.connect(page_moved, dispatch_uid=uid + "page_moved")
    post_save.connect(consent_saved, sender=ConsentRecord, dispatch_uid=uid + "consent_saved")
    post_save.connect(coordination_saved, sender=CoordinationPage, dispatch_uid=uid + "coordination_saved")
    m2m_changed.connect(
        restriction_groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid=uid + "restriction"
    )
    film_tier_changed.connect(film_tier_moved, dispatch_uid=uid + "film_tier_changed")
    post_delete.connect(partner_token_deleted, sender=PartnerToken, dispatch_uid=uid + "partner_token_deleted")

    page_published.connect(item_published, dispatch_uid=uid + "item_published")
    page_unpublished.connect(item_published, dispatch_uid=uid + "item_unpublished")
    post_delete.connect(listing_rows_deleted, sender=ListingEntry, dispatch_uid=uid + "entry_deleted")
    post_delete.connect(listing_rows_deleted, sender=CoordinationPage, dispatch_uid=uid + "coordination_deleted")
    for model in triggers.TERM_RELATIONS:
        post_save.connect(term_changed, sender=model, dispatch_uid=uid + f"term_saved.{model.__name__}")
        # Before the delete: afterwards no item points to the term any more.
        pre_delete.connect(term_changed, sender=model, dispatch_uid=uid + f"term_deleted.{model.__name__}")
    for model in localisation.TAXONOMY_MODELS:
        post_save.connect(term_names_changed, sender=model, dispatch_uid=uid + f"term_names_saved.{model.__name__}")
        post_delete.connect(
            term_names_changed, sender=model, dispatch_uid=uid + f"term_names_deleted.{model.__name__}"
        )
    post_migrate.connect(migrated, dispatch_uid=uid + "migrated")
