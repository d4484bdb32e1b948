"""Periodic housekeeping, run by `manage.py library_maintenance`.

- A video in `processing` whose job has not stamped its heartbeat for
  LIBRARY_STALE_PROCESSING_SECONDS belonged to a worker (or web process, on
  the embedded default) that was killed: it goes back to `pending` and is
  queued again, and the dead job's task row, left `RUNNING`, is closed as
  failed. Workers run this check themselves every minute
  (`manage.py task_worker`), so a job is taken again within minutes.
- Scratch directories of jobs that died with their worker are deleted
  (`scratch.clean_orphans`).
- Uploads left open longer than LIBRARY_ABANDONED_UPLOAD_HOURS are aborted:
  the multipart upload (and the parts S3 keeps, and bills) or the partial
  file are deleted. Refused uploads whose storage could not be cleaned at
  the time (storage down) are cleaned now.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from library.assets.media.errors import MediaError
from library.models import ProcessingStatus, UploadSession, Video

logger = logging.getLogger(__name__)


def requeue_stale_videos(now=None, minutes=None, seconds=None):
    """Queue again the videos whose job shows no sign of life; returns their ids."""
    from library.assets.processing.videos import schedule_video_processing

    now = now or timezone.now()
    if seconds is None:
        seconds = settings.LIBRARY_STALE_PROCESSING_SECONDS if minutes is None else minutes * 60
    cutoff = now - datetime.timedelta(seconds=seconds)
    # A job stamps its heartbeat as it starts; a row without one comes from before heartbeats.
    last_sign_of_life = Coalesce("processing_heartbeat_at", "processing_started_at")
    stale = list(
        Video.objects.filter(status=ProcessingStatus.PROCESSING)
        .alias(alive_at=last_sign_of_life)
        .filter(alive_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    requeued = []
    for video_id in stale:
        if Video.objects.filter(pk=video_id, status=ProcessingStatus.PROCESSING).update(
            status=ProcessingStatus.PENDING
        ):
            close_dead_task_rows("library.assets.processing.videos.process_video", video_id, now)
            schedule_video_processing(video_id)
            requeued.append(video_id)
    if requeued:
        logger.warning("re-queued video(s) %s: their jobs stopped beating (worker killed?)", requeued)
    return requeued


class WorkerLostError(Exception):
    """Names, in a task row, a job whose worker died while running it."""


def close_dead_task_rows(task_path, object_id, now):
    """Mark failed the database queue's `RUNNING` rows of a job found dead, so no row stays running for ever."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=task_path, args_kwargs__args=[object_id]
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
        traceback="The worker running this job stopped without finishing it; the job was queued again.",
    )


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
