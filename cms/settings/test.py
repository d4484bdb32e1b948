"""Test settings: real PostgreSQL, and a few commented speed tricks.

Media go to a real S3 server that the test suite starts (`tests/s3.py`); it
switches STORAGES with `override_settings` once the server is up, so these
defaults only matter for tests that ask for local disk on purpose.
"""

import os
import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - test settings only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# PostgreSQL, as in production; pytest-django creates test_<name> itself.
DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/cms"))}

# MD5 hashes in microseconds; real hashers cost ~100 ms per login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run where they are enqueued, so a test sees their effect at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Plain static storage: no manifest to build before a template renders.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

_tmp = Path(tempfile.mkdtemp(prefix="cms-test-media-"))  # noqa: F405
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# WhiteNoise warns on every request when STATIC_ROOT does not exist.
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
