"""The public site (frontend/) against a live CMS: built once, run with Node for the session.

The CMS is pytest-django's `live_server` on PostgreSQL, with media on the
S3 fixture, as in the other browser tests. The site is built once
(`npm run build`) and started as production starts it
(`node frontend/dist/server/entry.mjs`), with its memory of lookups and of
API answers turned off, since each test builds its own data (the tests of
that memory, test_freshness.py, turn it on).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import pytest

from tests.paths import PROJECT
from tests.s3 import free_port

FRONTEND = PROJECT / "frontend"
ENTRY = FRONTEND / "dist" / "server" / "entry.mjs"


@pytest.fixture(scope="session")
def site_build():
    """Build the site once per session (a few seconds), from the installed node_modules."""
    assert shutil.which("node"), "Node 20 is required for the site's tests (see scripts/system-deps.sh)"
    assert (FRONTEND / "node_modules").is_dir(), "run `make install-dev` (npm ci in frontend/)"
    result = subprocess.run(["npm", "run", "build"], cwd=FRONTEND, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return ENTRY


def wait_for_port(port, process, log, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the site stopped: {log.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the site did not start listening")


@contextmanager
def run_site(entry, cms_url, **env):
    """The built site on a free loopback port, reading the CMS at `cms_url`; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "CMS_URL": cms_url,
        "SITE_CACHE_SECONDS": "0",
        "SITE_API_CACHE_ENTRIES": "0",
        **env,
    }
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            ["node", str(entry)], env=environment, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            # What the site printed (the CMS calls that failed), shown with a failing test's output.
            log.seek(0)
            print(log.read()[-5000:])


@pytest.fixture(scope="session")
def site(site_build, live_server):
    """The site's base URL, reading the session's live CMS."""
    with run_site(site_build, live_server.url) as url:
        yield url


@pytest.fixture
def site_page(chromium):
    """A French page of Chromium at phone-and-desktop friendly size."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
