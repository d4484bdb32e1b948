"""One token rule on every route of the API object, Wagtail's own v3 routes included; v2 takes sessions only.

A bearer token that is unknown, revoked, expired, or whose user is no longer
a member of its organisation (or whose organisation was deleted) gets a 401
problem everywhere a token is read, never a silent anonymous answer; every
partner request counts against its organisation's rate limit. Wagtail's v2
API is a session surface: HTTP Basic credentials give no access. Answers to
credentials are private and vary on them.
"""

import base64
import datetime

import pytest

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from wagtail.models import APIToken

from library.core.groups import PARTNERS_GROUP
from library.models import PartnerOrganisation
from tests.factories import PASSWORD, make_token, make_user
from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

#: Wagtail's own v3 routes (mounted on the project's API object), and one of the library's.
TOKEN_ROUTES = ("/api/v3/whoami/", "/api/v3/pages/", "/api/v3/sites/", "/api/v3/films/")


def assert_401_problem(response):
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["detail"]


@pytest.mark.parametrize("route", TOKEN_ROUTES)
@pytest.mark.parametrize("token", ["expired", "revoked"])
def test_unusable_tokens_are_refused_on_every_route(client, catalogue, bearer, route, token):
    assert_401_problem(client.get(route, **bearer(catalogue.tokens[token])))


@pytest.mark.parametrize("route", ("/api/v3/pages/", "/api/v3/pages/find/?html_path=/"))
def test_an_unknown_token_is_not_read_as_anonymous_on_wagtail_pages(client, catalogue, route):
    assert client.get(route).status_code in (200, 302)  # anonymous visitors are welcome
    assert_401_problem(client.get(route, HTTP_AUTHORIZATION="Bearer not-a-token"))


def test_a_usable_partner_token_passes_on_wagtail_routes(client, catalogue, bearer):
    auth = bearer(catalogue.tokens["partner"])
    whoami = client.get("/api/v3/whoami/", **auth)
    assert whoami.status_code == 200
    assert whoami.json()["user"]["username"] == catalogue.users["partner"].username
    assert client.get("/api/v3/pages/", **auth).status_code == 200


@pytest.mark.parametrize("route", TOKEN_ROUTES)
def test_a_token_outlives_neither_membership_nor_organisation(client, catalogue, bearer, route):
    partner = catalogue.users["partner"]
    organisation = PartnerOrganisation.objects.create(name="Médiathèque fermée", coordination=catalogue.coord_a)
    organisation.members.add(partner)
    left = bearer(make_token(partner, organisation))
    assert client.get(route, **left).status_code in (200, 403)  # sites: a partner may not list them
    organisation.members.remove(partner)
    assert_401_problem(client.get(route, **left))

    closed = PartnerOrganisation.objects.create(name="Cinéma fermé", coordination=catalogue.coord_a)
    closed.members.add(partner)
    gone = bearer(make_token(partner, closed))
    assert client.get(route, **gone).status_code in (200, 403)
    closed.delete()
    assert_401_problem(client.get(route, **gone))


def _bare_wagtail_token(user):
    """A token made in Wagtail's own token UI: no `PartnerToken` row, so no expiry, organisation or rate limit."""
    return APIToken.create_token(user=user, name="Jeton Wagtail")[1]


@pytest.mark.parametrize("route", TOKEN_ROUTES)
@pytest.mark.parametrize("holder", ["partners_group", "organisation_member", "no_role"])
def test_a_bare_wagtail_token_of_a_non_editor_is_refused(client, catalogue, bearer, route, holder):
    if holder == "partners_group":
        user = make_user("portail-sans-jeton", Group.objects.get(name=PARTNERS_GROUP), email="", first_name="")
    else:
        user = make_user(f"jeton-{holder}", email="", first_name="")
    if holder == "organisation_member":
        catalogue.organisation.members.add(user)
    assert_401_problem(client.get(route, **bearer(_bare_wagtail_token(user))))


