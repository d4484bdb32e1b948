"""Liveness and readiness for the load balancer and the process supervisor.

- `/health/live/`: the process answers. No service is asked, so a database
  outage never gets healthy workers restarted for nothing.
- `/health/ready/`: whether this instance can serve: the database, the cache,
  the bucket and the task queue's lag, through django-health-check. JSON,
  `200` when every check passes and `503` otherwise, so a balancer takes the
  instance out of rotation and puts it back once the service returns.

Both are never cached and say nothing secret: check names and short reasons,
never a host, a key or an exception's text.
"""

import dataclasses
import datetime

from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse, QueryDict
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

#: Tasks waiting longer than this mean the workers are down or outgrown.
MAX_TASK_LAG = datetime.timedelta(minutes=10)
DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"


@dataclasses.dataclass
class Bucket(HealthCheck):
    """The media bucket answers: one metadata read (a HEAD), nothing written."""

    alias: str = "private"
    timeout = datetime.timedelta(seconds=3)

    def run(self):
        try:
            storages[self.alias].exists("health/probe")
        except Exception as error:
            raise ServiceUnavailable("storage unreachable") from error


@dataclasses.dataclass
class TaskQueueLag(HealthCheck):
    """The oldest task due to run has waited less than `MAX_TASK_LAG` (database task backend only)."""

    def run(self):
        if settings.TASKS["default"]["BACKEND"] != DATABASE_TASK_BACKEND:
            return
        try:
            queue = DBTaskResult.objects.ready().order_by("enqueued_at")
            oldest = queue.values_list("enqueued_at", "run_after").first()
        finally:
            # Checks run on the executor's threads: their connection is not closed at the end of a request.
            connection.close()
        if oldest is None:
            return
        enqueued_at, run_after = oldest
        # A delayed task waits from the moment it was due, not from when it was queued.
        due = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        waited = timezone.now() - due
        if waited > MAX_TASK_LAG:
            raise ServiceUnavailable(f"oldest waiting task due {int(waited.total_seconds() // 60)} minutes ago")


class ReadinessView(HealthCheckView):
    checks = (Database, Cache, Bucket, TaskQueueLag)

    async def get(self, request, *args, **kwargs):
        request.GET = QueryDict("format=json")
        response = await super().get(request, *args, **kwargs)
        if response.status_code != 200:
            response.status_code = 503
            response["Retry-After"] = "5"
        return response


@require_GET
def live(request):
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


ready = ReadinessView.as_view()
