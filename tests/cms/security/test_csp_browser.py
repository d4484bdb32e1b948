"""In real Chromium, with the Content Security Policy enforced: no page of the admin, the embed player or
the API docs breaks one of its rules (each break is reported on the console and as a
`securitypolicyviolation` event, both collected here).
"""

import pytest

from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, make_user
from tests.library.api.catalogue import build_catalogue

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


def log_in(page, base, username):
    """Through the login form, as an editor does."""
    visit(page, f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{base}/admin/")
    page.wait_for_load_state("networkidle")


def english_translation(film):
    """The film's English translation, made as wagtail-localize's "Translate" action makes it (editable in its
    translation editor)."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    english = Locale.objects.get_or_create(language_code="en")[0]
    source, _ = TranslationSource.get_or_create_from_instance(film)
    translation = Translation.objects.create(source=source, target_locale=english)
    translation.save_target(publish=True)
    return film.get_translation(english)


@pytest.fixture
def cors_bucket(live_server):
    """An S3 server that lets the live server's pages upload to it, as the production bucket's CORS rule does."""
    import shutil

    from django.conf import settings
    from django.test import override_settings

    from tests.library.assets.test_browser_upload import start_cors_s3_server

    server = start_cors_s3_server(live_server.url)
    with override_settings(STORAGES=server.storage_settings(settings.STORAGES)):
        yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def background():
    """Waits for the processing of the uploaded video, before the database is flushed."""
    from library.assets.processing import wait_for_background

    yield
    assert wait_for_background(timeout=120), "background processing did not finish"


def test_no_csp_violation_on_the_editors_screens(live_server, cors_bucket, background, watched_page, tmp_path):
    from library.models import ConsentRecord, Video
    from tests.library.assets.helpers import video_bytes

    catalogue = build_catalogue()
    film = catalogue.films["public"]
    translated = english_translation(film)
    consent = ConsentRecord.objects.filter(coordination=catalogue.coord_a).first()
    page = watched_page
    base = live_server.url
    log_in(page, base, catalogue.users["editor_a"].username)

    # The page chooser, from a rich-text link in a page edit form (Draftail).
    visit(page, f"{base}/admin/pages/{catalogue.coord_a.pk}/edit/", ready="form#page-edit-form")
    editor = page.locator(".Draftail-Editor .public-DraftEditor-content").first
    editor.click()
    page.keyboard.type("Un lien vers le film")
    page.keyboard.press("Shift+Home")
    page.locator(".Draftail-Editor [name=LINK]").first.click()
    page.wait_for_selector(".modal-dialog .modal-content [data-chooser-modal-choice], .modal-dialog a.choose-page")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Escape")

    # The image chooser, from the film's poster field.
    visit(page, f"{base}/admin/pages/{film.pk}/edit/", ready="form#page-edit-form")
    page.evaluate("document.querySelector('#id_poster-chooser [data-chooser-action-choose]').click()")
    page.wait_for_selector(".modal-dialog .modal-content .listing, .modal-dialog .modal-content table")
    page.wait_for_load_state("networkidle")

    visit(page, f"{base}/admin/images/{catalogue.poster.pk}/", ready="form")
    visit(page, f"{base}/admin/images/multiple/add/", ready="#fileupload")
    visit(page, f"{base}/admin/documents/multiple/add/", ready="#fileupload")
    visit(page, f"{base}/admin/snippets/library/consentrecord/edit/{consent.pk}/", ready="form")

    # wagtail-localize's translation editor (React, styled-components), as the national team, which edits
    # the English tree.
    page.context.clear_cookies()
    log_in(page, base, catalogue.users["national"].username)
    visit(page, f"{base}/admin/pages/{translated.pk}/edit/", ready=".js-translation-editor > *")

    # A real upload, from the browser straight to the bucket.
    master = tmp_path / "atelier.mp4"
    master.write_bytes(video_bytes(tmp_path, name="source.mp4", seconds=1))
    visit(page, f"{base}/admin/library/videos/new/", ready="[data-library-files]")
    page.set_input_files("[data-library-files]", str(master))
    page.wait_for_selector("tr.library-upload[data-state=ready]", timeout=90_000)
    video = Video.objects.get(original_filename="atelier.mp4")
    assert cors_bucket.list_keys(f"private/videos/{video.storage_prefix}/")

    assert page.violations == [], "\n".join(page.violations)
