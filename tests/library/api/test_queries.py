"""Query counts of the lists do not grow with the page size (and stay at 8 or fewer)."""

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue(extra_films=50)
pytestmark = pytest.mark.django_db

MAX_QUERIES = 8
LISTS = [
    ("/api/v3/films/", {}),
    ("/api/v3/films/", {"locale": "en"}),
    ("/api/v3/films/", {"theme": "citoyennete", "year_min": 2000, "has_captions": "false", "ordering": "title"}),
    ("/api/v3/guides/", {}),
    ("/api/v3/guides/", {"locale": "en", "theme": "citoyennete"}),
    ("/api/v3/coordinations/", {"locale": "en"}),
]


#: Measure the view, not the server-side cache of anonymous answers (cms.caching).
FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}


def count_queries(client, url, params, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, **FRESH, **headers)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_anonymous_query_count_is_constant(client, catalogue, url, params):
    cache.clear()
    client.get(url, {**params, "limit": 1})  # taxonomy labels are cached: warm them like production
    counts = {}
    for limit in (5, 20, 50):
        counts[limit], body = count_queries(client, url, {**params, "limit": limit})
        if url.endswith("/films/") and "theme" not in params:
            assert len(body["items"]) == limit
    assert len(set(counts.values())) == 1, counts
    assert counts[5] <= MAX_QUERIES, counts


def test_partner_query_count_is_constant(client, catalogue, bearer, django_assert_max_num_queries):
    auth = bearer(catalogue.tokens["partner"])
    client.get("/api/v3/films/", {"limit": 1}, **auth)
    counts = {limit: count_queries(client, "/api/v3/films/", {"limit": limit}, **auth)[0] for limit in (5, 20, 50)}
    assert len(set(counts.values())) == 1, counts


def test_films_list_matches_the_issue_budget(client, catalogue, django_assert_num_queries):
    client.get("/api/v3/films/", {"limit": 1})
    expected, _body = count_queries(client, "/api/v3/films/", {"limit": 5})
    assert expected <= MAX_QUERIES
    for limit in (5, 20, 50):
        with django_assert_num_queries(expected):
            client.get("/api/v3/films/", {"limit": limit}, **FRESH)


def test_poster_renditions_come_from_the_prefetch(client, catalogue):
    items = client.get("/api/v3/films/", {"limit": 50}).json()["items"]
    with_posters = [item for item in items if item["poster"]]
    assert len(with_posters) == 50
    assert all(set(item["poster"]["renditions"]) == {"thumbnail", "card", "card_2x"} for item in with_posters)
