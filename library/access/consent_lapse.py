"""Consent lapse: bring stored state in line when a consent expires or is withdrawn.

Request-time checks (`library.access.rules`) already hide a film the day its
consent lapses; what still shows the old tier is stored state: the film's
`effective_tier` (used by search filters and listings), its Wagtail view
restriction, the search index, and whatever listens to `film_tier_changed`
(webhooks, cache purges). `lapse_consents` fixes all of them, and leaves a
`ConsentAlert` for the coordination's editors on their dashboard.

Run it daily, shortly after midnight (cron: `5 0 * * * manage.py lapse_consents`),
or enqueue `lapse_consents_task` from a scheduler. A withdrawal or narrowing
typed into the consent register takes effect at once (see
`library.receivers`); expiry is the one event no one types in.
"""

from dataclasses import dataclass

from django_tasks import task

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail.admin.ui.components import Component

from library.access.rules import Requester, tier_at_least_q
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


class ConsentAlertsPanel(Component):
    """Dashboard panel: films of the editor's coordinations that a lapsed consent narrowed."""

    name = "consent_alerts"
    order = 90
    template_name = "library/panels/consent_alerts.html"
    heading = _("Consents that lapsed")

    def __init__(self, alerts):
        self.alerts = alerts

    def get_context_data(self, parent_context):
        return {"alerts": self.alerts, "heading": self.heading}


def alerts_for(user, limit=20):
    """Unacknowledged alerts an editor should see: their coordinations', or all for national editors."""
    from library.models import ConsentAlert

    requester = Requester(user=user)
    alerts = ConsentAlert.objects.filter(acknowledged_at__isnull=True).select_related("film", "coordination")
    if not requester.is_national:
        alerts = alerts.filter(coordination_id__in=requester.edited_coordination_ids)
    if not requester.is_editor:
        return []
    return list(alerts if limit is None else alerts[:limit])


@require_POST
def acknowledge_alert(request, alert_id):
    """An editor of the film's coordination (or a national editor) marks an alert as seen."""
    from library.models import ConsentAlert

    alert = next((a for a in alerts_for(request.user, limit=None) if a.pk == alert_id), None)
    if alert is None:
        raise Http404
    ConsentAlert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now(), acknowledged_by=request.user)
    messages.success(request, _("Alert about “%(title)s” marked as seen.") % {"title": alert.film.title})
    return redirect("wagtailadmin_home")
