"""Task workers run as production runs them: `manage.py task_worker` in a process of its own.

The worker reads the test database (directly, or through a port such as a
fault proxy's) with the development settings and the database task queue;
`env` adds or overrides variables (the S3 server, short heartbeats).
"""

import os
import subprocess
import sys
import tempfile

from django.db import connections

from tests.paths import PROJECT
from tests.s3 import ACCESS_KEY, BUCKET, REGION, SECRET_KEY


def s3_environment(s3_server):
    """The variables that point a process's storages at the session's S3 server."""
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def start_worker(command="task_worker", port=None, env=None):
    settings = connections["default"].settings_dict
    port = port or int(settings["PORT"] or 5432)
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{port}/{settings['NAME']}",
        "DATABASE_CONNECT_TIMEOUT": "1",
        "TASKS_BACKEND": "database",
        "LOG_FORMAT": "text",
        "PYTHONPATH": str(PROJECT),
        **(env or {}),
    }
    # Output goes to a file: a pipe nobody reads fills up and stops the worker mid-log.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by stop)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", command, "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=PROJECT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker.log = log
    return worker


def stop(worker):
    """Stop the worker (if it still runs) and return what it printed."""
    if worker.poll() is None:
        worker.terminate()
    worker.wait(timeout=20)
    with worker.log:
        worker.log.seek(0)
        return worker.log.read()
