"""Uploads in progress: one row per file an editor is sending.

The row exists before any byte arrives so that an upload survives a dropped
connection or a closed tab (the browser keeps the session id and asks which
parts already arrived), and so that a scheduled cleanup can find and abort
what was abandoned. The object key is generated here, never taken from the
uploader's file name.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadSession(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")
        ABORTED = "aborted", _("Cancelled")
        FAILED = "failed", _("Refused")

    class Mode(models.TextChoices):
        S3 = "s3", _("Direct to S3 (multipart)")
        LOCAL = "local", _("Through the server, in chunks")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VIDEO)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey("wagtailcore.Collection", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255)
    original_filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text=_("Size announced by the browser, checked at the end."))
    storage_prefix = models.CharField(max_length=64, unique=True)
    key = models.CharField(max_length=255, help_text=_("Name of the object in the private storage."))
    multipart_upload_id = models.CharField(max_length=255, blank=True)
    received = models.PositiveBigIntegerField(default=0, help_text=_("Bytes written so far (chunked uploads)."))
    error = models.TextField(blank=True)
    needs_cleanup = models.BooleanField(
        default=False, help_text=_("The storage could not be cleaned when the upload was refused; retried later.")
    )
    video = models.ForeignKey("library.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("upload in progress")
        verbose_name_plural = _("uploads in progress")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_filename
