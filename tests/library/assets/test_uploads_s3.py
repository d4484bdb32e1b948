"""Multipart upload straight to the S3 test server, end to end through the upload API.

The "browser" is the Django test client for the API plus plain HTTP PUTs to
the presigned part URLs, exactly what uploader.js does.
"""

import pytest

from django.db import connection

from library.models import ProcessingStatus, UploadSession, Video
from tests.library.assets.helpers import Uploader, video_bytes
from tests.s3 import BUCKET

pytestmark = pytest.mark.django_db(transaction=True)


def bucket_keys(s3_server, prefix="private/"):
    return s3_server.list_keys(prefix)


def session_keys(s3_server, session):
    """Every object under the upload's own prefix (the bucket is shared by the whole test session)."""
    prefix = UploadSession.objects.get(pk=session["id"]).storage_prefix
    return bucket_keys(s3_server, f"private/videos/{prefix}/")


def open_uploads(s3_server, session=None):
    uploads = s3_server.client().list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    if session is not None:
        key = "private/" + UploadSession.objects.get(pk=session["id"]).key
        uploads = [upload for upload in uploads if upload["Key"] == key]
    return uploads


@pytest.fixture
def uploader(editor_client, small_parts, background):
    return Uploader(editor_client)


def test_parts_resume_and_finalize_create_a_ready_video(uploader, s3_server, tmp_path, background):
    data = video_bytes(tmp_path, seconds=2, width=320, height=240)
    response = uploader.create("Atelier d'été à Lens.mp4", len(data))
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["mode"] == "s3"
    count = -(-len(data) // session["part_size"])
    assert count >= 2

    # The connection drops after the first part; the tab is reopened and asks what arrived.
    uploader.put_parts(session, data, numbers=[1])
    status = uploader.status(session).json()
    assert [part["number"] for part in status["parts"]] == [1]
    assert not Video.objects.exists()
    uploader.put_parts(session, data, numbers=list(range(2, count + 1)))

    response = uploader.finalize(session)
    assert response.status_code == 200, response.content
    video = Video.objects.get()
    assert response.json()["video"]["id"] == video.pk
    assert video.original_filename == "Atelier d'été à Lens.mp4"
    assert video.file.name == f"videos/{video.storage_prefix}/original"  # our key, not the uploader's name
    assert video.file_size == len(data)
    assert (video.width, video.height) == (320, 240)
    assert not open_uploads(s3_server, session)

    assert background(timeout=120)
    video.refresh_from_db()
    assert video.status == ProcessingStatus.READY, video.failure_reason
    assert set(video.renditions.values_list("name", flat=True)) == {"720p", "360p"}
    keys = bucket_keys(s3_server, f"private/videos/{video.storage_prefix}/")
    assert f"private/videos/{video.storage_prefix}/original" in keys
    assert len(keys) == 3
    with video.file.open("rb") as stored:
        assert stored.read() == data
    assert UploadSession.objects.get().state == UploadSession.State.COMPLETED


def test_abort_removes_the_parts(uploader, s3_server, tmp_path):
    data = video_bytes(tmp_path)
    session = uploader.create("film.mp4", len(data)).json()
    uploader.put_parts(session, data, numbers=[1])
    assert open_uploads(s3_server, session)
    response = uploader.abort(session)
    assert response.status_code == 200
    assert response.json()["state"] == "aborted"
    assert not open_uploads(s3_server, session)
    assert not session_keys(s3_server, session)
    assert uploader.finalize(session).status_code == 409
    assert not Video.objects.exists()


def test_upload_that_vanished_from_the_storage_answers_gone(uploader, s3_server, tmp_path):
    """The multipart upload expired or was aborted elsewhere: status and finalize say so (410), nothing is kept."""
    data = video_bytes(tmp_path)
    session = uploader.create("film.mp4", len(data)).json()
    uploader.put_parts(session, data, numbers=[1])
    row = UploadSession.objects.get(pk=session["id"])
    s3_server.client().abort_multipart_upload(
        Bucket=BUCKET, Key="private/" + row.key, UploadId=row.multipart_upload_id
    )

    status = uploader.status(session)
    assert status.status_code == 410
    assert status.json()["code"] == "gone"
    response = uploader.finalize(session)
    assert response.status_code == 410
    assert response.json()["code"] == "gone"
    assert UploadSession.objects.get(pk=session["id"]).state == UploadSession.State.FAILED
    assert not Video.objects.exists()
    assert not session_keys(s3_server, session)


def _upload_and_finalize(uploader, name, data, declared=None):
    session = uploader.create(name, declared or len(data)).json()
    uploader.put_parts(session, data)
    return session, uploader.finalize(session)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("film.mp4", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>" * 400, "type"),
        ("film.mp4", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 40000, "type"),
    ],
)
def test_wrong_type_is_refused_and_leaves_nothing(uploader, s3_server, name, content, code):
    session, response = _upload_and_finalize(uploader, name, content)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "n’est pas une vidéo" in response.json()["error"]
    assert not Video.objects.exists()
    assert not session_keys(s3_server, session)
    assert not open_uploads(s3_server, session)
    assert UploadSession.objects.get(pk=session["id"]).state == UploadSession.State.FAILED


