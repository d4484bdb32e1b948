"""A running video job's heartbeat: proof of life written to its row while it works.

A worker killed mid-transcode (OOM, a deploy, a lost machine) cannot say it
stopped. While a job runs, a thread stamps `processing_heartbeat_at` every
`LIBRARY_PROCESSING_HEARTBEAT_SECONDS`; a video in `processing` whose stamp
is older than `LIBRARY_STALE_PROCESSING_SECONDS` belonged to a dead worker,
and `maintenance.requeue_stale_videos` puts it back in the queue. A long
transcode of a large master stays alive however long it takes.
"""

import contextlib
import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from library.models import ProcessingStatus, Video

logger = logging.getLogger(__name__)


def beat(video_id):
    """Stamp the video's heartbeat; False once it is no longer processing (another job took it).

    A row locked by a transaction still open around the job (the job runs
    inside one in the demo loader and in tests) is skipped rather than waited
    for: its holder is alive by definition, and a thread blocked on the lock
    would hold the job's end up.
    """
    with transaction.atomic():
        row = Video.objects.select_for_update(skip_locked=True).filter(pk=video_id)
        if not row.exists():
            return Video.objects.filter(pk=video_id, status=ProcessingStatus.PROCESSING).exists()
        return bool(row.filter(status=ProcessingStatus.PROCESSING).update(processing_heartbeat_at=timezone.now()))


@contextlib.contextmanager
def heartbeat(video_id, every=None):
    """Stamp the video's heartbeat now, then every `every` seconds from a thread, until the block ends."""
    every = settings.LIBRARY_PROCESSING_HEARTBEAT_SECONDS if every is None else every
    beat(video_id)
    stopped = threading.Event()

    def run():
        failing = False
        try:
            while not stopped.wait(every):
                try:
                    beat(video_id)
                except Exception:  # the database may be away for a while: one warning, then go on
                    if not failing:
                        logger.warning("heartbeat of video %s could not be written", video_id, exc_info=True)
                    failing = True
                    connection.close()
                else:
                    failing = False
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"heartbeat-video-{video_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join(timeout=5)
