"""`/api/v3/films/?facets=true`: counts over the whole visible list, its access rule, constant queries."""

import json
from pathlib import Path

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library.api.catalogue import make_extra_film, module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

LIST = "/api/v3/films/"
#: Measure the view, not the server-side cache of anonymous answers (cms.caching).
FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}


def facets(client, params=None, **headers):
    response = client.get(LIST, {"facets": "true", **(params or {})}, **FRESH, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def counted(facet):
    """`{slug (or year): count}` of one facet."""
    return {bucket.get("slug", bucket.get("year")): bucket["count"] for bucket in facet}


def test_anonymous_counts_cover_the_public_film_only(client, catalogue):
    body = facets(client)
    assert body["count"] == 1
    found = body["facets"]
    assert found["coordination"] == [
        {"id": catalogue.coord_a.pk, "slug": "alpha", "name": "Coordination Alpha", "count": 1}
    ]
    assert counted(found["theme"]) == {"citoyennete": 1, "ecologie": 1}
    assert found["theme"][0] == {"slug": "citoyennete", "name": "Citoyenneté", "count": 1}
    assert counted(found["audience"]) == {"jeunes": 1}
    assert counted(found["genre"]) == {"documentaire": 1}
    assert counted(found["action_type"]) == {"atelier": 1}
    assert found["year"] == [{"year": 2021, "count": 1}]
    assert counted(found["language"]) == {"fr": 1, "ar": 1}
    assert found["accessibility"] == {"captions": 1, "sdh": 0, "audio_description": 0, "sign_language": 0}


def test_without_the_parameter_the_answer_has_no_facets(client, catalogue):
    body = client.get(LIST).json()
    assert "facets" not in body
    assert body["count"] == 1


def test_a_film_the_requester_may_not_see_is_in_no_count(client, catalogue, bearer):
    # Anonymous visitors do not see the network film (2019) nor coordination Bêta's internal film.
    anonymous = facets(client)["facets"]
    assert counted(anonymous["year"]) == {2021: 1}
    assert counted(anonymous["coordination"]) == {"alpha": 1}
    partner = facets(client, **bearer(catalogue.tokens["partner"]))
    assert partner["count"] == 2
    assert counted(partner["facets"]["year"]) == {2021: 1, 2019: 1}
    assert counted(partner["facets"]["coordination"]) == {"alpha": 2}
    # An editor of Bêta sees her own internal film, never Alpha's internal, withdrawn or draft films.
    client.force_login(catalogue.users["editor_b"])
    editor = facets(client)
    assert editor["count"] == 3
    assert counted(editor["facets"]["coordination"]) == {"alpha": 2, "beta": 1}
    assert counted(editor["facets"]["year"]) == {2021: 1, 2019: 1, 2022: 1}
    client.force_login(catalogue.users["editor_a"])
    assert counted(facets(client)["facets"]["coordination"]) == {"alpha": 4}


def test_each_facet_ignores_its_own_filter_and_applies_the_others(client, catalogue, bearer):
    auth = bearer(catalogue.tokens["partner"])
    body = facets(client, {"year_min": 2020}, **auth)
    assert body["count"] == 1  # the public film (2021), not the network film (2019)
    # The year counts ignore the year filter: the 2019 film is counted there...
    assert counted(body["facets"]["year"]) == {2021: 1, 2019: 1}
    # ... and nowhere else.
    assert counted(body["facets"]["coordination"]) == {"alpha": 1}
    body = facets(client, {"theme": "ecologie", "has_captions": "true"}, **auth)
    assert body["count"] == 1
    assert counted(body["facets"]["theme"]) == {"citoyennete": 1, "ecologie": 1}
    assert body["facets"]["accessibility"]["captions"] == 1
    # Without the theme filter the partner's two films have captions or not: only the theme applies here.
    body = facets(client, {"has_captions": "true"}, **auth)
    assert body["facets"]["accessibility"]["captions"] == 1
    assert counted(body["facets"]["year"]) == {2021: 1}
    body = facets(client, {"genre": "documentaire"}, **auth)
    assert counted(body["facets"]["genre"]) == {"documentaire": 1}
    assert counted(body["facets"]["year"]) == {2021: 1}


def test_filters_matching_nothing_give_empty_facets(client, catalogue):
    body = facets(client, {"year_max": 1950})
    assert body["count"] == 0
    assert body["facets"]["theme"] == []
    assert counted(body["facets"]["year"]) == {2021: 1}  # its own filter is ignored
    assert body["facets"]["accessibility"] == {"captions": 0, "sdh": 0, "audio_description": 0, "sign_language": 0}


@pytest.mark.parametrize("value", ["maybe", "2", ""])
def test_a_bad_facets_value_is_a_422(client, catalogue, value):
    response = client.get(LIST, {"facets": value})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_facets_are_kept_until_the_read_model_changes(client, catalogue):
    cache.clear()
    facets(client)
    with CaptureQueriesContext(connection) as kept:
        facets(client)
    with CaptureQueriesContext(connection) as plain:
        client.get(LIST, **FRESH)
    # Kept: the facets cost no query beyond the list's own.
    assert len(kept) == len(plain)


def measure(client, **headers):
    cache.clear()
    client.get(LIST, {"limit": 1}, **FRESH, **headers)  # taxonomy labels are cached: warm them
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        body = facets(client, {"theme": "citoyennete"}, **headers)
    return len(queries), body


def test_query_count_does_not_grow_with_the_catalogue(
    client, catalogue, bearer, django_assert_num_queries, django_capture_on_commit_callbacks
):
    auth = bearer(catalogue.tokens["partner"])
    small, body = measure(client, **auth)
    assert body["count"] == 1
    catalogue.extra_posters = [catalogue.poster]
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(40):
            make_extra_film(catalogue, number, catalogue.films["public"].consent)
    large, body = measure(client, **auth)
    assert body["count"] == 41
    assert counted(body["facets"]["theme"]) == {"citoyennete": 41, "ecologie": 41}
    assert sum(counted(body["facets"]["year"]).values()) == 41
    assert large == small, (small, large)
    cache.clear()
    with django_assert_num_queries(small):
        client.get(LIST, {"facets": "true", "theme": "citoyennete"}, **FRESH, **auth)


def test_the_openapi_document_types_the_facets():
    document = json.loads((Path(__file__).parents[3] / "docs" / "openapi.json").read_text())
    operation = next(
        op for path in document["paths"].values() for op in path.values() if op.get("operationId") == "listFilms"
    )
    assert "facets" in {parameter["name"] for parameter in operation["parameters"]}
    schemas = document["components"]["schemas"]
    assert set(schemas["FilmFacets"]["required"]) == {
        "coordination",
        "theme",
        "audience",
        "genre",
        "action_type",
        "year",
        "language",
        "accessibility",
    }
    assert set(schemas["AccessibilityCounts"]["properties"]) == {
        "captions",
        "sdh",
        "audio_description",
        "sign_language",
    }
    assert "facets" in schemas["FilmList"]["properties"]
