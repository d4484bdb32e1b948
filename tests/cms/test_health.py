"""Liveness and readiness: what a balancer reads, with each service in turn taken away.

Services are taken away through TCP proxies the test owns (`tests/faults.py`);
the machine's PostgreSQL and the session's S3 server are never stopped.
"""

import concurrent.futures
import datetime
import json

import pytest

from django.db import connections
from django.test import Client
from django.utils import timezone

from tests.faults import TCPProxy, database_through_proxy


class Balancer:
    """A client that asks from a thread of its own, as a server's worker thread does.

    The readiness view is asynchronous, so a synchronous client runs it through
    AsyncToSync, which refuses a thread where an event loop runs; Playwright's
    synchronous API leaves one in the main thread once a browser test has started.
    """

    def __init__(self):
        self.client = Client(raise_request_exception=False)

    def get(self, path, **headers):
        def ask():
            try:
                return self.client.get(path, **headers)
            finally:
                connections.close_all()

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
            return executor.submit(ask).result()


@pytest.fixture
def balancer():
    return Balancer()


def readiness(balancer):
    response = balancer.get("/health/ready/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def failing(report):
    return {name: reason for name, reason in report.items() if reason != "OK"}


@pytest.mark.django_db
def test_liveness_asks_no_service(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_every_service_answers(balancer):
    status, report = readiness(balancer)
    assert status == 200, report
    assert sorted(report) == [
        "Bucket(alias='private')",
        "Cache(alias='default')",
        "Database(alias='default')",
        "TaskQueueLag()",
    ]
    assert failing(report) == {}


@pytest.fixture
def proxied_database(transactional_db):
    with database_through_proxy(connect_timeout=1) as proxy:
        yield proxy


def test_not_ready_without_the_database_and_ready_again_after(balancer, proxied_database):
    proxied_database.kill()
    connections["default"].close()
    status, report = readiness(balancer)
    assert status == 503
    assert list(failing(report)) == ["Database(alias='default')"]
    assert "127.0.0.1" not in json.dumps(report)
    proxied_database.restore()
    status, report = readiness(balancer)
    assert status == 200, report


@pytest.mark.django_db
def test_not_ready_without_the_bucket(balancer, s3_server, settings):
    with TCPProxy("127.0.0.1", s3_server.port) as proxy:
        storages = s3_server.storage_settings(settings.STORAGES)
        storages["private"]["OPTIONS"]["endpoint_url"] = f"http://{proxy.address}"
        settings.STORAGES = storages
        assert readiness(balancer)[0] == 200
        proxy.kill()
        status, report = readiness(balancer)
    assert status == 503
    assert failing(report) == {"Bucket(alias='private')": "Unavailable: storage unreachable"}


@pytest.mark.django_db(transaction=True)
def test_not_ready_when_tasks_wait_too_long(balancer, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="library.assets.processing.tasks.process_video",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(minutes=30),
    )
    assert readiness(balancer)[0] == 200
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=30))
    status, report = readiness(balancer)
    assert status == 503
    assert failing(report) == {"TaskQueueLag()": "Unavailable: oldest waiting task due 30 minutes ago"}
