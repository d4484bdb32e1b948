"""Signal handlers of the library."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from wagtail.signals import post_page_move

from library.models import ConsentRecord, CoordinationPage, FilmPage, GuidePage, LibraryImage


@receiver(post_save, sender=LibraryImage)
def schedule_named_renditions(sender, instance, created, update_fields=None, **kwargs):
    """Pre-generate named renditions once the image row is committed."""
    if update_fields and "file" not in update_fields:
        return
    from library.tasks import generate_named_renditions

    transaction.on_commit(lambda: generate_named_renditions.enqueue(instance.pk))


#: Sent when a film's stored tier changes without an editor publishing it (a consent
#: lapsed or was withdrawn). Arguments: film, old, new (`library.tiers.Tier`).
#: Webhooks and cache purges listen to it.
film_tier_changed = Signal()


def _connect_alerts():
    from library.consent_lapse import record_alert

    film_tier_changed.connect(record_alert, dispatch_uid="library-consent-alert")


_connect_alerts()


def _library_item_saved(sender, instance, raw=False, **kwargs):
    """Keep Wagtail's page privacy in step with the tier on every save and publish."""
    if raw or not instance.pk:
        return
    from library.privacy import sync_view_restriction

    sync_view_restriction(instance)


@receiver(post_save, sender=ConsentRecord)
def consent_changed(sender, instance, raw=False, **kwargs):
    """A consent edited (withdrawn, narrowed, extended) moves its films' stored tier at once."""
    if raw:
        return
    from library.privacy import apply_current_tier

    for film in instance.films.select_related("consent"):
        apply_current_tier(film)


@receiver(post_page_move)
def library_item_moved(sender, instance, **kwargs):
    """A film or guide moved under another coordination belongs to it from now on."""
    specific = instance.specific_deferred
    if not isinstance(specific, FilmPage | GuidePage):
        return
    coordination = specific.find_coordination()
    type(specific).objects.filter(pk=specific.pk).update(coordination=coordination)
    specific.coordination = coordination
    from library.privacy import sync_view_restriction

    sync_view_restriction(specific)


for _model in (FilmPage, GuidePage):
    post_save.connect(_library_item_saved, sender=_model, dispatch_uid=f"library-privacy-{_model.__name__}")


@receiver(post_save, sender=CoordinationPage)
def coordination_saved(sender, instance, raw=False, **kwargs):
    """A coordination's editors' group joins every network-tier restriction as soon as it is set."""
    if raw or not instance.editors_group_id:
        return
    from library.privacy import include_in_network_restrictions

    include_in_network_restrictions(instance.editors_group_id)
