"""Periodic housekeeping, run by `manage.py library_maintenance`.

- A video left in `processing` longer than LIBRARY_STALE_PROCESSING_MINUTES
  belonged to a worker (or web process, on the embedded default) that was
  killed: it goes back to `pending` and is queued again.
- Uploads left open longer than LIBRARY_ABANDONED_UPLOAD_HOURS are aborted:
  the multipart upload (and the parts S3 keeps, and bills) or the partial
  file are deleted. Refused uploads whose storage could not be cleaned at
  the time (storage down) are cleaned now.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from library.assets.media.errors import MediaError
from library.models import ProcessingStatus, UploadSession, Video

logger = logging.getLogger(__name__)


def requeue_stale_videos(now=None, minutes=None):
    from library.assets.processing.videos import schedule_video_processing

    now = now or timezone.now()
    minutes = settings.LIBRARY_STALE_PROCESSING_MINUTES if minutes is None else minutes
    cutoff = now - datetime.timedelta(minutes=minutes)
    stale = list(
        Video.objects.filter(status=ProcessingStatus.PROCESSING, processing_started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    requeued = []
    for video_id in stale:
        if Video.objects.filter(pk=video_id, status=ProcessingStatus.PROCESSING).update(
            status=ProcessingStatus.PENDING
        ):
            schedule_video_processing(video_id)
            requeued.append(video_id)
    return requeued


def cleanup_uploads(now=None, hours=None):
    from library.assets.uploads.backends import get_backend

    now = now or timezone.now()
    hours = settings.LIBRARY_ABANDONED_UPLOAD_HOURS if hours is None else hours
    cutoff = now - datetime.timedelta(hours=hours)
    sessions = UploadSession.objects.filter(
        Q(state=UploadSession.State.OPEN, updated_at__lt=cutoff) | Q(needs_cleanup=True)
    )
    backend = get_backend()
    cleaned = []
    for session in sessions:
        if session.mode != backend.mode:
            continue
        try:
            backend.abort(session)
            if session.state != UploadSession.State.COMPLETED:
                backend.delete(session)
        except MediaError:
            logger.warning("upload %s could not be cleaned (storage unavailable); will retry", session.pk)
            continue
        state = UploadSession.State.ABORTED if session.state == UploadSession.State.OPEN else session.state
        UploadSession.objects.filter(pk=session.pk).update(state=state, needs_cleanup=False)
        cleaned.append(session.pk)
    return cleaned
