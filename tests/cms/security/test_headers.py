"""Security headers of each surface: the admin cannot be framed, the embed player can, nothing loads from elsewhere."""

import pytest

from django.contrib.auth import get_user_model
from django.test import override_settings

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("headers-admin", "h@example.org", "x"))
    return client


def test_the_admin_is_not_framed_and_runs_no_foreign_code(admin_client, settings):
    response = admin_client.get("/admin/")
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "connect-src", "img-src", "frame-src"):
        assert not [s for s in directives[directive] if s.startswith("http") and "127.0.0.1" not in s], directive
    # The S3 endpoint (the test server, on loopback) for thumbnails and the browser's direct video uploads.
    assert settings.AWS_S3_ENDPOINT_URL.rstrip("/") in directives["connect-src"]
    assert settings.AWS_S3_ENDPOINT_URL.rstrip("/") in directives["img-src"]


def test_the_login_page_has_the_admin_policy(client):
    assert policy(client.get("/admin/login/"))["frame-ancestors"] == ["'self'"]


def test_the_embed_player_may_be_framed_by_any_site(client):
    # A film that does not exist gets the player's "unavailable" page, with the player's policy.
    response = client.get("/embed/films/999999/")
    assert response.status_code == 404
    directives = policy(response)
    assert directives["frame-ancestors"] == ["*"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert "X-Frame-Options" not in response


@override_settings(EMBED_FRAME_ANCESTORS="https://www.example.org https://partenaire.example")
def test_the_embed_frame_ancestors_come_from_the_setting(client):
    directives = policy(client.get("/embed/films/999999/"))
    assert directives["frame-ancestors"] == ["https://www.example.org", "https://partenaire.example"]


def test_the_api_docs_run_no_inline_script(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"] and directives["frame-ancestors"] == ["'self'"]
    assert "style-src-elem" not in directives  # the admin's inline style elements stay out of the docs


def test_the_admin_allows_inline_style_elements_only(admin_client):
    directives = policy(admin_client.get("/admin/"))
    assert directives["style-src-elem"] == ["'self'", "'unsafe-inline'"]  # styled-components, Draftail
    assert directives["style-src"] == ["'self'"]  # so style attributes stay refused
    assert "style-src-elem" not in policy(admin_client.get("/embed/films/999999/"))


@pytest.mark.parametrize("path", ["/admin/login/", "/embed/films/999999/", "/api/v3/docs/", "/api/v3/pages/"])
def test_referrer_permissions_and_opener_policies(client, path):
    response = client.get(path)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "microphone=()" in permissions and "geolocation=()" in permissions
    assert "fullscreen=(self)" in permissions  # the player's fullscreen button
