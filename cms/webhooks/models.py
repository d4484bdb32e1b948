"""Webhook endpoints (managed in the admin) and the log of every delivery attempt."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.webhooks.addresses import validate_endpoint_url


class EventType(models.TextChoices):
    PUBLISHED = "page.published", _("Page published")
    UNPUBLISHED = "page.unpublished", _("Page unpublished")
    DELETED = "page.deleted", _("Page deleted")
    TIER_CHANGED = "film.tier_changed", _("Film tier changed (e.g. consent withdrawn)")


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500, help_text=_("Receives a signed JSON POST for each event."))
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        default=new_secret,
        help_text=_("Shared with the receiver, which checks the X-Webhook-Signature header with it."),
    )
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Event types to send; empty means every event.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # Checked again before every delivery (cms.webhooks.transport): DNS answers change.
        try:
            validate_endpoint_url(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error}) from None

    def wants(self, event_type):
        return self.is_active and (not self.events or event_type in self.events)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Waiting for a retry")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint}"
