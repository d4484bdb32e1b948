"""Preview of drafts on the public site: admin button → signed token → v3 draft read."""

from urllib.parse import parse_qs, urlsplit

import pytest

from django.core import signing
from django.test import override_settings

from library.api.preview import make_token
from library.models import FilmPage
from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db


def draft_of(film_pk, synopsis):
    film = FilmPage.objects.get(pk=film_pk)
    film.synopsis = synopsis
    film.save_revision()  # saved, not published
    return film


@override_settings(PUBLIC_SITE_URL="https://www.passeurs.example")
def test_editor_previews_a_film_draft_end_to_end(client, catalogue):
    film = draft_of(catalogue.films["public"].pk, "Brouillon du synopsis")
    client.force_login(catalogue.users["editor_a"])
    edit_page = client.get(f"/admin/pages/{film.pk}/edit/")
    assert f"/admin/preview-on-site/{film.pk}/" in edit_page.content.decode()
    redirect = client.get(f"/admin/preview-on-site/{film.pk}/")
    assert redirect.status_code == 302
    location = urlsplit(redirect["Location"])
    assert (location.netloc, location.path) == ("www.passeurs.example", "/preview/")
    query = parse_qs(location.query)
    assert query["type"] == ["library.FilmPage"]
    client.logout()  # the front end calls the API without the editor's session
    draft = client.get("/api/v3/preview/films/", {"token": query["token"][0]})
    assert draft.status_code == 200
    assert draft["Cache-Control"] == "private, no-store"
    assert draft.json()["synopsis"] == "Brouillon du synopsis"
    live = client.get(f"/api/v3/films/{film.pk}/").json()
    assert live["synopsis"] != "Brouillon du synopsis"  # the public still sees the live version


def test_never_published_film_can_be_previewed(client, catalogue):
    film = FilmPage.objects.get(pk=catalogue.films["draft"].pk)
    token = make_token(film, catalogue.users["editor_a"])
    response = client.get("/api/v3/preview/films/", {"token": token})
    assert response.status_code == 200 and response.json()["title"] == "Film brouillon"
    assert client.get(f"/api/v3/films/{film.pk}/").status_code == 404


def test_other_coordinations_editor_gets_no_preview(client, catalogue):
    film = catalogue.films["public"]
    client.force_login(catalogue.users["editor_b"])
    assert client.get(f"/admin/preview-on-site/{film.pk}/").status_code == 404
    token = make_token(film, catalogue.users["editor_b"])
    assert client.get("/api/v3/preview/films/", {"token": token}).status_code == 401


def test_expired_and_tampered_tokens_are_401(client, catalogue):
    token = make_token(catalogue.films["public"], catalogue.users["editor_a"])
    with override_settings(PREVIEW_TOKEN_SECONDS=-1):
        expired = client.get("/api/v3/preview/films/", {"token": token})
    assert expired.status_code == 401 and expired["Content-Type"] == "application/problem+json"
    assert client.get("/api/v3/preview/films/", {"token": token[:-2] + "xx"}).status_code == 401
    forged = signing.dumps(
        {"page": catalogue.films["public"].pk, "user": catalogue.users["editor_a"].pk}, salt="other"
    )
    assert client.get("/api/v3/preview/films/", {"token": forged}).status_code == 401


def test_token_for_a_guide_is_not_a_film(client, catalogue):
    guide = catalogue.guides["internal"]
    token = make_token(guide, catalogue.users["editor_a"])
    assert client.get("/api/v3/preview/films/", {"token": token}).status_code == 404
    response = client.get("/api/v3/preview/guides/", {"token": token})
    assert response.status_code == 200 and response.json()["title"] == "Guide interne"


def test_any_page_through_the_pages_preview(client, catalogue):
    coordination = catalogue.coord_a
    token = make_token(coordination, catalogue.users["national"])
    response = client.get("/api/v3/preview/pages/", {"token": token})
    assert response.status_code == 200
    assert response.json()["title"] == "Coordination Alpha"


def test_without_public_site_the_admin_lands_on_the_api(client, catalogue):
    client.force_login(catalogue.users["national"])
    with override_settings(PUBLIC_SITE_URL=""):
        redirect = client.get(f"/admin/preview-on-site/{catalogue.guides['public'].pk}/")
    assert redirect["Location"].startswith("/api/v3/preview/guides/?")
