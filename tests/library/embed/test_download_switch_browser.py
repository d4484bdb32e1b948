"""In Chromium: a film whose download switch is off plays in the player, which offers no way to save it,
and its page says it may not be downloaded; a national editor unticks the switch in the French film form and publishes, and the API stops giving downloads.

The player's native download button is hidden with `controlslist="nodownload"`
and its "Save video as" menu by the player's script; the stream itself plays.
Screenshots go to /tmp/shots/download/.
"""

import re
from pathlib import Path

import pytest

from django.contrib.auth.models import Group

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage
from tests.factories import PASSWORD, build_coordinations, build_home, make_consent, make_film, make_user, make_video
from tests.media import tiny_mp4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/download")


def _video(title):
    data = tiny_mp4()
    return make_video(
        title, data=data, renditions=("720p", "360p"), tracks=("fr",), duration=4.0, width=320, height=180
    )


@pytest.fixture
def world():
    home = build_home()
    _index, (coord_a, _coord_b) = build_coordinations(home)
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    kept = make_film(
        coord_a, "Les murs parlent", Tier.PUBLIC, consent, video=_video("Les murs parlent"), download_allowed=False
    )
    shared = make_film(coord_a, "Nos quartiers", Tier.PUBLIC, consent, video=_video("Nos quartiers"))
    national = make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))
    return kept, shared, national


def test_the_player_plays_a_film_kept_from_downloads_without_offering_to_save_it(live_server, chromium, world):
    kept, shared, _national = world
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(locale="fr-FR", viewport={"width": 800, "height": 500}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/embed/films/{kept.pk}/")
        assert page.evaluate("document.getElementById('film').controlsList.contains('nodownload')")
        page.evaluate("document.getElementById('film').muted = true; document.getElementById('film').play()")
        page.wait_for_function("document.getElementById('film').currentTime > 0.5")
        menu_refused = page.evaluate(
            """() => !document.getElementById('film').dispatchEvent(
                new MouseEvent('contextmenu', {bubbles: true, cancelable: true}))"""
        )
        assert menu_refused, "the 'Save video as' menu is still offered"
        page.screenshot(path=str(SHOTS / "player-download-off.png"))

        page.goto(f"{live_server.url}/embed/films/{shared.pk}/")
        assert not page.evaluate("document.getElementById('film').controlsList.contains('nodownload')")
        assert page.evaluate(
            """() => document.getElementById('film').dispatchEvent(
                new MouseEvent('contextmenu', {bubbles: true, cancelable: true}))"""
        ), "a film with the switch on keeps its menu"
        # The CMS's own film page says so, in French, and links to no download.
        page.goto(f"{live_server.url}{kept.url}")
        notice = page.locator(".film__download-off")
        assert notice.inner_text() == "Téléchargement non autorisé : ce film se regarde uniquement en streaming."
        assert page.locator("a[href*='download'], a[href*='screening-pack']").count() == 0
        page.screenshot(path=str(SHOTS / "film-page-download-off.png"))
    finally:
        context.close()


def test_a_national_editor_unticks_the_switch_and_publishes(live_server, browser_page, world, client):
    _kept, shared, national = world
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", national.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/{shared.pk}/edit/")
    checkbox = page.locator("input[name=download_allowed]")
    assert checkbox.is_checked()
    assert page.locator("label[for=id_download_allowed]").inner_text().strip() == (
        "Les partenaires peuvent télécharger le fichier maître"
    )
    section = page.locator("section", has=checkbox).last
    assert "Générique et droits" in section.inner_text()
    assert "Décochez pour que les partenaires regardent ce film en streaming" in section.inner_text()
    checkbox.scroll_into_view_if_needed()
    checkbox.uncheck()
    section.screenshot(path=str(SHOTS / "admin-rights-switch-off.png"))
    # "Publier" sits in the footer's menu; its button submits the form as the menu item does.
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[name='action-publish']\").click()")

    assert FilmPage.objects.get(pk=shared.pk).download_allowed is False
    client.force_login(national)
    detail = client.get(f"/api/v3/films/{shared.pk}/").json()
    assert detail["download_allowed"] is False and detail["download_urls"] == {}
