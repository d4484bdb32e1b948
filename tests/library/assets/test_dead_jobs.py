"""A worker killed mid-transcode: its job is taken again within seconds here (minutes in production).

The end-to-end test runs two real `manage.py task_worker` processes on the
test database and the session's S3 server, with short heartbeats. The first
is killed (SIGKILL) while it transcodes; its video stays `processing`, its
task row `RUNNING` and its scratch directory full. The second, as it starts,
deletes the dead job's scratch directory, notices the video stopped beating,
closes the dead task row as failed and processes the video to the end.
"""

import concurrent.futures
import datetime
import fcntl
import os
import signal
import time

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from library.assets.processing import maintenance, scratch
from library.assets.processing.heartbeat import beat, heartbeat
from library.assets.processing.videos import SCRATCH_FULL_DELAY, process_video, schedule_video_processing
from library.models import ProcessingStatus, Video
from tests.factories import make_video
from tests.library.assets.helpers import video_bytes
from tests.workers import s3_environment, start_worker, stop

PROCESS_VIDEO = "library.assets.processing.videos.process_video"


@pytest.fixture
def scratch_dir(settings, tmp_path):
    settings.LIBRARY_SCRATCH_DIR = tmp_path / "scratch"
    return settings.LIBRARY_SCRATCH_DIR


