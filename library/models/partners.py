"""Partner organisations, their API tokens, and the download log."""

import hashlib
import hmac

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        YOUTH = "youth", _("Youth structure")
        SOCIAL_CENTRE = "social_centre", _("Social centre")
        CINEMA = "cinema", _("Cinema")
        LIBRARY = "library", _("Library")
        MISSION_LOCALE = "mission_locale", _("Mission locale")
        ASSOCIATION = "association", _("Association")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, default=Kind.ASSOCIATION)
    coordination = models.ForeignKey(
        "library.CoordinationPage", verbose_name=_("coordination"), on_delete=models.PROTECT, related_name="partners"
    )
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("user accounts"), blank=True, related_name="partner_organisations"
    )
    download_rate_per_hour = models.PositiveIntegerField(
        _("downloads per hour"), default=120, help_text=_("Rate limit shared by every token of the organisation.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to suspend the partnership: its accounts and tokens are refused at once."),
    )
    active_until = models.DateField(
        _("active until"),
        null=True,
        blank=True,
        help_text=_(
            "Last day of the partnership; its accounts and tokens are refused from the next day. Empty: no end."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("coordination"),
        FieldPanel("commune"),
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("members"),
        FieldPanel("download_rate_per_hour"),
        FieldPanel("is_active"),
        FieldPanel("active_until"),
    ]

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def in_force_q(prefix="", today=None):
        """Organisations whose partnership holds today: active, and not past their last day."""
        today = today or timezone.localdate()
        return Q(**{f"{prefix}is_active": True}) & (
            Q(**{f"{prefix}active_until__isnull": True}) | Q(**{f"{prefix}active_until__gte": today})
        )

    def in_force(self, today=None):
        today = today or timezone.localdate()
        return self.is_active and (self.active_until is None or self.active_until >= today)


class PartnerToken(models.Model):
    """Wagtail's APIToken, tied to an organisation and given an expiry date."""

    api_token = models.OneToOneField("wagtailcore.APIToken", on_delete=models.CASCADE, related_name="partner")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="tokens")
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")

    def __str__(self):
        return f"{self.organisation} – {self.api_token.prefix}…"

    @classmethod
    def issue(cls, organisation, user, name, expires_at=None):
        """Create the APIToken of `user` (a member of `organisation`) and its PartnerToken: `(partner_token, plaintext)`.

        The plaintext exists only here: only its hash is stored.
        """
        from wagtail.models import APIToken

        with transaction.atomic():
            api_token, plaintext = APIToken.create_token(user=user, name=name)
            partner_token = cls.objects.create(api_token=api_token, organisation=organisation, expires_at=expires_at)
        return partner_token, plaintext

    @property
    def is_valid(self):
        if self.api_token.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


def hash_ip(address):
    """A keyed hash of the client address: lets abuse be correlated, never read back."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


class DownloadEvent(models.Model):
    organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(
        "wagtailcore.APIToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    coordination = models.ForeignKey(
        "library.CoordinationPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item_title = models.CharField(max_length=255)
    rendition = models.CharField(max_length=40)
    ip_hash = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at"]
