"""In real Chromium, with the Content Security Policy enforced: no page of the admin, the embed player or
the API docs breaks one of its rules (each break is reported on the console and as a
`securitypolicyviolation` event, both collected here).
"""

import pytest

from django.contrib.auth import get_user_model

from tests.api.builders import build_catalogue
from tests.library.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` in ${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""


@pytest.fixture
def watched_page(chromium):
    """A French page whose CSP reports (console messages and violation events) land in `page.violations`."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            page.violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.violations.append(f"{page.url}: page error {error}"))
    yield page
    context.close()


def visit(page, url, ready=None):
    response = page.goto(url)
    assert "frame-ancestors" in response.headers["content-security-policy"]  # enforced, not report-only
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")


def test_no_csp_violation_in_the_admin_the_player_and_the_docs(live_server, watched_page):
    catalogue = build_catalogue()
    film = catalogue.films["public"]
    make_user("cspadmin", is_superuser=True)
    assert get_user_model().objects.filter(username="cspadmin").exists()
    page = watched_page
    base = live_server.url

    # Through the login form, as an editor does.
    visit(page, f"{base}/admin/login/")
    page.fill("#id_username", "cspadmin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{base}/admin/")
    page.wait_for_load_state("networkidle")

    visit(page, f"{base}/admin/pages/{film.pk}/edit/", ready="form#page-edit-form")
    visit(page, f"{base}/admin/library/videos/new/", ready="[data-library-files]")

    visit(page, f"{base}/embed/films/{film.pk}/", ready="#film")
    page.evaluate("document.getElementById('film').muted = true; document.getElementById('film').play()")
    page.wait_for_function("() => document.getElementById('film').currentTime > 0.3")

    visit(page, f"{base}/api/v3/docs/", ready=".swagger-ui .info")

    assert page.violations == [], "\n".join(page.violations)
