"""The project starts, as an operator would start it, in a fresh process.

Each test runs `manage.py` in a subprocess with an environment built from
scratch (no DATABASE_URL or AWS_* inherited from the test run, no .env file),
so the settings are read exactly as on a new machine.
"""

import json
import secrets
from pathlib import Path

import pytest

from django.db import connections

from tests.embedded import get, manage
from tests.paths import PROJECT
from tests.s3 import ACCESS_KEY, BUCKET, REGION, SECRET_KEY, free_port


def production_env(database_url, **extra):
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cms.example.org",
        "DATABASE_URL": database_url,
        "WAGTAILADMIN_BASE_URL": "https://cms.example.org",
        "TRUSTED_PROXY_COUNT": "1",
        **extra,
    }


def s3_env(server, **overrides):
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": server.endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        **overrides,
    }


@pytest.fixture
def test_database_url(db):
    """The URL of the test database pytest-django created (it holds the migrated schema).

    Tests using it carry the `django_db` mark too, so that pytest-django creates
    the database even when they run alone.
    """
    database = connections["default"].settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def assert_one_line_error(result, *needles):
    """The command failed with one line of explanation naming the setting, and no traceback."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if all(needle in line for needle in needles)]
    assert len(lines) == 1, result.stderr
    return lines[0]


SETTINGS_PROBE = """
import json
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
default_storage = storages["default"]
name = default_storage.save("boot/probe.txt", ContentFile(b"probe"))
print(json.dumps({
    "debug": settings.DEBUG,
    "database": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "media": type(default_storage).__name__,
    "private": type(storages["private"]).__name__,
    "saved": name,
    "path": default_storage.path(name) if isinstance(default_storage, FileSystemStorage) else None,
    "url": default_storage.url(name),
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
}))
"""


def test_without_environment_the_embedded_default_is_used(tmp_path):
    # MEDIA_ROOT only keeps the probe file out of the project folder; nothing else is set.
    media = tmp_path / "media"
    result = manage("shell", "-c", SETTINGS_PROBE, env={"MEDIA_ROOT": str(media)})
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is True
    assert probe["database"] == "django.db.backends.sqlite3"
    assert probe["database_name"] == str(PROJECT / "db.sqlite3")
    assert probe["media"] == probe["private"] == "FileSystemStorage"
    assert Path(probe["path"]).read_bytes() == b"probe"
    assert Path(probe["path"]).is_relative_to(media)
    assert probe["search"] == "wagtail.search.backends.database"
    assert probe["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert probe["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert probe["language"] == "fr"
    assert probe["languages"] == ["fr", "en"]


def test_embedded_default_migrates_and_serves(embedded_site):
    assert embedded_site.database.stat().st_size > 0
    base = embedded_site.base_url
    status, openapi = get(f"{base}/api/v3/openapi.json")
    assert status == 200
    assert "/api/v3/pages/" in json.loads(openapi)["paths"]

    status, pages = get(f"{base}/api/v3/pages/")
    assert status == 200
    items = json.loads(pages)["items"]
    assert items, "the API lists the site's first page"
    # Wagtail's first page, served as HTML by the page tree.
    status, html = get(f"{base}/")
    assert status == 200
    assert "<html" in html.lower()
    status, login = get(f"{base}/admin/login/")
    assert status == 200
    assert 'lang="fr"' in login


@pytest.mark.django_db
def test_postgresql_and_s3_settings_boot(s3_server, test_database_url):
    env = production_env(test_database_url, **s3_env(s3_server))
    # The deployment check, including cms.E001 which reaches the bucket.
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout

    probe = manage("shell", "-c", SETTINGS_PROBE + DATABASE_PROBE, env=env)
    assert probe.returncode == 0, probe.stderr
    lines = probe.stdout.strip().splitlines()
    storage, database = json.loads(lines[-2]), json.loads(lines[-1])
    assert storage["debug"] is False
    assert storage["database"] == "django.db.backends.postgresql"
    assert storage["media"] == storage["private"] == "MediaS3Storage"
    assert f"media/{storage['saved']}" in s3_server.list_keys("media/boot/")
    assert "X-Amz-Signature=" in storage["url"] and "X-Amz-Expires=300" in storage["url"]
    assert database == {"vendor": "postgresql", "has_root_page": True}


DATABASE_PROBE = """
from django.db import connection
from wagtail.models import Page
print(json.dumps({"vendor": connection.vendor, "has_root_page": Page.objects.filter(depth=1).exists()}))
"""


@pytest.mark.parametrize(
    ("database_url", "command", "reason"),
    [
        ("postgres://postgres@127.0.0.1:{port}/cms", "migrate", "cannot connect to the database"),
        ("postgres://postgres@127.0.0.1:5432/cms_database_that_does_not_exist", "migrate", "does not exist"),
        ("mysql://user@127.0.0.1/cms", "check", "must start with postgres://"),
        ("not-a-url", "check", "must start with postgres://"),
    ],
)
def test_wrong_database_url_gives_one_line_naming_it(tmp_path, database_url, command, reason):
    env = {"DATABASE_URL": database_url.format(port=free_port()), "MEDIA_ROOT": str(tmp_path)}
    assert_one_line_error(manage(command, env=env), "DATABASE_URL", reason)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:{port}"}, "Could not connect to the endpoint URL"),
        ({"AWS_S3_ENDPOINT_URL": "not-a-url"}, "Invalid endpoint"),
        ({"AWS_SECRET_ACCESS_KEY": "wrong-secret"}, "403"),
        ({"AWS_STORAGE_BUCKET_NAME": "no-such-bucket"}, "404"),
    ],
)
def test_unreachable_s3_gives_one_line_naming_it(s3_server, tmp_path, overrides, reason):
    overrides = {key: value.format(port=free_port()) for key, value in overrides.items()}
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **s3_env(s3_server, **overrides)}
    line = assert_one_line_error(manage("check", env=env), "AWS_S3_ENDPOINT_URL", reason)
    assert "cms.E001" in line


@pytest.mark.django_db
def test_check_deploy_passes_with_production_settings(test_database_url):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(test_database_url))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL", "TRUSTED_PROXY_COUNT"]
)
def test_production_refuses_to_start_without_a_required_variable(variable):
    env = production_env("postgres://postgres@127.0.0.1:5432/cms")
    del env[variable]
    result = manage("check", env=env)
    line = assert_one_line_error(result, variable)
    assert (
        line
        == f"Configuration error: Set the {variable} environment variable: production settings have no default for it."
    )
    assert result.stderr.strip() == line
