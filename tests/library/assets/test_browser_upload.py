"""An editor uploads a video in Chromium, watches it reach 100% and become ready, then adds captions.

The parts go from Chromium straight to an rclone S3 server started for this
test with CORS allowed for the live server's origin (as a production bucket
has a CORS rule for the admin's address); only the finalize call reaches
Django.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from django.conf import settings
from django.test import override_settings

from library.models import ProcessingStatus, TextTrack, Video
from tests.factories import make_user
from tests.library.assets.helpers import video_bytes
from tests.s3 import ACCESS_KEY, SECRET_KEY, S3Server, free_port, rclone_binary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VTT = "WEBVTT\n\n00:00.200 --> 00:01.200\n[Musique douce]\n\n00:01.300 --> 00:02.000\nBienvenue à l'atelier\n"


def start_cors_s3_server(origin):
    root = Path(tempfile.mkdtemp(prefix="cms-test-s3-cors-"))
    server = S3Server(root=root, port=free_port())
    server.bucket_dir.mkdir(parents=True)
    server.process = subprocess.Popen(
        [
            rclone_binary(),
            "serve",
            "s3",
            "--addr",
            f"127.0.0.1:{server.port}",
            "--auth-key",
            f"{ACCESS_KEY},{SECRET_KEY}",
            "--allow-origin",
            origin,
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("rclone did not start")


@pytest.fixture
def cors_s3(live_server):
    server = start_cors_s3_server(live_server.url)
    with override_settings(STORAGES=server.storage_settings(settings.STORAGES)):
        yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def test_editor_uploads_a_video_and_adds_captions(
    live_server, cors_s3, browser_page, client, root_collection, small_parts, background, tmp_path
):
    editor = make_user("camille", is_superuser=True)
    client.force_login(editor)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    master = tmp_path / "Restitution à Lens.mp4"
    master.write_bytes(video_bytes(tmp_path, name="source.mp4", seconds=2))

    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/library/videos/new/")
    page.set_input_files("[data-library-files]", str(master))
    row = page.locator("tr.library-upload")
    row.wait_for(timeout=10_000)
    page.wait_for_function(
        "() => document.querySelector('tr.library-upload [data-percent]').textContent === '100%'", timeout=30_000
    )
    assert row.locator("progress").get_attribute("value") == "100"
    page.wait_for_selector("tr.library-upload[data-state=ready]", timeout=90_000)

    video = Video.objects.get()
    assert video.status == ProcessingStatus.READY
    assert video.original_filename == "Restitution à Lens.mp4"
    assert cors_s3.list_keys(f"private/videos/{video.storage_prefix}/")

    # She opens the video and attaches French captions.
    row.locator("a[data-video-id]").click()
    page.wait_for_selector("[data-video-status=ready]")
    page.locator(f"a[href$='/tracks/{video.pk}/']").click()
    captions = tmp_path / "sous-titres.vtt"
    captions.write_text(VTT)
    form = page.locator("form[data-track-form]")
    form.locator("input[type=file]").set_input_files(str(captions))
    form.locator("select[name=language]").select_option("fr")
    form.locator("select[name=kind]").select_option("captions")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[data-track-kind=captions][data-track-language=fr]")
    track = TextTrack.objects.get(video=video)
    assert track.text == "[Musique douce]\nBienvenue à l'atelier"
    assert errors == []
