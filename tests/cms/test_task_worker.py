"""`manage.py task_worker` waits out a database outage instead of exiting.

The worker runs in its own process, as in production, with its database
connection through a TCP proxy the test owns (`tests/faults.py`); the
proxy is killed for a few seconds, then traffic flows again, and a task
queued after the outage must still run. `db_worker`, which it replaces,
exited at the first error.
"""

import time

import pytest
from django_tasks_db.models import DBTaskResult, get_date_max

from django.db import connections

from tests.faults import TCPProxy
from tests.workers import start_worker, stop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_proxy():
    settings = connections["default"].settings_dict
    with TCPProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)) as proxy:
        yield proxy


def queue_task(value):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [value], "kwargs": {}},
        task_path="tests.cms.worker_tasks.double",
        backend_name="default",
        run_after=get_date_max(),
    )


def wait_for_result(task, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task.refresh_from_db()
        if task.status == "SUCCESSFUL":
            return task.return_value
        time.sleep(0.2)
    raise AssertionError(f"task still {task.status} after {seconds} s")


def test_the_worker_waits_out_an_outage_and_runs_what_comes_after(database_proxy):
    worker = start_worker("task_worker", port=database_proxy.port)
    try:
        assert wait_for_result(queue_task(2)) == 4
        database_proxy.kill()
        time.sleep(4)
        assert worker.poll() is None, "the worker exited during the outage"
        database_proxy.restore()
        assert wait_for_result(queue_task(21)) == 42
    finally:
        output = stop(worker)
    assert output.count("Database unreachable") == 1, output
    assert output.count("Database reachable again") == 1, output


def test_db_worker_alone_exits_on_the_first_error(database_proxy):
    worker = start_worker("db_worker", port=database_proxy.port)
    try:
        assert wait_for_result(queue_task(2)) == 4
        database_proxy.kill()
        worker.wait(timeout=20)
    finally:
        stop(worker)
    assert worker.returncode != 0
