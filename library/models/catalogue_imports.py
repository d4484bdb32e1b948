"""A catalogue import started from the admin: its file, its dry run, its progress and its report.

The uploaded file lives in the private storage only while the job needs it:
from the dry run until the import ends (done or failed) or is cancelled, and
`discard_file` removes it then, so no upload outlives its job. The rows'
outcomes of the dry run, then of the import, are kept in `report` (JSON):
the admin shows them without reading the file again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.core.storage import get_private_storage


def catalogue_import_key(instance, filename):
    """A key that says nothing of the file's name (the name is kept in `file_name`)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"catalogue-imports/{uuid.uuid4().hex}.{suffix}"


class CatalogueImport(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Dry run done")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    #: The states after which the job's file is of no more use.
    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: When a worker took the job (running): a job running for too long had its worker die.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    file = models.FileField(
        _("file"), upload_to=catalogue_import_key, storage=get_private_storage, max_length=255, blank=True
    )
    skip_errors = models.BooleanField(_("import the accepted rows only"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    #: {"dry_run": {counts, "rows": [...]}, "result": {counts, "rows": [...]}}
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

    @property
    def finished(self):
        return self.status in self.FINISHED

    def discard_file(self):
        """Delete the uploaded file from the storage; the job keeps its name and report."""
        if self.file:
            self.file.delete(save=False)
            type(self).objects.filter(pk=self.pk).update(file="")
