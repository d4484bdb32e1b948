"""The database away: 503 with Retry-After in seconds, problem+json for the API, a page for people.

The app's connection goes through a TCP proxy the test owns
(`tests/faults.py`), killed (connections reset and refused) or paused
(black-holed); the machine's PostgreSQL is never stopped. The test client
does not re-raise the view's exception, so what is checked is what a client
receives.
"""

import json
import time

import pytest

from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client

from cms.unavailable import server_error
from tests.faults import database_through_proxy

#: Seconds the app waits for PostgreSQL to accept a connection (DATABASE_CONNECT_TIMEOUT).
CONNECT_TIMEOUT = 1


@pytest.fixture
def database_proxy(transactional_db):
    with database_through_proxy(connect_timeout=CONNECT_TIMEOUT) as proxy:
        yield proxy


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def assert_api_unavailable(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    problem = json.loads(response.content)
    assert problem["status"] == 503
    assert problem["detail"] == "Le catalogue ne peut pas être lu pour le moment. Réessayez dans quelques secondes."


def test_the_api_answers_503_problem_with_the_database_down(database_proxy, visitor):
    assert visitor.get("/api/v3/films/").status_code == 200
    cache.clear()  # a cached anonymous answer would be served without the database
    database_proxy.kill()
    connections["default"].close()
    for path in ("/api/v3/films/", "/api/v3/guides/", "/api/v3/search/?q=atelier", "/api/v3/pages/"):
        assert_api_unavailable(visitor.get(path, HTTP_ACCEPT_LANGUAGE="fr"))


def test_a_connection_cut_mid_request_is_a_503_too(database_proxy, visitor):
    assert visitor.get("/api/v3/films/").status_code == 200
    cache.clear()
    # The connection stays open between requests (as with CONN_MAX_AGE); the proxy resets it.
    connections["default"].ensure_connection()
    database_proxy.kill()
    assert_api_unavailable(visitor.get("/api/v3/films/", HTTP_ACCEPT_LANGUAGE="fr"))


def test_pages_answer_a_french_503_page(database_proxy, visitor):
    database_proxy.kill()
    connections["default"].close()
    response = visitor.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Service momentanément indisponible" in response.content.decode()


def test_a_black_holed_database_answers_within_the_connect_timeout(database_proxy, visitor):
    database_proxy.pause()
    connections["default"].close()
    started = time.monotonic()
    response = visitor.get("/api/v3/films/", HTTP_ACCEPT_LANGUAGE="fr")
    elapsed = time.monotonic() - started
    assert_api_unavailable(response)
    # Before: the request waited for as long as the host did not answer (until gunicorn killed the worker).
    assert elapsed < CONNECT_TIMEOUT + 4, elapsed


def test_service_comes_back_with_the_database(database_proxy, visitor):
    database_proxy.kill()
    connections["default"].close()
    assert visitor.get("/api/v3/films/").status_code == 503
    database_proxy.restore()
    assert visitor.get("/api/v3/films/").status_code == 200


def test_other_errors_keep_the_500_page(rf):
    request = rf.get("/api/v3/films/")
    try:
        raise RuntimeError("a bug, not an outage")
    except RuntimeError:
        assert server_error(request).status_code == 500
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise ValueError("wrapped by a library") from error
    except ValueError:
        assert server_error(request).status_code == 503
