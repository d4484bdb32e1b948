"""Fixtures that start the real parts the tests use.

- PostgreSQL: pytest-django creates the test database on 127.0.0.1:5432.
- S3: `rclone serve s3`, started once per session; every test stores media
  on it, as production does (see `s3_server`).
- Chromium: Debian's package driven by Playwright (see `tests/browser.py`).
"""

import shutil

import pytest

from django.conf import settings
from django.test import override_settings

from tests.s3 import start_s3_server

pytest_plugins = ["tests.browser"]


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
