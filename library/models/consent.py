"""The consent register: image-rights authorisations of the minors in a film.

One record is shared by every language version of a film (pages point at it
with a foreign key), so withdrawing consent once narrows the French and the
English page at the same moment.

The scanned forms are signed by the parents of minors: personal data. Each
opening of one is written down (`ConsentScanAccess`), and once a consent has
ended for `CONSENT_RETENTION_DAYS` its scans are deleted and its free text
blanked (`library.access.consent_retention`); what the access rule reads
(scope and dates) stays, so the film remains capped. See docs/privacy.md.
"""

import datetime
import uuid

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from library.core.storage import get_private_storage
from library.core.tiers import SCOPE_CAP, ConsentScope, Tier


def consent_form_key(instance, filename):
    """A key chosen by the project: the uploader's file name never reaches storage."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 5:
        extension = "bin"
    return f"consent-forms/{uuid.uuid4().hex}.{extension}"


CONSENT_SCAN_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def validate_consent_scan(file):
    """A scanned form is a PDF, JPEG or PNG by content (not by name), within the configured size."""
    from django.template.defaultfilters import filesizeformat

    from library.assets.media.sniff import guess_mime, read_head

    if getattr(file, "_committed", False):
        return  # already stored: checked when it was uploaded, and not read back from storage
    limit = settings.LIBRARY_MAX_UPLOAD_SIZE["consent"]
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("This scan is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="size",
        )
    mime = guess_mime(read_head(file))
    if mime not in CONSENT_SCAN_TYPES:
        raise ValidationError(
            _("A scanned form must be a PDF, JPEG or PNG file; this one is not."),
            code="type",
        )


class ConsentRecord(ClusterableModel):
    label = models.CharField(
        _("label"), max_length=255, help_text=_("Usually the film's title and the workshop's year.")
    )
    coordination = models.ForeignKey(
        "library.CoordinationPage",
        verbose_name=_("coordination"),
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    scope = models.CharField(_("scope"), max_length=16, choices=ConsentScope.choices, default=ConsentScope.NONE)
    granted_on = models.DateField(_("date of authorisation"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    participants_count = models.PositiveIntegerField(_("participants covered"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    lapse_notified_on = models.DateField(editable=False, null=True)
    #: The day the retention purge deleted the scans and blanked the notes and reason (None: never).
    personal_data_purged_on = models.DateField(_("personal data deleted on"), editable=False, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The admin form (panels, private file widget) is in library/admin/consent.py.

    class Meta:
        verbose_name = _("consent record")
        # Wagtail counts records with the plural ("30 consent records"); "consent register" names the screen.
        verbose_name_plural = _("consent records")
        ordering = ["label"]

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.scope != ConsentScope.NONE and not self.granted_on:
            errors["granted_on"] = _("Give the date of the authorisation.")
        if self.expires_on and self.granted_on and self.expires_on < self.granted_on:
            errors["expires_on"] = _("The expiry date is before the date of authorisation.")
        if self.withdrawn_on and not self.withdrawal_reason and not self.personal_data_purged_on:
            errors["withdrawal_reason"] = _("Give the reason for the withdrawal.")
        if errors:
            raise ValidationError(errors)

    def ended_on(self):
        """The day this consent stopped covering the film (withdrawal or expiry), or None while it holds.

        An expiry date is the last day covered, so the consent ends the day after.
        """
        ends = []
        if self.withdrawn_on:
            ends.append(self.withdrawn_on)
        if self.expires_on:
            ends.append(self.expires_on + datetime.timedelta(days=1))
        return min(ends) if ends else None

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= on:
            return False
        return not (self.expires_on and self.expires_on < on)

    def tier_cap(self, on=None):
        """The widest tier this consent allows today."""
        if not self.is_in_force(on):
            return Tier.INTERNAL
        return SCOPE_CAP[ConsentScope(self.scope)]

    @property
    def status(self):
        if self.withdrawn_on:
            return "withdrawn"
        if self.scope == ConsentScope.NONE:
            return "missing"
        if not self.is_in_force():
            return "expired"
        return "valid"


class ConsentForm(Orderable):
    """A scanned authorisation form: private, opened only through the admin's logged route.

    No API serves it; editors who may edit the record open it through
    `library.admin.consent_scans`, which writes a `ConsentScanAccess` first.
    """

    record = ParentalKey(ConsentRecord, on_delete=models.CASCADE, related_name="forms")
    file = models.FileField(
        _("scanned form"),
        upload_to=consent_form_key,
        storage=get_private_storage,
        validators=[validate_consent_scan],
    )
    original_filename = models.CharField(max_length=255, editable=False, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("file")]

    class Meta(Orderable.Meta):
        verbose_name = _("scanned form")
        verbose_name_plural = _("scanned forms")

    def save(self, *args, **kwargs):
        """Name a newly uploaded scan after the uploader's file; a scan replaced by another leaves storage."""
        uploaded = bool(self.file) and not getattr(self.file, "_committed", True)
        if self.file and (uploaded or not self.original_filename):
            self.original_filename = self.file.name.rsplit("/", 1)[-1][:255]
        replaced = None
        if uploaded and self.pk:
            replaced = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
        super().save(*args, **kwargs)
        if replaced and replaced != self.file.name:
            storage = self.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))


class ConsentScanAccess(models.Model):
    """One opening of a scanned form in the admin: who, when, which record and scan, viewed or downloaded.

    Written in the same transaction as the answer that hands the file over,
    so a scan is never opened unlogged. Labels are copied: the log still
    says which record was opened after the record or the scan is deleted
    (the scan's file name, which may name a family, is not copied).
    """

    class Kind(models.TextChoices):
        VIEW = "view", pgettext_lazy("consent scan access", "Viewed")
        DOWNLOAD = "download", pgettext_lazy("consent scan access", "Downloaded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_label = models.CharField(_("user name"), max_length=150)
    record = models.ForeignKey(
        ConsentRecord, verbose_name=_("consent record"), null=True, on_delete=models.SET_NULL, related_name="accesses"
    )
    record_label = models.CharField(_("consent record"), max_length=255)
    form = models.ForeignKey(
        ConsentForm, verbose_name=_("scanned form"), null=True, on_delete=models.SET_NULL, related_name="accesses"
    )
    kind = models.CharField(_("opened as"), max_length=8, choices=Kind.choices, default=Kind.VIEW)
    at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent scan opening")
        verbose_name_plural = _("consent scan openings")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_label} – {self.record_label} – {self.at:%Y-%m-%d %H:%M}"
