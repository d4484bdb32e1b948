"""Chunked, resumable upload through Django when media are on local disk."""

from pathlib import Path

import pytest

from django.test import override_settings
from django.urls import reverse

from library.models import ProcessingStatus, UploadSession, Video
from tests.library.assets.helpers import Uploader, video_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def local_storage(tmp_path, settings):
    root = tmp_path / "private"
    storages = dict(settings.STORAGES)
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": "/private-media-is-not-served/"},
    }
    with override_settings(STORAGES=storages):
        yield root


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def test_chunks_resume_and_finalize(editor_client, local_storage, tmp_path, background):
    uploader = Uploader(editor_client)
    data = video_bytes(tmp_path, seconds=2)
    session = uploader.create("Restitution.mp4", len(data)).json()
    assert session["mode"] == "local"
    half = len(data) // 2

    assert uploader.put_chunk(session, data[:half], 0).json() == {"received": half}
    # A replayed chunk (the browser did not see the answer) is refused with the real offset.
    replay = uploader.put_chunk(session, data[:half], 0)
    assert replay.status_code == 409
    assert replay.json()["received"] == half
    assert uploader.status(session).json()["received"] == half
    assert uploader.put_chunk(session, data[half:], half).json() == {"received": len(data)}

    response = uploader.finalize(session)
    assert response.status_code == 200, response.content
    video = Video.objects.get()
    assert Path(video.file.path).read_bytes() == data
    assert not (local_storage / "uploads-in-progress" / f"{session['id']}.part").exists()
    assert background(timeout=120)
    video.refresh_from_db()
    assert video.status == ProcessingStatus.READY, video.failure_reason
    assert files_under(local_storage) == sorted(
        f"videos/{video.storage_prefix}/{name}" for name in ("original", "720p.mp4", "360p.mp4")
    )


def test_refused_file_leaves_no_temporary_file(editor_client, local_storage):
    uploader = Uploader(editor_client)
    content = b"#!/bin/sh\nrm -rf /\n" * 100
    session = uploader.create("film.mp4", len(content)).json()
    uploader.put_chunk(session, content, 0)
    assert files_under(local_storage)  # the partial file exists while uploading
    response = uploader.finalize(session)
    assert response.status_code == 400
    assert response.json()["code"] == "type"
    assert files_under(local_storage) == []
    assert not Video.objects.exists()


def test_chunk_larger_than_announced_is_refused(editor_client, local_storage):
    uploader = Uploader(editor_client)
    session = uploader.create("film.mp4", 10).json()
    response = uploader.put_chunk(session, b"x" * 20, 0)
    assert response.status_code == 413
    assert uploader.abort(session).status_code == 200
    assert files_under(local_storage) == []
    assert UploadSession.objects.get().state == UploadSession.State.ABORTED


def test_the_upload_api_stays_where_its_documentation_says():
    """`docs/assets.md` and the upload screen's script name this path."""
    assert reverse("library_uploads:create") == "/admin/library/uploads/"
