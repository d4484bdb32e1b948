"""Streams, downloads and screening packs: access, signed URLs, ranges, logging, rate limits."""

import io
import urllib.request
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings

from library.core.storage import private_storage
from library.models import DownloadEvent
from tests.library.api.catalogue import module_catalogue
from tests.media import tiny_mp4

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def test_stream_is_a_short_signed_redirect_on_s3(client, catalogue):
    film = catalogue.films["public"]
    response = client.get(f"/api/v3/films/{film.pk}/stream/", {"rendition": "360p"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert "response-content-disposition" not in query
    body, _headers = fetch(response["Location"])
    assert body == tiny_mp4()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("key", ["network", "internal", "draft"])
def test_anonymous_cannot_stream_hidden_films(client, catalogue, key):
    response = client.get(f"/api/v3/films/{catalogue.films[key].pk}/stream/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_partner_streams_network_film(client, catalogue, bearer):
    film = catalogue.films["network"]
    response = client.get(f"/api/v3/films/{film.pk}/stream/", **bearer(catalogue.tokens["partner"]))
    assert response.status_code == 302


def test_download_needs_a_partner(client, catalogue):
    film = catalogue.films["public"]
    response = client.get(f"/api/v3/films/{film.pk}/download/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not DownloadEvent.objects.exists()


def test_download_redirects_to_an_attachment_and_is_logged(client, catalogue, bearer):
    film = catalogue.films["public"]
    response = client.get(f"/api/v3/films/{film.pk}/download/", **bearer(catalogue.tokens["partner"]))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''Film%20public%20%E2%80%93%20master%20%C3%A9l%C3%A8ve.mp4" in disposition
    body, _headers = fetch(response["Location"])
    assert body == tiny_mp4()
    event = DownloadEvent.objects.get()
    assert (event.organisation, event.page_id, event.rendition) == (catalogue.organisation, film.pk, "original")
    assert event.token.partner.organisation == catalogue.organisation
    assert event.ip_hash and event.ip_hash != "127.0.0.1"


def test_partner_cannot_download_an_internal_film(client, catalogue, bearer):
    response = client.get(
        f"/api/v3/films/{catalogue.films['internal'].pk}/download/", **bearer(catalogue.tokens["partner"])
    )
    assert response.status_code == 404


def test_unknown_rendition_is_422(client, catalogue, bearer):
    film = catalogue.films["public"]
    response = client.get(
        f"/api/v3/films/{film.pk}/download/", {"rendition": "4k"}, **bearer(catalogue.tokens["partner"])
    )
    assert response.status_code == 422


def test_downloads_are_rate_limited_per_organisation(client, catalogue, bearer):
    catalogue.organisation.download_rate_per_hour = 2
    catalogue.organisation.save()
    film = catalogue.films["public"]
    auth = bearer(catalogue.tokens["partner"])
    try:
        statuses = [client.get(f"/api/v3/films/{film.pk}/download/", **auth).status_code for _ in range(3)]
        limited = client.get(f"/api/v3/films/{film.pk}/download/", {"rendition": "360p"}, **auth)
    finally:
        catalogue.organisation.download_rate_per_hour = 120
        catalogue.organisation.save()
    assert statuses == [302, 302, 429]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert DownloadEvent.objects.count() == 2


def test_guide_document_download(client, catalogue, bearer):
    guide = catalogue.guides["public"]
    document = guide.documents.get().document
    auth = bearer(catalogue.tokens["partner"])
    response = client.get(f"/api/v3/guides/{guide.pk}/download/", {"document": document.pk}, **auth)
    assert response.status_code == 302
    assert fetch(response["Location"])[0].startswith(b"%PDF")
    # Saved under the guide's name and language, not the storage key's "document.pdf".
    disposition = parse_qs(urlsplit(response["Location"]).query)["response-content-disposition"][0]
    assert disposition == "attachment; filename=\"guide-public-fr.pdf\"; filename*=UTF-8''guide-public-fr.pdf"
    # A public guide is read by the public: its PDF needs no token, and the read is not a partner's download.
    before = DownloadEvent.objects.count()
    anonymous = client.get(f"/api/v3/guides/{guide.pk}/download/", {"document": document.pk})
    assert anonymous.status_code == 302
    assert fetch(anonymous["Location"])[0].startswith(b"%PDF")
    assert DownloadEvent.objects.count() == before
    network = catalogue.guides["network"]
    network_document = network.documents.get().document
    assert client.get(f"/api/v3/guides/{network.pk}/download/", {"document": network_document.pk}).status_code == 404
    other = client.get(f"/api/v3/guides/{guide.pk}/download/", {"document": 999999}, **auth)
    assert other.status_code == 404
    hidden = catalogue.guides["internal"]
    assert client.get(f"/api/v3/guides/{hidden.pk}/download/", {"document": document.pk}, **auth).status_code == 404


def test_screening_pack_is_a_streamed_zip(client, catalogue, bearer):
    film = catalogue.films["public"]
    response = client.get(f"/api/v3/films/{film.pk}/screening-pack/", **bearer(catalogue.tokens["partner"]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment; ")
    chunks = list(response.streaming_content)
    assert max(len(chunk) for chunk in chunks) <= 70 * 1024  # written and sent in small chunks
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert "film-public/Film public – master élève.mp4" in names
    assert "film-public/film-public-360p.mp4" in names
    assert {n for n in names if n.endswith(".vtt")} == {
        "film-public/sous-titres/film-public.fr.subtitles.vtt",
        "film-public/sous-titres/film-public.en.subtitles.vtt",
    }
    assert any(n.startswith("film-public/affiche.") for n in names)
    assert any(n.startswith("film-public/guides/guide-public-fr-") for n in names)
    assert archive.read("film-public/Film public – master élève.mp4") == tiny_mp4()
    assert DownloadEvent.objects.filter(rendition="screening_pack").count() == 1


def test_screening_pack_needs_a_partner(client, catalogue):
    assert client.get(f"/api/v3/films/{catalogue.films['public'].pk}/screening-pack/").status_code == 401


@pytest.fixture
def local_disk(settings, tmp_path):
    storages = dict(settings.STORAGES)
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "private"},
    }
    with override_settings(STORAGES=storages):
        yield


def test_local_disk_streams_ranges(client, catalogue, bearer, local_disk):
    film = catalogue.films["public"]
    data = tiny_mp4()
    name = film.video.file.name
    private_storage.save(name, ContentFile(data))
    url = f"/api/v3/films/{film.pk}/download/"
    auth = bearer(catalogue.tokens["partner"])

    whole = client.get(url, **auth)
    assert whole.status_code == 200 and whole.streaming
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Length"] == str(len(data))
    assert "filename*=UTF-8''Film%20public" in whole["Content-Disposition"]
    assert b"".join(whole.streaming_content) == data

    part = client.get(url, HTTP_RANGE="bytes=100-1099", **auth)
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1099/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:1100]

    tail = client.get(url, HTTP_RANGE="bytes=-10", **auth)
    assert b"".join(tail.streaming_content) == data[-10:]

    resumed = client.get(url, HTTP_RANGE=f"bytes={len(data) - 5}-", **auth)
    assert b"".join(resumed.streaming_content) == data[-5:]

    assert client.get(url, HTTP_RANGE=f"bytes={len(data)}-", **auth).status_code == 416
    assert client.get(url, HTTP_RANGE="bytes=abc", **auth).status_code == 416
    chunks = list(client.get(url, **auth).streaming_content)
    assert max(len(c) for c in chunks) <= 64 * 1024


def test_token_requests_are_rate_limited_per_organisation(client, catalogue, bearer, settings):
    settings.LIBRARY_API_REQUESTS_PER_MINUTE = 3
    auth = bearer(catalogue.tokens["partner"])
    statuses = [client.get("/api/v3/films/", **auth).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v3/guides/", **auth)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 60
    assert client.get("/api/v3/films/").status_code == 200  # anonymous visitors are not counted against it
