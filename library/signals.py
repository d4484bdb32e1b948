"""Signal handlers of the library."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from library.models import ConsentRecord, CoordinationPage, FilmPage, GuidePage, LibraryImage, PartnerToken


@receiver(post_save, sender=LibraryImage)
def schedule_named_renditions(sender, instance, created, update_fields=None, **kwargs):
    """Pre-generate named renditions once the image row is committed."""
    if update_fields and "file" not in update_fields:
        return
    from library.tasks import generate_named_renditions

    transaction.on_commit(lambda: generate_named_renditions.enqueue(instance.pk))


@receiver(post_delete, sender=PartnerToken)
def revoke_orphaned_token(sender, instance, **kwargs):
    """A partner token outlives neither its organisation nor its partner row.

    Deleting an organisation deletes its `PartnerToken` rows, not Wagtail's
    `APIToken`: left alone, the token would go on working as a plain user
    token, without expiry or organisation. Revoked, it stays for the audit
    trail, as tokens revoked in the admin do.
    """
    from wagtail.models import APIToken

    APIToken.objects.filter(pk=instance.api_token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


#: Sent once a change to the API lists' read model (`library.listing`) is committed, so
#: that caches of the lists drop what they kept. Arguments: page_ids.
listing_changed = Signal()

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
    if kwargs.get("created"):
        # A copy keeps its original's coordination; the tree decides.
        _reattach(instance)
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


def canonical_coordination(item):
    """The coordination an item belongs to: its ancestor in the tree, or, in a translated tree,
    the language version that carries the editors' group (the group is one-to-one with a page)."""
    coordination = item.find_coordination()
    if coordination is None or coordination.editors_group_id:
        return coordination
    carrier = CoordinationPage.objects.filter(
        translation_key=coordination.translation_key, editors_group__isnull=False
    ).first()
    return carrier or coordination


def _reattach(item):
    """Point `coordination` at the tree's coordination if it does not already; True if it moved."""
    coordination = canonical_coordination(item)
    coordination_id = coordination.pk if coordination else None
    if item.coordination_id == coordination_id:
        return False
    type(item).objects.filter(pk=item.pk).update(coordination=coordination)
    item.coordination = coordination
    return True


@receiver(post_page_move)
def library_item_moved(sender, instance, **kwargs):
    """A film or guide moved under another coordination belongs to it from now on."""
    specific = instance.specific_deferred
    if not isinstance(specific, FilmPage | GuidePage):
        return
    _reattach(specific)
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


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, reverse=False, **kwargs):
    """A restriction written by someone else on a film or guide (Wagtail's page copy, the
    admin's privacy dialog) is brought back to what the tier says."""
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    from library.privacy import is_syncing, sync_view_restriction

    if is_syncing():
        return
    for model in (FilmPage, GuidePage):
        item = model.objects.filter(pk=instance.page_id).first()
        if item is not None:
            sync_view_restriction(item)
            return
