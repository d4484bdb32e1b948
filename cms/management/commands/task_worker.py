"""`manage.py task_worker`: django-tasks-db's `db_worker` that outlives a database outage.

`db_worker` stops at the first database error that is not a lock, so a
PostgreSQL restart left the queue without a worker until someone noticed.
This command takes the same options and runs the same loop; when the
database goes away it logs one warning, closes its connections and tries
again after 1, 2, 4... seconds (at most `MAX_BACKOFF`), logs one line when
the database is back, and goes on. Run it supervised all the same
(`docs/deployment.md`: systemd with `Restart=always`), for what no retry
mends.
"""

import logging
import time

from django_tasks_db.management.commands import db_worker

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger("cms.task_worker")

#: Longest wait, in seconds, between two tries while the database is away.
MAX_BACKOFF = 30.0


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
        original, db_worker.Worker = db_worker.Worker, ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
