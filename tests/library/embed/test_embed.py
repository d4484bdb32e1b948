"""The embeddable player and oEmbed: public films only, framable, tracks served same-origin."""

import pytest

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db


def test_player_page_for_a_public_film(client, catalogue):
    film = catalogue.films["public"]
    response = client.get(f"/embed/films/{film.pk}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert f'src="/embed/films/{film.pk}/tracks/' in html and 'srclang="fr"' in html and 'srclang="en"' in html
    assert 'type="application/json+oembed"' in html
    assert f"/api/v3/films/{film.pk}/stream/?rendition=360p" in html
    assert 'id="quality"' in html and "<label" in html


@pytest.mark.parametrize("key", ["network", "internal", "withdrawn", "draft"])
def test_other_tiers_get_the_neutral_page(client, catalogue, key):
    hidden = client.get(f"/embed/films/{catalogue.films[key].pk}/")
    missing = client.get("/embed/films/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert "X-Frame-Options" not in hidden


def test_embeds_ignore_the_editors_session(client, catalogue):
    client.force_login(catalogue.users["national"])
    assert client.get(f"/embed/films/{catalogue.films['internal'].pk}/").status_code == 404


def test_tracks_are_served_to_whoever_may_stream(client, catalogue, bearer):
    film = catalogue.films["public"]
    track = film.video.text_tracks.get(language="fr")
    response = client.get(f"/embed/films/{film.pk}/tracks/{track.pk}.vtt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert b"".join(response.streaming_content).startswith(b"WEBVTT")
    network = catalogue.films["network"]
    other = client.get(f"/embed/films/{network.pk}/tracks/{track.pk}.vtt")
    assert other.status_code == 404


def test_oembed(client, catalogue):
    film = catalogue.films["public"]
    url = f"http://testserver/embed/films/{film.pk}/"
    data = client.get("/api/oembed/", {"url": url, "format": "json"}).json()
    assert data["type"] == "video" and data["version"] == "1.0"
    assert data["title"] == "Film public"
    assert data["author_name"] == "Coordination Alpha"
    assert f'src="http://testserver/embed/films/{film.pk}/"' in data["html"]
    assert (data["width"], data["height"]) == (640, 360)
    assert data["thumbnail_width"] == 640
    small = client.get("/api/oembed/", {"url": url, "maxwidth": 320}).json()
    assert (small["width"], small["height"]) == (320, 180)


def test_oembed_refuses_what_it_cannot_embed(client, catalogue):
    network = f"http://testserver/embed/films/{catalogue.films['network'].pk}/"
    assert client.get("/api/oembed/", {"url": network}).status_code == 404
    assert client.get("/api/oembed/", {"url": "https://example.org/"}).status_code == 404
    assert client.get("/api/oembed/").status_code == 404
    assert client.get("/api/oembed/", {"url": network, "format": "xml"}).status_code == 501
    assert client.get("/api/oembed/", {"url": network, "maxwidth": "abc"}).status_code == 404