def test_truncated_video_is_refused_and_leaves_nothing(uploader, s3_server, tmp_path):
    data = video_bytes(tmp_path, seconds=2)
    session, response = _upload_and_finalize(uploader, "film.mp4", data[: len(data) * 2 // 3])
    assert response.status_code == 400
    assert response.json()["code"] in ("corrupt", "truncated")
    assert not Video.objects.exists()
    assert not session_keys(s3_server, session)
    assert not open_uploads(s3_server, session)


def test_size_mismatch_is_refused(uploader, s3_server, tmp_path):
    data = video_bytes(tmp_path)
    session, response = _upload_and_finalize(uploader, "film.mp4", data, declared=len(data) + 5000)
    assert response.status_code == 400
    assert response.json()["code"] == "incomplete"
    assert not session_keys(s3_server, session)


@pytest.mark.parametrize("name", ["../../secret.mp4", "film\x07.mp4", "a/b.mp4"])
def test_bad_names_are_refused_before_any_upload(uploader, s3_server, name):
    response = uploader.create(name, 1000)
    assert response.status_code == 400
    assert response.json()["code"] == "name"
    assert not UploadSession.objects.exists()


def test_size_limit_per_kind(uploader, settings):
    settings.LIBRARY_MAX_UPLOAD_SIZE = {**settings.LIBRARY_MAX_UPLOAD_SIZE, "video": 10_000}
    response = uploader.create("film.mp4", 10_001)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_sessions_belong_to_their_editor(uploader, s3_server):
    from django.test import Client

    from tests.factories import make_user

    session = uploader.create("film.mp4", 1000).json()
    client = Client()
    client.force_login(make_user("autre", is_superuser=True))
    assert client.get(session["urls"]["status"]).status_code == 404
    assert client.post(session["urls"]["finalize"]).status_code == 404
    assert client.post(session["urls"]["abort"]).status_code == 404
    assert uploader.abort(session).status_code == 200


def test_database_refusing_finalize_leaves_no_row_and_no_object(uploader, s3_server, tmp_path):
    data = video_bytes(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_video() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'disk full (simulated)'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_video BEFORE INSERT ON library_video FOR EACH ROW EXECUTE FUNCTION refuse_video()"
        )
    try:
        session, response = _upload_and_finalize(uploader, "film.mp4", data)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_video ON library_video")
            cursor.execute("DROP FUNCTION refuse_video()")
    assert response.status_code == 503
    assert response.json()["code"] == "database"
    assert "rien n’a été conservé" in response.json()["error"]
    assert not Video.objects.exists()
    assert not session_keys(s3_server, session)
    assert not open_uploads(s3_server, session)
