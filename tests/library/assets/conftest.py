"""Fixtures of the asset tests: an editor with the admin, small part sizes, generated media."""

import pytest

from tests.factories import make_user


@pytest.fixture
def root_collection(db):
    """Wagtail's root collection (transactional tests flush the one migrations create)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Médiathèque nationale")


@pytest.fixture
def editor(db, root_collection):
    return make_user("monteuse", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def small_parts(monkeypatch):
    """16 KiB parts, so a 2-second test video is sent in several parts (rclone accepts small parts)."""
    monkeypatch.setattr("library.assets.uploads.backends.MIN_PART_SIZE", 16 * 1024)
    return 16 * 1024


@pytest.fixture
def background():
    """Waits for the processing threads a test started, before its database is flushed."""
    from library.assets.processing import wait_for_background

    yield wait_for_background
    assert wait_for_background(timeout=120), "background processing did not finish"
