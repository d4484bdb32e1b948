"""Background processing of videos and guide documents (django-tasks).

Where the work runs, and why:

- Production sets `TASKS_BACKEND=database`: `schedule_*` enqueues a
  django-tasks job that a `manage.py db_worker` process runs.
- On the embedded default (`TASKS_BACKEND=immediate`) an enqueued task runs
  at once in the calling thread. Inside a web request (the finalize call, a
  document upload, a retry) that would put processing in the request, so
  `schedule_*` then starts a daemon thread of the web process that runs the
  task (after the transaction commits; callers use `on_commit`) and the
  response returns at once. Outside requests (management commands, the demo
  loader, data built by tests) the task simply runs inline. If the web
  process dies mid-job the video stays "processing", and `manage.py
  library_maintenance` (scheduled every few minutes) re-queues it once its
  heartbeat is older than `LIBRARY_STALE_PROCESSING_SECONDS`, exactly as a
  task worker does for a job killed with another worker.

`wait_for_background()` lets tests and benchmarks wait for those threads.
"""

import logging
import threading

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)
_threads = []
_lock = threading.Lock()
_request = threading.local()


def note_request_started():
    """Connected to `request_started` (`library.receivers`): work scheduled from now on is in a request."""
    _request.active = True


def note_request_finished():
    """Connected to `request_finished`, after the receivers that still schedule work for the request."""
    _request.active = False


def in_request():
    return getattr(_request, "active", False)


def runs_in_process():
    """True when the default backend runs tasks where they are enqueued (the immediate backend).

    Asked of the backend `TASKS` configures (`task_backends[...]`, rebuilt when
    the setting changes): django-tasks' `default_task_backend` is a proxy to
    it, never an instance of a backend class itself.
    """
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def _run_in_thread(task, *args):
    def target():
        close_old_connections()
        try:
            task.enqueue(*args)
        except Exception:
            logger.exception("background task %s%r failed", task.name, args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name=f"library-{task.name}", daemon=True)
    with _lock:
        _threads[:] = [known for known in _threads if known.is_alive()]
        _threads.append(thread)
    thread.start()
    return thread


def schedule(task, *args):
    """Enqueue `task`; on the immediate backend, inside a request, run it in a background thread."""
    if runs_in_process() and in_request():
        return _run_in_thread(task, *args)
    return task.enqueue(*args)


def wait_for_background(timeout=120):
    """Join the background threads started so far (tests, benchmarks, demo loading)."""
    with _lock:
        threads = list(_threads)
    for thread in threads:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in threads)
