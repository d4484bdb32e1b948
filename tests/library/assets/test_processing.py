"""Processing of generated videos: renditions decoded back, poster, failures, retry, stale jobs."""

import datetime

import av
import pytest

from django.core.files.base import ContentFile
from django.utils import timezone

from library.assets.processing.maintenance import requeue_stale_videos
from library.assets.processing.videos import process_video, reset_for_retry
from library.models import LibraryImage, ProcessingStatus, Video
from tests.factories import make_video
from tests.library.assets.helpers import video_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return video_bytes(tmp_path_factory.mktemp("master"), seconds=3, width=640, height=480)


def decode(field_file, tmp_path):
    local = tmp_path / field_file.name.replace("/", "_")
    with field_file.open("rb") as source:
        local.write_bytes(source.read())
    head = local.read_bytes()[:4096]
    with av.open(str(local)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _frame in container.decode(stream))
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        duration = float(stream.duration * stream.time_base)
        return {
            "size": (stream.codec_context.width, stream.codec_context.height),
            "codec": stream.codec_context.name,
            "audio": audio,
            "duration": duration,
            "frames": frames,
            "faststart": b"moov" in head,
        }


def test_renditions_poster_and_probe(master, tmp_path, root_collection):
    video = make_video("Film d'atelier", data=master, uploaded=True, collection=root_collection)
    assert process_video.call(video.pk) == "ready"
    video.refresh_from_db()
    assert video.status == ProcessingStatus.READY
    assert (video.width, video.height, video.video_codec, video.audio_codec) == (640, 480, "h264", "aac")
    assert video.duration == pytest.approx(3.0, abs=0.1)
    assert video.attempts == 1
    renditions = {rendition.name: rendition for rendition in video.renditions.all()}
    assert set(renditions) == {"720p", "360p"}
    expected_sizes = {"720p": (640, 480), "360p": (480, 360)}  # never upscaled, aspect kept
    for name, rendition in renditions.items():
        played = decode(rendition.file, tmp_path)
        assert played["size"] == expected_sizes[name] == (rendition.width, rendition.height)
        assert played["codec"] == "h264" and played["audio"] == "aac"
        assert played["duration"] == pytest.approx(3.0, abs=0.15)
        assert played["frames"] >= 70
        assert played["faststart"], "the moov atom must come first (fast start)"
        assert rendition.file.name.startswith(f"videos/{video.storage_prefix}/")
    poster = LibraryImage.objects.get(pk=video.poster_id)
    assert (poster.width, poster.height) == (640, 480)


def test_corrupt_master_fails_with_a_reason_and_can_be_retried(master, tmp_path):
    video = make_video("Film d'atelier", data=b"\x00\x00\x00\x20ftypisom" + b"\x17" * 5000, uploaded=True)
    assert process_video.call(video.pk) == "failed"
    video.refresh_from_db()
    assert video.status == ProcessingStatus.FAILED
    assert "ne peut pas être lue" in video.failure_reason  # the reason editors read, in French
    assert not video.renditions.exists()

    # The editor uploads a good master again and retries.
    video.file.delete(save=False)
    video.file.save("film.mp4", ContentFile(master), save=True)
    assert reset_for_retry(video)  # runs inline outside a request
    video.refresh_from_db()
    assert video.status == ProcessingStatus.READY
    assert video.attempts == 2
    assert video.failure_reason == ""


def test_a_job_is_claimed_once(master):
    video = make_video("Film d'atelier", data=master, uploaded=True)
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.PROCESSING, processing_started_at=timezone.now())
    assert process_video.call(video.pk) == "skipped"
    assert requeue_stale_videos(minutes=30) == []  # a fresh job is left alone


def test_killed_worker_job_is_picked_up_again(master):
    video = make_video("Film d'atelier", data=master, uploaded=True)
    started = timezone.now() - datetime.timedelta(hours=5)
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.PROCESSING, processing_started_at=started)
    assert requeue_stale_videos(minutes=120) == [video.pk]
    video.refresh_from_db()
    assert video.status == ProcessingStatus.READY
    assert video.renditions.count() == 2
