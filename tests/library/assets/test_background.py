"""Where scheduled work runs: in a thread of the web process on the immediate backend, queued otherwise.

`runs_in_process()` decides it from the configured default backend (the
object django-tasks builds from `TASKS`, not its module-level proxy). With
the immediate backend, work scheduled during a request runs in a
background thread and the request returns before it ends; outside a
request it runs inline. With a queueing backend it is only enqueued.
"""

import threading

import pytest

from django.test import override_settings

from library.assets import processing
from library.assets.processing import in_request, runs_in_process, schedule, wait_for_background

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_immediate_backend_runs_work_in_the_web_process():
    assert runs_in_process() is True


@override_settings(TASKS=DUMMY)
def test_a_queueing_backend_does_not():
    assert runs_in_process() is False


class Recorder:
    """A task stand-in: `enqueue` records the thread it ran in and waits until released."""

    name = "recorder"

    def __init__(self):
        self.threads, self.release = [], threading.Event()

    def enqueue(self, *args):
        self.threads.append(threading.current_thread())
        assert self.release.wait(10)
        return "ran"


def test_work_scheduled_in_a_request_runs_in_a_background_thread(monkeypatch):
    recorder = Recorder()
    processing.note_request_started()
    try:
        assert in_request()
        thread = schedule(recorder, 1)
    finally:
        processing.note_request_finished()
    assert isinstance(thread, threading.Thread)
    assert thread is not threading.current_thread()
    assert thread.is_alive()  # the caller got its answer while the work still runs
    recorder.release.set()
    assert wait_for_background(timeout=10)
    assert recorder.threads == [thread]


def test_work_scheduled_outside_a_request_runs_inline():
    recorder = Recorder()
    recorder.release.set()
    assert schedule(recorder, 1) == "ran"
    assert recorder.threads == [threading.current_thread()]


@pytest.mark.parametrize("requesting", [True, False])
@override_settings(TASKS=DUMMY)
def test_a_queueing_backend_only_enqueues(requesting):
    recorder = Recorder()
    recorder.release.set()
    if requesting:
        processing.note_request_started()
    try:
        assert schedule(recorder, 1) == "ran"
    finally:
        processing.note_request_finished()
    assert recorder.threads == [threading.current_thread()]
