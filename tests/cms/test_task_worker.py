"""`manage.py task_worker` waits out a database outage instead of exiting.

The worker runs in its own process, as in production, with its database
connection through a TCP proxy the test owns (`tests/faults.py`); the
proxy is killed for a few seconds, then traffic flows again, and a task
queued after the outage must still run. `db_worker`, which it replaces,
exited at the first error.
"""

import os
import subprocess
import sys
import time

import pytest
from django_tasks_db.models import DBTaskResult, get_date_max

from django.db import connections

from tests.faults import TCPProxy
from tests.paths import PROJECT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_proxy():
    settings = connections["default"].settings_dict
    with TCPProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)) as proxy:
        yield proxy


def start_worker(command, proxy):
    settings = connections["default"].settings_dict
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        "DATABASE_CONNECT_TIMEOUT": "1",
        "TASKS_BACKEND": "database",
        "LOG_FORMAT": "text",
        "PYTHONPATH": str(PROJECT),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", command, "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


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


def stop(worker):
    if worker.poll() is None:
        worker.terminate()
    return worker.communicate(timeout=20)[0]


def test_the_worker_waits_out_an_outage_and_runs_what_comes_after(database_proxy):
    worker = start_worker("task_worker", database_proxy)
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
    worker = start_worker("db_worker", database_proxy)
    try:
        assert wait_for_result(queue_task(2)) == 4
        database_proxy.kill()
        worker.wait(timeout=20)
    finally:
        stop(worker)
    assert worker.returncode != 0
