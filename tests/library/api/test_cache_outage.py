"""The API with Redis away: partners are served, quickly, and the outage is logged once.

Redis is reached through a TCP proxy the test owns (`tests/faults.py`), which
is killed (connections reset and refused) or paused (black-holed: nothing
answers). The machine's Redis is never stopped.
"""

import logging
import time

import pytest

from django.core.cache import cache, caches

from cms.resilient_cache import ResilientRedisCache
from tests.faults import TCPProxy
from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

REDIS_PORT = 6379
#: Well under a second: what a request may wait for a cache that does not answer.
TIMEOUT = 0.25
RETRY_SECONDS = 0.5


@pytest.fixture
def redis_proxy(settings):
    with TCPProxy("127.0.0.1", REDIS_PORT) as proxy:
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.resilient_cache.ResilientRedisCache",
                "LOCATION": f"redis://{proxy.address}/13",
                "KEY_PREFIX": "outage-test",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
                    "SOCKET_TIMEOUT": TIMEOUT,
                    "RETRY_SECONDS": RETRY_SECONDS,
                },
            }
        }
        cache.clear()
        yield proxy
        proxy.restore()
        cache.clear()


def outage_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "cms.cache"]


def films(client, catalogue, bearer):
    return client.get("/api/v3/films/", **bearer(catalogue.tokens["partner"]))


def test_the_cache_is_used_when_redis_answers(redis_proxy):
    cache.set("probe", "stored")
    assert cache.get("probe") == "stored"
    assert isinstance(caches["default"], ResilientRedisCache)


def test_partner_requests_are_served_with_redis_down(client, catalogue, bearer, redis_proxy, caplog):
    assert films(client, catalogue, bearer).status_code == 200
    redis_proxy.kill()
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        statuses = [films(client, catalogue, bearer).status_code for _ in range(10)]
    assert statuses == [200] * 10
    [line] = outage_lines(caplog)
    assert line.startswith("Cache unreachable; serving without it")


def test_a_black_holed_redis_costs_a_request_at_most_its_timeout(client, catalogue, bearer, redis_proxy):
    assert films(client, catalogue, bearer).status_code == 200
    redis_proxy.pause()
    durations = []
    for _ in range(10):
        started = time.monotonic()
        assert films(client, catalogue, bearer).status_code == 200
        durations.append(time.monotonic() - started)
    # Before: each of the half-dozen cache calls of a request waited for Redis (5 to 35 s a request).
    assert max(durations) < 1.0, durations


def test_one_warning_when_the_outage_starts_and_one_when_it_ends(client, catalogue, bearer, redis_proxy, caplog):
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        redis_proxy.kill()
        for _ in range(5):
            films(client, catalogue, bearer)
        time.sleep(RETRY_SECONDS + 0.1)
        for _ in range(5):
            films(client, catalogue, bearer)
        assert len(outage_lines(caplog)) == 1
        redis_proxy.restore()
        time.sleep(RETRY_SECONDS + 0.1)
        for _ in range(3):
            films(client, catalogue, bearer)
    lines = outage_lines(caplog)
    assert lines[0].startswith("Cache unreachable")
    assert lines[1:] == ["Cache reachable again; using it."]
    cache.set("after", "back")
    assert cache.get("after") == "back"


def test_the_rate_limit_fails_open_without_the_cache(client, catalogue, bearer, redis_proxy, settings):
    settings.LIBRARY_API_REQUESTS_PER_MINUTE = 2
    statuses = [films(client, catalogue, bearer).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    redis_proxy.kill()
    # Counting needs the cache: without it partners are served rather than all refused (was a 500).
    assert films(client, catalogue, bearer).status_code == 200
