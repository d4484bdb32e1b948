"""Video assets: masters, renditions and text tracks.

Collection-based like Wagtail's images and documents (same per-collection
permissions). Every file lives in private storage under a key the project
generates; the uploader's file name is kept only for Content-Disposition.
"""

import logging
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail.models import CollectionMember
from wagtail.search import index

from library.core.storage import get_private_storage

logger = logging.getLogger(__name__)


def video_key(instance, filename):
    if not instance.storage_prefix:
        instance.storage_prefix = uuid.uuid4().hex
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 5:
        extension = "bin"
    return f"videos/{instance.storage_prefix}/original.{extension}"


def rendition_key(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "mp4"
    if not extension.isalnum() or len(extension) > 5:
        extension = "mp4"
    return f"videos/{instance.video.storage_prefix}/{instance.name}.{extension}"


def track_key(instance, filename):
    return f"videos/{instance.video.storage_prefix}/tracks/{uuid.uuid4().hex[:12]}-{instance.kind}-{instance.language}.vtt"


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Video(CollectionMember, index.Indexed, models.Model):
    title = models.CharField(_("title"), max_length=255)
    storage_prefix = models.CharField(max_length=64, unique=True, editable=False, default="")
    file = models.FileField(_("master file"), upload_to=video_key, storage=get_private_storage, max_length=255)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Probe results.
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True, editable=False)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    video_codec = models.CharField(_("video codec"), max_length=40, blank=True, editable=False)
    audio_codec = models.CharField(_("audio codec"), max_length=40, blank=True, editable=False)
    bitrate = models.PositiveBigIntegerField(_("bitrate"), null=True, blank=True, editable=False)

    # Processing state.
    status = models.CharField(
        _("processing state"), max_length=16, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    failure_reason = models.TextField(_("reason of failure"), blank=True, editable=False)
    processing_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Stamped by the running job (library.assets.processing.heartbeat); a stale stamp means a dead worker.
    processing_heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    poster = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("poster frame"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sign_language_video = models.ForeignKey(
        "self",
        verbose_name=_("sign-language version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A version of this film with French sign language (LSF)."),
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("collection"),
        index.FilterField("status"),
    ]
    admin_form_fields = ("title", "collection", "sign_language_video")

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]
        permissions = [("choose_video", _("Can choose video"))]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.storage_prefix:
            self.storage_prefix = uuid.uuid4().hex
        super().save(*args, **kwargs)

    @property
    def is_ready(self):
        return self.status == ProcessingStatus.READY


class VideoRendition(models.Model):
    class Name(models.TextChoices):
        WEB_720P = "720p", _("Web 720p")
        LOW_360P = "360p", _("Low bandwidth 360p")
        AUDIO_DESCRIPTION = "audio_description", _("Audio description")

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=32, choices=Name.choices)
    file = models.FileField(upload_to=rendition_key, storage=get_private_storage, max_length=255)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    duration = models.FloatField(null=True)
    file_size = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video rendition")
        constraints = [models.UniqueConstraint(fields=["video", "name"], name="unique_video_rendition")]


class TextTrack(models.Model):
    class Kind(models.TextChoices):
        SUBTITLES = "subtitles", _("Subtitles")
        CAPTIONS = "captions", _("Captions for the deaf and hard of hearing")
        DESCRIPTIONS = "descriptions", _("Audio description script")
        CHAPTERS = "chapters", _("Chapters")

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="text_tracks")
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SUBTITLES)
    label = models.CharField(_("label"), max_length=80, blank=True)
    file = models.FileField(upload_to=track_key, storage=get_private_storage, max_length=255)
    text = models.TextField(_("plain text"), blank=True, editable=False, help_text=_("Cue text, for search."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("text track")
        verbose_name_plural = _("text tracks")
        ordering = ["language", "kind"]


def delete_after_commit(field_file):
    """Remove a stored file once the deletion of its row is committed (never before: a rollback keeps both)."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete():
        try:
            storage.delete(name)
        except Exception:  # storage down: the row is gone, log the orphan for an operator
            logger.exception("could not delete %s from the private storage", name)

    transaction.on_commit(delete)
