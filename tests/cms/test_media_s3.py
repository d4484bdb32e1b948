"""An image uploaded through Wagtail's admin lands in the S3 bucket, private.

The session's S3 server (rclone) holds every object; anonymous requests to
it are refused, so only the signed URLs the CMS hands out can fetch a file.
"""

import io
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Collection

from library.models.renditions import NAMED_RENDITIONS
from tests.s3 import BUCKET

pytestmark = pytest.mark.django_db


def _jpeg(size=(1200, 800)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def uploaded(admin_client, django_capture_on_commit_callbacks):
    """An image added through the admin's upload form, with its on-commit tasks (renditions) run."""
    content = _jpeg()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Atelier cinéma",
                "file": SimpleUploadedFile("atelier.jpg", content, content_type="image/jpeg"),
                "description": "Des jeunes derrière une caméra",
                "collection": Collection.get_first_root_node().pk,
            },
        )
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title="Atelier cinéma"), content


def test_uploaded_image_is_stored_in_the_bucket(uploaded, s3_server):
    image, content = uploaded
    key = f"media/{image.file.name}"
    assert key in s3_server.list_keys("media/original_images/")
    assert (s3_server.bucket_dir / key).read_bytes() == content


def test_renditions_are_generated_into_the_bucket(uploaded, s3_server):
    image, _ = uploaded
    renditions = list(image.renditions.all())
    assert {rendition.filter_spec for rendition in renditions} == set(NAMED_RENDITIONS.values())
    keys = set(s3_server.list_keys("media/images/"))
    for rendition in renditions:
        assert f"media/{rendition.file.name}" in keys
        stored = PILImage.open(s3_server.bucket_dir / "media" / rendition.file.name)
        assert stored.size == (rendition.width, rendition.height)


def test_urls_are_signed_and_short_lived(uploaded):
    image, content = uploaded
    for url in [image.file.url] + [rendition.url for rendition in image.renditions.all()]:
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert query["X-Amz-Expires"] == ["300"]
        assert "X-Amz-Signature" in query
    status, body = _fetch(image.file.url)
    assert (status, body) == (200, content)


# AWS answers an anonymous request on a private bucket with 403 AccessDenied;
# rclone's S3 server answers 400 UnsupportedAlgorithm (no signature at all).
# Either way the object is refused; a wrong signature gets 403 from both.
ANONYMOUS_REFUSALS = {(403, "AccessDenied"), (400, "UnsupportedAlgorithm")}


def _error_code(body):
    return body.decode().split("<Code>", 1)[1].split("</Code>", 1)[0]


def test_unsigned_object_url_is_refused(uploaded, s3_server):
    image, content = uploaded
    unsigned = urlunsplit(urlsplit(image.file.url)._replace(query=""))
    assert unsigned == f"{s3_server.endpoint_url}/{BUCKET}/media/{image.file.name}"
    status, body = _fetch(unsigned)
    assert (status, _error_code(body)) in ANONYMOUS_REFUSALS
    assert content not in body


def test_tampered_signed_url_is_refused(uploaded):
    image, content = uploaded
    # Asking for a longer lifetime than was signed breaks the signature.
    status, body = _fetch(image.file.url.replace("X-Amz-Expires=300", "X-Amz-Expires=86400"))
    assert (status, _error_code(body)) == (403, "SignatureDoesNotMatch")
    assert content not in body


def test_bucket_listing_is_refused_without_credentials(s3_server):
    status, body = _fetch(f"{s3_server.endpoint_url}/{BUCKET}/")
    assert (status, _error_code(body)) in ANONYMOUS_REFUSALS


def test_deleting_an_image_removes_its_files_from_the_bucket(uploaded, s3_server, django_capture_on_commit_callbacks):
    """Wagtail deletes the files in a background task, which receives the storage as JSON."""
    image, _ = uploaded
    keys = [f"media/{image.file.name}", *(f"media/{r.file.name}" for r in image.renditions.all())]
    assert set(keys) <= set(s3_server.list_keys("media/"))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not set(keys) & set(s3_server.list_keys("media/"))
