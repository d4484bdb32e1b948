"""Consent alerts on the editors' dashboard: films that a lapsed consent narrowed, until marked as seen."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin.ui.components import Component

from library.access.rules import Requester
from library.models import ConsentAlert


class ConsentAlertsPanel(Component):
    """Dashboard panel: films of the editor's coordinations that a lapsed consent narrowed."""

    name = "consent_alerts"
    # Before the coordinations' summary (order 90): a film narrowed by a lapsed consent needs looking at first.
    order = 80
    template_name = "library/panels/consent_alerts.html"
    heading = _("Consents that lapsed")

    def __init__(self, alerts):
        self.alerts = alerts

    def get_context_data(self, parent_context):
        return {"alerts": self.alerts, "heading": self.heading}


def alerts_for(user, limit=20):
    """Unacknowledged alerts an editor should see: their coordinations', or all for national editors."""
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
    alert = next((a for a in alerts_for(request.user, limit=None) if a.pk == alert_id), None)
    if alert is None:
        raise Http404
    ConsentAlert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now(), acknowledged_by=request.user)
    messages.success(request, _("Alert about “%(title)s” marked as seen.") % {"title": alert.film.title})
    return redirect("wagtailadmin_home")


@hooks.register("construct_homepage_panels")
def add_consent_alerts_panel(request, panels):
    alerts = alerts_for(request.user)
    if alerts:
        panels.append(ConsentAlertsPanel(alerts))


@hooks.register("register_admin_urls")
def consent_alert_urls():
    return [
        path("consent-alerts/<int:alert_id>/acknowledge/", acknowledge_alert, name="library_acknowledge_consent_alert")
    ]
