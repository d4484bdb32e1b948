"""Fault injection: the S3 server stops in the middle of an upload.

A private rclone server (not the session one) holds the private storage for
this test; it is stopped after the first part. The next part fails in the
"browser", finalize answers a clear 503, no row exists; once the server is
back, `library_maintenance` removes what was left and the bucket is empty.
"""

import datetime
import shutil

import pytest
from botocore.exceptions import ClientError

from django.core.management import call_command
from django.test import override_settings

from library.models import UploadSession, Video
from tests.library.assets.helpers import Uploader, try_put, video_bytes
from tests.s3 import BUCKET, S3Server, start_s3_server

pytestmark = pytest.mark.django_db(transaction=True)


def multipart_uploads(server):
    """Open multipart uploads; rclone answers NoSuchUpload when it knows of none (after a restart)."""
    try:
        return server.client().list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchUpload":
            return []
        raise


@pytest.fixture
def private_s3():
    server = start_s3_server()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def test_storage_stopped_mid_upload(editor_client, small_parts, private_s3, tmp_path, settings, background):
    with override_settings(STORAGES=private_s3.storage_settings(settings.STORAGES)):
        uploader = Uploader(editor_client)
        data = video_bytes(tmp_path, seconds=2)
        session = uploader.create("film.mp4", len(data)).json()
        urls = uploader.sign(session, [1, 2])
        part = session["part_size"]
        assert try_put(urls[1], data[:part]) == 200

        private_s3.stop()
        failure = try_put(urls[2], data[part : 2 * part])
        assert not isinstance(failure, int), "the part should not arrive while the server is down"

        response = uploader.finalize(session)
        assert response.status_code == 503
        assert response.json()["code"] == "storage_unavailable"
        assert "Le stockage des fichiers est injoignable" in response.json()["error"]
        assert not Video.objects.exists()
        row = UploadSession.objects.get(pk=session["id"])
        assert row.state == UploadSession.State.FAILED
        assert row.needs_cleanup

        # The server comes back on the same address and data; the scheduled cleanup runs.
        restarted = S3Server(root=private_s3.root, port=private_s3.port).start()
        private_s3.process = restarted.process
        call_command("library_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
        row.refresh_from_db()
        assert not row.needs_cleanup
        assert multipart_uploads(restarted) == []
        assert restarted.list_keys() == []
        assert [path for path in private_s3.root.rglob("*") if path.is_file()] == []  # not even rclone's temp parts
        assert not Video.objects.exists()


def test_abandoned_uploads_are_aborted_by_the_cleanup(editor_client, small_parts, s3_server, tmp_path):
    uploader = Uploader(editor_client)
    data = video_bytes(tmp_path)
    session = uploader.create("film.mp4", len(data)).json()
    uploader.put_parts(session, data, numbers=[1])
    key = "private/" + UploadSession.objects.get(pk=session["id"]).key
    assert [upload["Key"] for upload in multipart_uploads(s3_server) if upload["Key"] == key] == [key]

    call_command("library_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert UploadSession.objects.get(pk=session["id"]).state == UploadSession.State.OPEN  # still fresh

    old = UploadSession.objects.get(pk=session["id"]).updated_at - datetime.timedelta(days=3)
    UploadSession.objects.filter(pk=session["id"]).update(updated_at=old)
    call_command("library_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert UploadSession.objects.get(pk=session["id"]).state == UploadSession.State.ABORTED
    assert not [upload for upload in multipart_uploads(s3_server) if upload["Key"] == key]
