"""Alerts for editors: a film whose consent lapsed was narrowed without anyone touching it.

Django messages vanish with the request that carries them; these rows stay
until an editor of the coordination acknowledges them on the dashboard.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.core.tiers import Tier


class ConsentAlert(models.Model):
    class Reason(models.TextChoices):
        EXPIRED = "expired", _("Consent expired")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        NARROWED = "narrowed", _("Consent narrowed")

    film = models.ForeignKey(
        "library.FilmPage", verbose_name=_("film"), on_delete=models.CASCADE, related_name="consent_alerts"
    )
    coordination = models.ForeignKey(
        "library.CoordinationPage",
        verbose_name=_("coordination"),
        null=True,
        on_delete=models.CASCADE,
        related_name="consent_alerts",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    old_tier = models.CharField(_("previous tier"), max_length=16, choices=Tier.choices)
    new_tier = models.CharField(_("new tier"), max_length=16, choices=Tier.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consent alert")
        verbose_name_plural = _("consent alerts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.film_id}: {self.old_tier} → {self.new_tier}"
