"""The embedded default (SQLite, local files) migrated and served by `runserver`, once per run.

`make demo` serves this configuration, so what a visitor of the demo can do
is tested on it: the project booting from a clean environment
(`tests/cms/test_boot.py`) and search on SQLite's full-text backend
(`tests/search/test_embedded_search.py`). Migrating takes about a minute,
hence one server for the whole run, started by the first test that asks.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import PROJECT
from tests.s3 import free_port

#: A published content page, so that search on SQLite has something to find.
SEED = """
from wagtail.models import Page
from home.models import ContentPage
root = Page.objects.get(depth=2)
page = root.add_child(instance=ContentPage(
    title="Atelier de cinéma au collège", slug="atelier-college",
    introduction="Un atelier de réalisation avec des élèves de quatrième."))
page.save_revision().publish()
"""


def clean_environment(**env):
    """Only PATH, HOME, a locale and `env`: the settings are read as on a new machine (no .env file)."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8", "ENV_FILE": ""}
    return {**base, **env}


def manage(*args, env, timeout=180):
    """Run `python manage.py *args` with only `env` (plus PATH and a locale) in its environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def get(url, timeout=30):
    """(status, body) of a GET in French; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept-Language": "fr"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@dataclass
class EmbeddedSite:
    base_url: str
    database: Path
    migrate_output: str


@pytest.fixture(scope="session")
def embedded_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("embedded")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
    }
    migrated = manage("migrate", "--no-input", env=env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    seeded = manage("shell", "-c", SEED, env=env)
    assert seeded.returncode == 0, seeded.stderr

    port = free_port()
    # A file, not a pipe: nobody reads a pipe while tests run, and a full one (a log line per request) stops the server.
    log = open(folder / "runserver.log", "w")  # noqa: SIM115 - closed with the server below
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=clean_environment(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/v3/openapi.json", timeout=5).close()
            break
        except (urllib.error.URLError, ConnectionError):
            assert server.poll() is None, (folder / "runserver.log").read_text()
            assert time.monotonic() < deadline, "runserver did not answer within 90 s"
            time.sleep(0.5)
    try:
        yield EmbeddedSite(base, folder / "db.sqlite3", migrated.stdout)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
