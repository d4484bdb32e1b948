"""`manage.py task_worker`: django-tasks-db's `db_worker` that outlives a database outage.

`db_worker` stops at the first database error that is not a lock, so a
PostgreSQL restart left the queue without a worker until someone noticed.
This command takes the same options and runs the same loop; when the
database goes away it logs one warning, closes its connections and tries
again after 1, 2, 4... seconds (at most `MAX_BACKOFF`), logs one line when
the database is back, and goes on. Run it supervised all the same
(`docs/deployment.md`: systemd with `Restart=always`), for what no retry
mends.

A worker also looks after the jobs of workers that died: when it starts it
deletes the scratch directories no running job holds, and every
`WATCH_SECONDS` it queues again the videos whose job stopped beating
(`library.assets.processing.maintenance`), so a job killed with its worker
is taken again within minutes, by this worker or another.
"""

import logging
import threading
import time

from django_tasks_db.management.commands import db_worker

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger("cms.task_worker")

#: Longest wait, in seconds, between two tries while the database is away.
MAX_BACKOFF = 30.0
#: Seconds between two looks for dead jobs.
WATCH_SECONDS = 60.0


def look_after_dead_jobs():
    """Queue again the videos whose job stopped beating; never lets an error stop the worker."""
    from library.assets.processing.maintenance import requeue_stale_videos

    try:
        requeue_stale_videos()
    except (OperationalError, InterfaceError):
        pass  # the database is away: the worker's own loop says so
    except Exception:
        logger.exception("looking for dead jobs failed")
    finally:
        connections.close_all()


def watch_dead_jobs(stopped, every):
    while not stopped.wait(every):
        look_after_dead_jobs()


class ResilientWorker(db_worker.Worker):
    def run(self):
        delay = 1.0
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError):
                if not self.running:
                    return None
                logger.warning(
                    "Database unreachable; the worker waits and tries again (at most every %.0f s).",
                    MAX_BACKOFF,
                    exc_info=True,
                )
                delay = self._wait_for_database(delay)
                logger.warning("Database reachable again; the worker goes on.")
        return None

    def _wait_for_database(self, delay):
        """Sleep with a doubling delay until a connection opens; returns the delay to start from next time."""
        while self.running:
            connections.close_all()
            time.sleep(delay)
            try:
                connections["default"].ensure_connection()
                return 1.0
            except (OperationalError, InterfaceError):
                delay = min(delay * 2, MAX_BACKOFF)
        return delay


class Command(db_worker.Command):
    help = "Run the database task queue's worker, waiting out database outages."

    def handle(self, *args, **options):
        from library.assets.processing.scratch import clean_orphans

        clean_orphans()
        look_after_dead_jobs()
        stopped = threading.Event()
        every = min(WATCH_SECONDS, settings.LIBRARY_STALE_PROCESSING_SECONDS / 2)
        watcher = threading.Thread(target=watch_dead_jobs, args=(stopped, every), name="dead-jobs", daemon=True)
        watcher.start()
        original, db_worker.Worker = db_worker.Worker, ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
            stopped.set()