def wait_until(condition, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    raise AssertionError(f"not true after {seconds} s")


# --- The scratch space --------------------------------------------------------------------------


def test_a_job_s_directory_is_locked_while_it_runs_and_gone_after(scratch_dir):
    with scratch.job_directory("video-") as directory:
        (directory / "master").write_bytes(b"x" * 1000)
        assert scratch.clean_orphans() == []  # held: another job's directory is never touched
        assert directory.exists()
    assert not directory.exists()


def test_the_directory_of_a_job_that_died_is_removed(scratch_dir):
    dead = scratch.scratch_root() / "video-dead"
    dead.mkdir()
    (dead / scratch.LOCK_NAME).touch()  # its lock file, which no process holds any more
    (dead / "720p.mp4").write_bytes(b"x" * 5000)
    being_made = scratch.scratch_root() / "video-new"
    being_made.mkdir()  # no lock yet: a job is creating it
    held = scratch.scratch_root() / "video-running"
    held.mkdir()
    with open(held / scratch.LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert scratch.clean_orphans() == ["video-dead"]
    assert not dead.exists() and being_made.exists() and held.exists()


def test_a_job_does_not_start_without_room(scratch_dir, settings):
    settings.LIBRARY_SCRATCH_MAX_BYTES = 10_000
    busy = scratch.scratch_root() / "video-other"
    busy.mkdir()
    (busy / "master").write_bytes(b"x" * 8000)
    with translation.override("fr"):
        with pytest.raises(scratch.ScratchFullError) as refused, scratch.job_directory("video-", needed=4000):
            pass
        needed, free, limit = (filesizeformat(size) for size in (4000, 2000, 10_000))
    assert str(refused.value) == f"{needed} nécessaires, {free} libres sur {limit}"
    with scratch.job_directory("video-", needed=2000) as directory:
        assert directory.exists()


@pytest.mark.django_db(transaction=True)
def test_a_video_without_room_waits_in_the_queue(scratch_dir, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LIBRARY_SCRATCH_MAX_BYTES = 100
    video = make_video("Trop grand pour l'instant", data=video_bytes(tmp_path), uploaded=True)
    assert process_video.call(video.pk) == "deferred"
    video.refresh_from_db()
    assert (video.status, video.attempts, video.failure_reason) == (ProcessingStatus.PENDING, 0, "")
    (waiting,) = DBTaskResult.objects.filter(task_path=PROCESS_VIDEO)
    assert waiting.status == TaskResultStatus.READY and waiting.args_kwargs["args"] == [video.pk]
    assert waiting.run_after > timezone.now() + SCRATCH_FULL_DELAY - datetime.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_without_a_queue_a_video_without_room_fails_with_the_reason(scratch_dir, settings, tmp_path):
    settings.LIBRARY_SCRATCH_MAX_BYTES = 100
    video = make_video("Trop grand pour l'instant", data=video_bytes(tmp_path), uploaded=True)
    with translation.override("fr"):
        assert process_video.call(video.pk) == "failed"
    video.refresh_from_db()
    assert video.status == ProcessingStatus.FAILED
    assert video.failure_reason.startswith("Pas encore assez de place pour traiter cette vidéo")


# --- The heartbeat and the dead-job check ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_running_job_stamps_its_heartbeat():
    video = make_video("En cours", status=ProcessingStatus.PROCESSING)
    with heartbeat(video.pk, every=0.2):
        first = wait_until(lambda: Video.objects.get(pk=video.pk).processing_heartbeat_at, 2)
        later = wait_until(
            lambda: (stamp := Video.objects.get(pk=video.pk).processing_heartbeat_at) > first and stamp, 2
        )
    assert later > first
    time.sleep(0.5)
    assert Video.objects.get(pk=video.pk).processing_heartbeat_at == later  # stopped with the job


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_never_waits_for_the_row_lock_of_a_transaction_around_the_job():
    video = make_video("En cours", status=ProcessingStatus.PROCESSING)
    with transaction.atomic():
        Video.objects.select_for_update().get(pk=video.pk)  # as a job run inside an open transaction holds it
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as other_thread:
            started = time.monotonic()
            other_thread.submit(lambda: (beat(video.pk), connection.close())).result(timeout=10)
            assert time.monotonic() - started < 2


@pytest.mark.django_db(transaction=True)
def test_only_a_video_whose_job_stopped_beating_is_queued_again(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    long_ago = timezone.now() - datetime.timedelta(hours=5)
    alive = make_video("Long transcode", status=ProcessingStatus.PROCESSING)
    dead = make_video("Worker killed", status=ProcessingStatus.PROCESSING)
    Video.objects.filter(pk=alive.pk).update(processing_started_at=long_ago, processing_heartbeat_at=timezone.now())
    Video.objects.filter(pk=dead.pk).update(
        processing_started_at=long_ago, processing_heartbeat_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    running = DBTaskResult.objects.create(
        args_kwargs={"args": [dead.pk], "kwargs": {}},
        task_path=PROCESS_VIDEO,
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        started_at=long_ago,
    )
    assert maintenance.requeue_stale_videos() == [dead.pk]
    assert Video.objects.get(pk=alive.pk).status == ProcessingStatus.PROCESSING
    assert Video.objects.get(pk=dead.pk).status == ProcessingStatus.PENDING
    running.refresh_from_db()
    assert running.status == TaskResultStatus.FAILED and running.finished_at is not None
    assert running.exception_class_path.endswith("WorkerLostError")
    assert DBTaskResult.objects.filter(task_path=PROCESS_VIDEO, status=TaskResultStatus.READY).count() == 1


# --- A real worker killed mid-transcode --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_killed_with_its_worker_is_taken_again_and_its_scratch_removed(
    settings, s3_server, tmp_path, scratch_dir
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {
        **s3_environment(s3_server),
        "LIBRARY_SCRATCH_DIR": str(scratch_dir),
        "LIBRARY_PROCESSING_HEARTBEAT_SECONDS": "0.5",
        "LIBRARY_STALE_PROCESSING_SECONDS": "3",
    }
    master = video_bytes(tmp_path, seconds=12, width=1280, height=720)
    video = make_video("Atelier du samedi", data=master, uploaded=True)
    schedule_video_processing(video.pk)
    (first_job,) = DBTaskResult.objects.filter(task_path=PROCESS_VIDEO)

    def transcoding():
        """The job's directory once it holds the master and a rendition being written."""
        video.refresh_from_db()
        if video.status != ProcessingStatus.PROCESSING or video.processing_heartbeat_at is None:
            return None
        for directory in scratch_dir.glob("video-*"):
            files = {path.name: path.stat().st_size for path in directory.iterdir()}
            if files.get("master") == len(master) and any(
                name.endswith(".mp4") and size for name, size in files.items()
            ):
                return directory
        return None

    first = start_worker(env=env)
    try:
        directory = wait_until(transcoding, 60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        output = stop(first)
    video.refresh_from_db()
    first_job.refresh_from_db()
    assert video.status == ProcessingStatus.PROCESSING and not video.renditions.exists(), output
    assert first_job.status == TaskResultStatus.RUNNING
    assert directory.exists() and scratch.usage(scratch_dir) > len(master)

    second = start_worker(env=env)
    try:
        wait_until(lambda: not directory.exists(), 20)  # removed as the worker starts
        ready = wait_until(lambda: Video.objects.get(pk=video.pk).status == ProcessingStatus.READY, 90, step=0.5)
    finally:
        output = stop(second)
    assert ready, output
    video.refresh_from_db()
    assert video.attempts == 2 and video.failure_reason == ""
    assert sorted(video.renditions.values_list("name", flat=True)) == ["360p", "720p"]
    first_job.refresh_from_db()
    assert first_job.status == TaskResultStatus.FAILED and first_job.exception_class_path.endswith("WorkerLostError")
    statuses = sorted(DBTaskResult.objects.filter(task_path=PROCESS_VIDEO).values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    assert list(scratch_dir.iterdir()) == []  # the finished job left nothing behind
    assert "removed the scratch directory" in output and "re-queued video(s)" in output, output
