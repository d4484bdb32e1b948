"""ETag, Cache-Control, Vary, 304, the server-side cache, invalidation on publish, CDN purge, CORS."""

import pytest

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from library.models import FilmPage
from tests.library.api.catalogue import module_catalogue
from tests.recorder import start_recorder

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db
LIST = "/api/v3/films/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_anonymous_responses_are_public_with_etag_and_vary(client, catalogue):
    first = client.get(LIST)
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert first["ETag"].startswith('"')
    vary = {v.strip() for v in first["Vary"].split(",")}
    assert {"Authorization", "Cookie", "Origin", "Accept-Encoding"} <= vary
    assert first["X-Cache"] == "miss"
    second = client.get(LIST)
    assert second["X-Cache"] == "hit"
    assert second["ETag"] == first["ETag"] and second.content == first.content


def test_conditional_request_gets_304(client, catalogue, django_assert_num_queries):
    etag = client.get(LIST)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_no_cache_request_bypasses_the_server_cache(client, catalogue):
    client.get(LIST)
    assert client.get(LIST, HTTP_CACHE_CONTROL="no-cache")["X-Cache"] == "miss"


def test_token_and_session_responses_are_private(client, catalogue, bearer):
    client.get(LIST)  # an anonymous copy in the cache must not leak to partners
    token = client.get(LIST, **bearer(catalogue.tokens["partner"]))
    assert token["Cache-Control"] == "private, no-store"
    assert "ETag" not in token and "X-Cache" not in token
    assert len(token.json()["items"]) == 2
    client.force_login(catalogue.users["editor_a"])
    session = client.get(LIST)
    assert session["Cache-Control"] == "private, no-store"
    assert len(session.json()["items"]) == 4


def test_errors_are_not_cached(client, catalogue):
    response = client.get(f"{LIST}999999/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_publishing_changes_the_etag_of_every_list(client, catalogue):
    urls = [LIST, f"{LIST}?ordering=title", f"{LIST}?locale=en", f"{LIST}{catalogue.films['public'].pk}/"]
    before = {url: client.get(url)["ETag"] for url in urls}
    film = FilmPage.objects.get(pk=catalogue.films["public"].pk)  # fresh: other tests' revisions rolled back
    film.synopsis = "Synopsis révisé"
    film.save_revision().publish()
    after = {url: client.get(url) for url in urls}
    assert all(after[url]["X-Cache"] == "miss" for url in urls)
    assert all(after[url]["ETag"] != before[url] for url in (LIST, f"{LIST}?ordering=title"))
    assert after[LIST].json()["items"][0]["synopsis"] == "Synopsis révisé"


def test_unpublishing_removes_the_film_from_cached_lists(client, catalogue):
    assert client.get(LIST).json()["count"] == 1
    FilmPage.objects.get(pk=catalogue.films["public"].pk).unpublish()
    assert client.get(LIST).json()["count"] == 0


def test_publish_purges_the_cdn(client, catalogue):
    recorder = start_recorder()
    try:
        with override_settings(
            WAGTAILFRONTENDCACHE={
                "default": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": recorder.url}
            },
            WAGTAILAPI_BASE_URL="https://cms.example.org",
        ):
            film = FilmPage.objects.get(pk=catalogue.films["network"].pk)
            film.save_revision().publish()
    finally:
        recorder.stop()
    purged = {(r.method, r.path, r.headers.get("Host")) for r in recorder.requests}
    assert ("PURGE", "/api/v3/films/", "cms.example.org") in purged
    assert ("PURGE", f"/api/v3/films/{film.pk}/", "cms.example.org") in purged


@override_settings(CORS_ALLOWED_ORIGINS=["https://www.passeurs.example"])
def test_cors_allows_only_configured_origins(client, catalogue):
    allowed = client.get(LIST, HTTP_ORIGIN="https://www.passeurs.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://www.passeurs.example"
    other = client.get(LIST, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    # The cached copy (a hit) gets its CORS header per request, never another origin's.
    assert client.get(LIST, HTTP_ORIGIN="https://evil.example")["X-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in client.get(LIST, HTTP_ORIGIN="https://evil.example")


def test_withdrawn_consent_drops_the_film_from_cached_lists(client, catalogue):
    assert client.get(LIST).json()["count"] == 1
    consent = FilmPage.objects.get(pk=catalogue.films["public"].pk).consent
    consent.withdrawn_on = timezone.localdate()
    consent.withdrawal_reason = "Demande d'une famille"
    consent.save()
    response = client.get(LIST)
    assert response["X-Cache"] == "miss"
    assert response.json()["count"] == 0


def test_taxonomy_edit_refreshes_cached_lists(client, catalogue, django_capture_on_commit_callbacks):
    assert client.get(LIST, {"locale": "en"}).json()["items"][0]["genre"]["name"] == "Documentary"
    english = catalogue.terms["documentaire"].get_translation(catalogue.english)
    english.name = "Documentary film"
    # The films' cards are rewritten by a background task once the edit is committed.
    with django_capture_on_commit_callbacks(execute=True):
        english.save()
    assert client.get(LIST, {"locale": "en"}).json()["items"][0]["genre"]["name"] == "Documentary film"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_embed_answers_never_take_the_request_host(client, catalogue, settings, host):
    """Two hosts (both allowed) share the cache: each gets WAGTAILAPI_BASE_URL's URLs, never the other's."""
    film = catalogue.films["public"]
    other = "127.0.0.1" if host == "localhost" else "localhost"
    params = {"url": f"http://{host}/embed/films/{film.pk}/"}
    expected_src = f'src="{settings.WAGTAILAPI_BASE_URL}/embed/films/{film.pk}/"'
    for requested_host in (other, host, host):
        oembed = client.get("/api/oembed/", params, HTTP_HOST=requested_host)
        assert oembed.status_code == 200
        assert expected_src in oembed.json()["html"]
        assert oembed.json()["provider_url"] == f"{settings.WAGTAILAPI_BASE_URL}/"
        text = oembed.content.decode()
        assert f"//{host}/" not in text and f"//{other}/" not in text  # (media storage has its own address)
    player = client.get(f"/embed/films/{film.pk}/", HTTP_HOST=host).content.decode()
    assert f'<link rel="canonical" href="{settings.WAGTAILAPI_BASE_URL}/embed/films/{film.pk}/">' in player
    assert f"//{host}/" not in player


def test_kept_answers_are_keyed_by_host(client, catalogue):
    assert client.get(LIST, HTTP_HOST="localhost")["X-Cache"] == "miss"
    assert client.get(LIST, HTTP_HOST="127.0.0.1")["X-Cache"] == "miss"
    assert client.get(LIST, HTTP_HOST="localhost")["X-Cache"] == "hit"