@pytest.mark.parametrize("editor", ["editor_a", "national"])
def test_editors_own_wagtail_tokens_keep_working(client, catalogue, bearer, editor):
    auth = bearer(_bare_wagtail_token(catalogue.users[editor]))
    whoami = client.get("/api/v3/whoami/", **auth)
    assert whoami.status_code == 200
    assert whoami.json()["user"]["username"] == catalogue.users[editor].username
    assert client.get("/api/v3/pages/", **auth).status_code == 200
    assert client.get("/api/v3/films/", **auth).status_code == 200


def test_deleting_an_organisation_revokes_its_tokens(catalogue):
    partner = catalogue.users["partner"]
    organisation = PartnerOrganisation.objects.create(name="Association dissoute", coordination=catalogue.coord_a)
    organisation.members.add(partner)
    plaintext = make_token(partner, organisation)
    organisation.delete()
    api_token = APIToken.objects.get(key_hash__in=APIToken.candidate_key_hashes(plaintext))
    assert api_token.revoked_at is not None


def test_wagtail_routes_count_against_the_organisation_rate_limit(client, catalogue, bearer, settings):
    cache.clear()
    settings.LIBRARY_API_REQUESTS_PER_MINUTE = 2
    auth = bearer(catalogue.tokens["partner"])
    statuses = [client.get(route, **auth).status_code for route in ("/api/v3/whoami/", "/api/v3/pages/")]
    assert statuses == [200, 200]
    limited = client.get("/api/v3/whoami/", **auth)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert client.get("/api/v3/films/", **auth).status_code == 429
    cache.clear()


def test_token_expiring_now_is_refused_at_once(client, catalogue, bearer):
    partner = catalogue.users["partner"]
    plaintext = make_token(partner, catalogue.organisation, expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/api/v3/whoami/", **bearer(plaintext)).status_code == 200
    api_token = APIToken.objects.get(key_hash__in=APIToken.candidate_key_hashes(plaintext))
    api_token.partner.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    api_token.partner.save()
    assert_401_problem(client.get("/api/v3/whoami/", **bearer(plaintext)))


# --- API v2: sessions only ---------------------------------------------------------

V2_FILMS = "/api/v2/pages/"
FILM_TITLES = {"Film public", "Film réseau", "Film interne", "Film retiré", "Film brouillon", "Film de Bêta"}


def v2_film_titles(response):
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]} & FILM_TITLES


def basic(username, password=PASSWORD):
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {credentials}"}


@pytest.mark.parametrize("user", ["partner", "national"])
def test_v2_ignores_http_basic_credentials(client, catalogue, user):
    params = {"type": "library.FilmPage"}
    anonymous = v2_film_titles(client.get(V2_FILMS, params))
    assert anonymous == {"Film public"}
    response = client.get(V2_FILMS, params, **basic(catalogue.users[user].username))
    assert v2_film_titles(response) == anonymous
    assert response["Cache-Control"] == "private, no-store"
    film = catalogue.films["network"]
    assert client.get(f"{V2_FILMS}{film.pk}/", **basic(catalogue.users[user].username)).status_code == 404


def test_v2_session_answers_are_private_and_vary_on_credentials(client, catalogue):
    anonymous = client.get(V2_FILMS, {"type": "library.FilmPage"})
    assert {"authorization", "cookie"} <= {v.strip().lower() for v in anonymous["Vary"].split(",")}
    assert "public" not in anonymous.get("Cache-Control", "")
    client.force_login(catalogue.users["partner"])
    for url in (V2_FILMS, f"{V2_FILMS}{catalogue.films['network'].pk}/", "/api/v2/images/", "/api/v2/documents/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert {"authorization", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}, url


def test_wagtail_v3_token_answers_are_private(client, catalogue, bearer):
    response = client.get("/api/v3/pages/", **bearer(catalogue.tokens["partner"]))
    assert response["Cache-Control"] == "private, no-store"
    assert {"authorization", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}
