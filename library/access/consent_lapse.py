"""Consent lapse: bring stored state in line when a consent expires or is withdrawn.

Request-time checks (`library.access.rules`) already hide a film the day its
consent lapses; what still shows the old tier is stored state: the film's
`effective_tier` (used by search filters and listings), its Wagtail view
restriction, the search index, and whatever listens to `film_tier_changed`
(webhooks, cache purges). `lapse_consents` fixes all of them, and leaves a
`ConsentAlert` for the coordination's editors on their dashboard.

Run it daily, shortly after midnight (cron: `5 0 * * * manage.py lapse_consents`),
or enqueue `lapse_consents_task` from a scheduler. Editors see the alerts on
their dashboard (`library.admin.consent_alerts`). A withdrawal or narrowing
typed into the consent register takes effect at once (see
`library.receivers`); expiry is the one event no one types in.
"""

from dataclasses import dataclass

from django_tasks import task

from django.db import transaction
from django.utils import timezone

from library.access.rules import tier_at_least_q
from library.core.tiers import TIER_RANK, Tier


@dataclass
class Lapse:
    film: object
    old: Tier
    new: Tier


def films_too_wide(today=None):
    """Films whose stored tier is wider than their consent allows today."""
    from library.models import FilmPage

    today = today or timezone.localdate()
    stale = FilmPage.objects.none()
    for tier in (Tier.PUBLIC, Tier.NETWORK):
        allowed = FilmPage.objects.filter(tier_at_least_q(FilmPage, tier, today)).values("pk")
        stale |= FilmPage.objects.filter(effective_tier=tier).exclude(pk__in=allowed)
    return stale.select_related("consent", "coordination").order_by("pk")


def lapse_reason(film, today=None):
    from library.models import ConsentAlert

    consent = film.consent
    today = today or timezone.localdate()
    if consent is None:
        return ConsentAlert.Reason.NARROWED
    if consent.withdrawn_on and consent.withdrawn_on <= today:
        return ConsentAlert.Reason.WITHDRAWN
    if consent.expires_on and consent.expires_on < today:
        return ConsentAlert.Reason.EXPIRED
    return ConsentAlert.Reason.NARROWED


def record_alert(film, old, new):
    """On `film_tier_changed`: tell the coordination's editors when a film narrowed."""
    from library.models import ConsentAlert

    if TIER_RANK[Tier(new)] >= TIER_RANK[Tier(old)]:
        return
    ConsentAlert.objects.create(
        film=film, coordination_id=film.coordination_id, reason=lapse_reason(film), old_tier=old, new_tier=new
    )
    if film.consent_id:
        type(film.consent).objects.filter(pk=film.consent_id).update(lapse_notified_on=timezone.localdate())


def lapse_consents():
    """Narrow every film whose consent lapsed today or before; returns the list of `Lapse`s applied."""
    from library.access.privacy import apply_current_tier

    applied = []
    for film in films_too_wide():
        with transaction.atomic():
            old, new = apply_current_tier(film)
        if old != new:
            applied.append(Lapse(film=film, old=old, new=new))
    return applied


@task()
def lapse_consents_task():
    """The scheduled form of `manage.py lapse_consents` (django-tasks); returns how many films narrowed."""
    from library.access.privacy import sync_all_restrictions

    narrowed = len(lapse_consents())
    sync_all_restrictions()
    return narrowed
