"""The video job: probe, poster frame, 720p and 360p renditions, then ready.

A job claims its video with a conditional UPDATE (pending → processing), so
two workers never process the same video, and a retried or re-queued job
starts from a clean slate: old renditions are deleted before new ones are
written. Any refusal ends in `failed` with the reason shown to editors.

While it works the job stamps a heartbeat on the row (`heartbeat`), so a
worker killed mid-transcode is noticed within minutes, and it works in a
locked scratch directory of its own (`scratch`), which the next worker to
start deletes if the job died with it. A job that finds no room in the
scratch space goes back to `pending` and runs again later.
"""

import datetime
import io
import logging

from django_tasks import task

from django.core.files import File
from django.core.files.images import ImageFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from library.assets.media.errors import MediaError
from library.assets.processing import runs_in_process, schedule
from library.assets.processing.files import local_copy
from library.assets.processing.heartbeat import heartbeat
from library.assets.processing.scratch import ScratchFullError, job_directory
from library.models import LibraryImage, ProcessingStatus, Video, VideoRendition
from library.models.films import publish_films_waiting_for

logger = logging.getLogger(__name__)

#: How long a job that found the scratch space full waits before it runs again.
SCRATCH_FULL_DELAY = datetime.timedelta(minutes=5)
#: Room a job asks of the scratch space, as a multiple of the master's size (its copy and the renditions).
SCRATCH_NEED_RATIO = 2


def schedule_video_processing(video_id):
    return schedule(process_video, video_id)


def claim(video_id):
    claimed = Video.objects.filter(pk=video_id, status=ProcessingStatus.PENDING).update(
        status=ProcessingStatus.PROCESSING,
        processing_started_at=timezone.now(),
        attempts=F("attempts") + 1,
        failure_reason="",
    )
    return Video.objects.filter(pk=video_id).first() if claimed else None


@task()
def process_video(video_id):
    video = claim(video_id)
    if video is None:
        return "skipped"
    try:
        needed = SCRATCH_NEED_RATIO * (video.file_size or 0)
        with job_directory("video-", needed=needed) as directory, heartbeat(video.pk):
            _process(video, directory)
    except ScratchFullError as error:
        return _wait_for_room(video, error)
    except MediaError as error:
        _fail(video, str(error))
        return "failed"
    except Exception as error:
        logger.exception("processing of video %s failed", video_id)
        _fail(
            video,
            _("Unexpected error during processing (%(error)s). Retry, or contact an administrator.")
            % {"error": error.__class__.__name__},
        )
        return "failed"
    return "ready"


def _wait_for_room(video, error):
    """Put the video back in the queue to run once the scratch space has room (or fail where nothing waits)."""
    if runs_in_process():
        _fail(video, _("Not enough room to process this video yet (%(reason)s). Retry later.") % {"reason": error})
        return "failed"
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.PENDING, attempts=F("attempts") - 1)
    process_video.using(run_after=timezone.now() + SCRATCH_FULL_DELAY).enqueue(video.pk)
    logger.warning("video %s waits for room in the scratch space: %s", video.pk, error)
    return "deferred"


def _fail(video, reason):
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.FAILED, failure_reason=reason[:2000])


def _process(video, directory):
    # PyAV is imported by the job, not with the module: the web worker imports
    # this module to enqueue the task and must not load FFmpeg for that.
    from library.assets.media.probe import probe
    from library.assets.media.transcode import RENDITIONS, transcode

    if not video.file:
        raise MediaError(_("The video has no master file."))
    master = local_copy(video.file, directory, "master")
    info = probe(master)
    outputs = {spec: f"{directory}/{spec.name}.mp4" for spec in RENDITIONS}
    results, poster = transcode(master, outputs)
    _replace_renditions(video, outputs, results)
    if poster is not None:
        _save_poster(video, poster)
    Video.objects.filter(pk=video.pk).update(
        status=ProcessingStatus.READY, processed_at=timezone.now(), failure_reason="", **info.as_fields()
    )
    _publish_waiting_films(video)


def _publish_waiting_films(video):
    """Films scheduled (or imported as published) while this video was processing go live now."""
    try:
        publish_films_waiting_for(video.pk)
    except Exception:  # the video is ready whatever happens; publish_scheduled will retry
        logger.exception("films waiting for video %s could not be published", video.pk)


def _replace_renditions(video, outputs, results):
    for rendition in video.renditions.filter(name__in=[spec.name for spec in outputs]):
        rendition.file.delete(save=False)
        rendition.delete()
    for spec, path in outputs.items():
        rendition = VideoRendition(video=video, name=spec.name, **results[spec.name])
        with open(path, "rb") as handle:
            rendition.file_size = handle.seek(0, io.SEEK_END)
            handle.seek(0)
            rendition.file.save(f"{spec.name}.mp4", File(handle), save=False)
        rendition.save()


def _save_poster(video, image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    old_poster = video.poster
    poster = LibraryImage(
        title=_("Poster of “%(title)s”") % {"title": video.title},
        collection=video.collection,
        uploaded_by_user=video.uploaded_by_user,
    )
    poster.file = ImageFile(buffer, name=f"poster-{video.storage_prefix[:12]}.jpg")
    poster.save()
    Video.objects.filter(pk=video.pk).update(poster=poster)
    if old_poster is not None:
        old_poster.delete()


def reset_for_retry(video):
    """Put a failed (or stuck) video back in the queue; returns whether it was re-queued."""
    updated = Video.objects.filter(
        pk=video.pk, status__in=[ProcessingStatus.FAILED, ProcessingStatus.PROCESSING]
    ).update(status=ProcessingStatus.PENDING, failure_reason="")
    if updated:
        schedule_video_processing(video.pk)
    return bool(updated)
