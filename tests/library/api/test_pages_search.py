"""`?search=` on Wagtail's v3 and v2 pages APIs: answered, and filtered by access like every other list.

The access filter is a set of subqueries that search backends cannot read;
it reaches them as one filter on the page id (`access.searchable_pages`).
"""

import pytest

from wagtail.models import APIToken

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

V3 = "/api/v3/pages/"
V2 = "/api/v2/pages/"
#: Every film and guide title of the catalogue (French tree), all matching the search "film" or "guide".
LIBRARY_TITLES = {
    "Film public",
    "Film réseau",
    "Film interne",
    "Film retiré",
    "Film brouillon",
    "Film de Bêta",
    "Guide public",
    "Guide réseau",
    "Guide interne",
}
SEARCHES = [{"search": "film"}, {"search": "film", "type": "library.FilmPage"}, {"search": "guide"}]


def library_titles(response):
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]} & LIBRARY_TITLES


def matching(titles, params):
    word = params["search"]
    return {title for title in titles if title.lower().startswith(word)}


def editor_token(user):
    return APIToken.create_token(user=user, name="Outil d'édition")[1]


@pytest.mark.parametrize("params", SEARCHES)
@pytest.mark.parametrize("url", [V3, V2])
def test_anonymous_search_lists_public_live_items(client, catalogue, params, url):
    assert library_titles(client.get(url, params)) == matching({"Film public", "Guide public"}, params)


@pytest.mark.parametrize("params", SEARCHES)
def test_v3_partner_token_search_lists_only_what_it_may_edit(client, catalogue, bearer, params):
    """Wagtail's v3 pages API shows a token the pages its user may edit: a partner's, none."""
    assert library_titles(client.get(V3, params, **bearer(catalogue.tokens["partner"]))) == set()


@pytest.mark.parametrize("params", SEARCHES)
def test_v3_editor_token_search_keeps_other_coordinations_out(client, catalogue, bearer, params):
    response = client.get(V3, params, **bearer(editor_token(catalogue.users["editor_a"])))
    own = LIBRARY_TITLES - {"Film de Bêta"}
    assert library_titles(response) == matching(own, params)
    response = client.get(V3, params, **bearer(editor_token(catalogue.users["editor_b"])))
    assert library_titles(response) == matching({"Film de Bêta"}, params)


@pytest.mark.parametrize("params", SEARCHES)
def test_v2_session_search_follows_the_tiers(client, catalogue, params):
    client.force_login(catalogue.users["partner"])
    network = {"Film public", "Film réseau", "Guide public", "Guide réseau"}
    assert library_titles(client.get(V2, params)) == matching(network, params)
    client.force_login(catalogue.users["editor_b"])
    assert library_titles(client.get(V2, params)) == matching(network | {"Film de Bêta"}, params)
    client.force_login(catalogue.users["editor_a"])
    own_live = LIBRARY_TITLES - {"Film brouillon", "Film de Bêta"}
    assert library_titles(client.get(V2, params)) == matching(own_live, params)


def test_search_on_an_unindexed_filter_is_a_client_error(client, catalogue):
    response = client.get(V3, {"search": "film", "slug": "film-public"})
    assert response.status_code == 422, response.content
    response = client.get(V3, {"search": "film", "type": "library.FilmPage", "year": 2021})
    assert library_titles(response) == {"Film public"}  # year is indexed
