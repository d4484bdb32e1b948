"""Real Chromium for browser tests: Debian's package driven by Playwright.

Never `playwright install`: the browser is /usr/bin/chromium, installed by
`scripts/system-deps.sh`. The flags keep Chromium from calling home on a
machine without internet.
"""

import os
import re

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    from playwright.sync_api import sync_playwright

    from django.db import connections

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright runs an event loop in this thread; from now on Django's
        # connection handler (an asgiref Local) hands out new connection
        # objects. pytest-django stored the migrated data for serialized
        # rollback on the first ones: copy it over, or transactional tests
        # using the browser would start from empty tables.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page in French, closed after the test."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, live_server, user):
    """Log `user` (a factory user, with the factories' password) into the admin and wait for the dashboard."""
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
