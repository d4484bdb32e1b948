"""Files the site hands out carry their own Content-Security-Policy, `default-src 'none'; sandbox`, never the
admin's: an uploaded file the browser renders on the site's origin can run no script and load nothing."""

import pytest

from django.core.files.base import ContentFile
from django.test import override_settings

from library.core.storage import private_storage
from tests.factories import make_image
from tests.library.api.catalogue import module_catalogue
from tests.media import tiny_mp4

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

FILE_POLICY = "default-src 'none'; sandbox"


def assert_file_policy(response):
    assert response["Content-Security-Policy"] == FILE_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def local_disk(settings, tmp_path):
    storages = dict(settings.STORAGES)
    for alias in ("default", "private"):
        storages[alias] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / alias, "base_url": "/media/"},
        }
    with override_settings(STORAGES=storages, MEDIA_URL="/media/"):
        yield


def test_a_wagtail_document_is_sandboxed_and_an_attachment(client, catalogue):
    document = catalogue.guides["public"].documents.get().document
    client.force_login(catalogue.users["national"])
    response = client.get(document.url)
    assert response.status_code == 200
    assert_file_policy(response)
    # A sandboxed document runs no plugin (Chromium's PDF viewer is one): PDFs are downloaded, not shown.
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_ranged_stream_on_local_disk_is_sandboxed(client, catalogue, bearer, local_disk):
    film = catalogue.films["public"]
    private_storage.save(film.video.file.name, ContentFile(tiny_mp4()))
    auth = bearer(catalogue.tokens["partner"])
    for url in (f"/api/v3/films/{film.pk}/download/", f"/api/v3/films/{film.pk}/stream/?rendition=original"):
        response = client.get(url, **auth)
        if response.status_code == 422:  # the stream takes named renditions only
            continue
        assert response.status_code == 200, url
        assert_file_policy(response)


def test_a_screening_pack_is_sandboxed(client, catalogue, bearer):
    film = catalogue.films["public"]
    response = client.get(f"/api/v3/films/{film.pk}/screening-pack/", **bearer(catalogue.tokens["partner"]))
    assert response.status_code == 200
    assert_file_policy(response)


def test_an_image_under_media_is_sandboxed(client, catalogue, local_disk):
    image = make_image("Affiche locale", description="Texte alternatif de Affiche locale", named_renditions=True)
    client.force_login(catalogue.users["national"])
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 200
    assert_file_policy(response)


def test_pages_keep_their_own_policy(client, catalogue):
    assert client.get("/api/v3/docs/")["Content-Security-Policy"] != FILE_POLICY
    assert "frame-ancestors" in client.get("/admin/login/")["Content-Security-Policy"]
