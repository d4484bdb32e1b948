"""Fixtures that start the real parts the tests use.

- PostgreSQL: pytest-django creates the test database on 127.0.0.1:5432.
- S3: `rclone serve s3`, started once per session; every test stores media
  on it, as production does (see `s3_server`).
- Chromium: Debian's package driven by Playwright (see `tests/browser.py`).

`module_db` lets a module build expensive data once (demo content, a
catalogue) and share it between its tests; see its docstring.
"""

import shutil
from contextlib import contextmanager

import pytest

from django.conf import settings
from django.core.cache import caches
from django.test import TestCase, override_settings

from tests.s3 import start_s3_server

pytest_plugins = ["tests.browser", "tests.embedded"]


def pytest_collection_modifyitems(items):
    """Start every transactional test from the migrated data.

    A transactional test (`transactional_db`, `live_server`) empties every
    table when it ends, including the rows migrations create (Wagtail's root
    page and default site, the French locale, permissions). Asking for
    serialized rollback on each of them restores those rows before each one
    starts, so they do not depend on running first.
    """
    from pytest_django.fixtures import validate_django_db

    for item in items:
        fixturenames = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transaction, reset_sequences, databases, serialized_rollback, available_apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        if serialized_rollback or not (transaction or {"transactional_db", "live_server"} & set(fixturenames)):
            continue
        # The closest mark wins; pytest-django reads serialized_rollback from it.
        item.add_marker(
            pytest.mark.django_db(
                transaction=True,
                reset_sequences=reset_sequences,
                databases=databases,
                serialized_rollback=True,
                available_apps=available_apps,
            ),
            append=False,
        )


@pytest.fixture(scope="session")
def s3_server():
    server = start_s3_server()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def media_on_s3(s3_server):
    """Point every storage at the S3 server for the whole session."""
    override = override_settings(
        STORAGES=s3_server.storage_settings(settings.STORAGES),
        AWS_STORAGE_BUCKET_NAME="passeurs-test",
        AWS_S3_ENDPOINT_URL=s3_server.endpoint_url,
    )
    override.enable()
    yield s3_server
    override.disable()


@pytest.fixture(autouse=True)
def _clear_caches():
    """Start every test with empty caches.

    Wagtail caches site root paths and similar lookups; after a rollback they
    would point at rows that no longer exist.
    """
    for cache in caches.all():
        cache.clear()


class ModuleDatabase:
    """A transaction spanning one test module; see `module_db`."""

    def __init__(self, django_db_blocker):
        self._blocker = django_db_blocker

    @contextmanager
    def build(self):
        """Open the database for module-level set-up, running on-commit callbacks at the end.

        Wagtail and wagtail-localize defer work (search indexing, publishing
        translations, rendition tasks) to `on_commit`; the module transaction
        never commits, so the callbacks are run here instead.
        """
        with self._blocker.unblock(), TestCase.captureOnCommitCallbacks(execute=True):
            yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole test module, rolled back when the module ends.

    A module-scoped fixture that depends on this one builds its data inside
    `module_db.build()`; each test (with the ordinary `db` fixture) then runs
    in a savepoint inside that transaction, so it sees the data and its own
    changes are undone after it. Transactional tests (`transactional_db`,
    `live_server`) must live in another module: they cannot run inside a
    transaction.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield ModuleDatabase(django_db_blocker)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        for cache in caches.all():
            cache.clear()


@pytest.fixture
def bearer():
    """`bearer(token)`: the request headers that present a partner's API token."""

    def header(token):
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return header
