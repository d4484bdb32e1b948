"""Settings of the API benchmark's server: production-like, on loopback.

DEBUG off (no query log), PostgreSQL (BENCH_DATABASE_URL), media on local
disk, tasks queued in the database (a request never runs them), and Redis as
the cache (BENCH_REDIS_URL, a database of its own), as in production: shared
by the gunicorn workers and the benchmark process, so a publish in the
benchmark invalidates what the workers cached.
"""

import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import env

DEBUG = False
SECRET_KEY = "benchmark-only-key"  # noqa: S105 - loopback benchmark only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": env.db_url_config(
        env.str("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/cms_bench_api")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 600
ROOT_URLCONF = "benchmarks.urls"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    }
}
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", "/tmp/cms-bench-api-media"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT / "private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
