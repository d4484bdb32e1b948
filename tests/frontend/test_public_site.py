"""The public site in real Chromium, reading a live CMS through its API.

The visitor goes from the home page to the catalogue, filters it, opens a
film whose video plays with its French captions, finds it again by a search
with a typo ("did you mean"), and reads it in English; the same path works
with the keyboard alone; axe-core finds no serious or critical violation on
any page type. A hidden film and a missing one answer the same 404 page; an
editor previews a draft film on the site; a CMS that is down or black-holed
gives the French 503 page within 3 s.
"""

import re
import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.browser import log_in
from tests.faults import TCPProxy
from tests.frontend.conftest import run_site
from tests.library.api.catalogue import build_catalogue
from tests.paths import PROJECT

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def status_and_main(url):
    try:
        with urlopen(url, timeout=10) as response:
            status, body = response.status, response.read().decode()
    except HTTPError as error:
        status, body = error.code, error.read().decode()
    main = re.search(r"<main[^>]*>(.*?)</main>", body, re.S)
    return status, main.group(1) if main else body


def assert_accessible(page):
    """axe-core on the page as shown: no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact}))"
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == [], page.url


def test_visitor_browses_filters_watches_searches_and_switches_to_english(site, site_page):
    catalogue = build_catalogue()
    film = catalogue.films["public"]
    page = site_page

    page.goto(f"{site}/")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").inner_text() == "Accueil"
    assert_accessible(page)

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Films").click()
    page.wait_for_url(f"{site}/films/")
    assert page.locator("h1").inner_text() == "Films des ateliers"
    cards = page.locator(".cards .card h2")
    assert "Film public" in cards.all_inner_texts()
    assert "Film réseau" not in cards.all_inner_texts()  # the network tier is not for the public
    assert_accessible(page)

    # Filter by theme, with facet counts in the form; a plain GET form.
    assert page.locator("#f-theme option[value=citoyennete]").inner_text().strip() == "Citoyenneté (1)"
    page.select_option("#f-theme", "citoyennete")
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url(re.compile(r"/films/\?.*theme=citoyennete"))
    assert cards.all_inner_texts() == ["Film public"]
    assert page.locator("#results-count").inner_text() == "1 film"

    page.get_by_role("link", name="Film public").click()
    page.wait_for_url(f"{site}/films/{film.pk}-film-public/")
    assert page.locator("h1").inner_text() == "Film public"
    assert page.locator("link[rel=alternate][type='application/json+oembed']").count() == 1
    assert page.locator("meta[property='og:image']").get_attribute("content").startswith("http")
    assert page.locator("link[rel=alternate][hreflang=en]").get_attribute("href") == (
        f"{site}/en/films/{film.pk}-public-film/"
    )

    # The video plays, and its French captions track is the default one, loaded from the site itself.
    video = "document.querySelector('video')"
    page.wait_for_function(
        f"""() => {{
            const fr = [...{video}.textTracks].find(t => t.language === 'fr');
            return fr && fr.mode === 'showing' && fr.cues && fr.cues.length > 0;
        }}"""
    )
    assert page.evaluate(f"[...{video}.textTracks].find(t => t.language === 'fr').cues[0].text") == (
        "Bonjour et bienvenue"
    )
    page.evaluate(f"{video}.muted = true; {video}.play()")
    page.wait_for_function(f"{video}.currentTime > 0.5")
    assert_accessible(page)

    # A search with a typo finds the film, and says what it searched for.
    page.fill("#header-q", "Film publik")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=Film\+publik"))
    assert page.locator(".did-you-mean").inner_text() == "Vouliez-vous dire : film public ?"
    assert_accessible(page)
    page.locator(".results").get_by_role("link", name="Film public").click()
    page.wait_for_url(f"{site}/films/{film.pk}-film-public/")

    # The language switch opens the film in English.
    page.get_by_role("link", name="Read this page in English").click()
    # The English version has its own slug; the link goes straight to it.
    page.wait_for_url(f"{site}/en/films/{film.pk}-public-film/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "Public film"
    assert "Synopsis in English" in page.locator("main").inner_text()
    assert_accessible(page)

    # The guide, the coordination and the 404 page pass axe too.
    for path in (
        f"/guides/{catalogue.guides['public'].pk}/",
        f"/coordinations/{catalogue.coord_a.slug}/",
        "/films/999999999-nothing/",
    ):
        page.goto(f"{site}{path}")
        assert_accessible(page)


def test_keyboard_alone_reaches_a_film_and_hidden_films_answer_like_missing_ones(site, site_page):
    catalogue = build_catalogue()
    film = catalogue.films["public"]
    page = site_page
    page.goto(f"{site}/")

    def tab_to(name, limit=40):
        for _press in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == name:
                # The focus is visible.
                assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
                return
        raise AssertionError(f"Tab never reached {name!r}")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    tab_to("Films")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/films/")
    tab_to("Film public")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/films/{film.pk}-film-public/")
    assert page.locator("h1").inner_text() == "Film public"

    # A film the public may not see (network tier, consent withdrawn) answers exactly as a missing one.
    hidden = status_and_main(f"{site}/films/{catalogue.films['network'].pk}-film-reseau/")
    withdrawn = status_and_main(f"{site}/films/{catalogue.films['withdrawn'].pk}/")
    missing = status_and_main(f"{site}/films/999999999-nothing/")
    assert hidden[0] == withdrawn[0] == missing[0] == 404
    assert hidden[1] == withdrawn[1] == missing[1]
    assert "Page introuvable" in missing[1]


def test_bad_input_gives_a_clear_page_with_escaped_output(site):
    status, main = status_and_main(f"{site}/films/?year_min=abc&theme=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 400
    assert "Certains filtres ne sont pas valables" in main
    assert "<script>" not in main and "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    status, main = status_and_main(f"{site}/recherche/?q={'a' * 10240}")
    assert status == 400 and "trop longue" in main
    status, main = status_and_main(f"{site}/recherche/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    # Only inside the search box's quoted value, where it is inert text.
    assert status == 200 and main.count("<script") == 1 and 'value="<script>alert(1)</script>"' in main


def test_cms_down_or_silent_gives_the_french_503_page_within_3_seconds(site_build, live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    with TCPProxy(host, int(port)) as proxy, run_site(site_build, f"http://{proxy.address}") as site:
        assert status_and_main(f"{site}/coordinations/")[0] == 200
        for fault in (proxy.kill, proxy.pause):
            fault()
            started = time.monotonic()
            status, main = status_and_main(f"{site}/films/")
            assert time.monotonic() - started < 3
            assert status == 503
            assert "Site momentanément indisponible" in main
            proxy.restore()


def test_editor_previews_a_draft_film_on_the_site(site, site_page, live_server, settings):
    settings.PUBLIC_SITE_URL = site
    catalogue = build_catalogue()
    draft = catalogue.films["draft"]
    assert status_and_main(f"{site}/films/{draft.pk}/")[0] == 404  # not live

    log_in(site_page, live_server, catalogue.users["editor_a"])
    site_page.goto(f"{live_server.url}/admin/preview-on-site/{draft.pk}/")
    site_page.wait_for_url(re.compile(re.escape(f"{site}/preview/?type=library.FilmPage&token=")))
    assert site_page.locator("h1").inner_text() == "Film brouillon"
    assert site_page.get_by_role("status").first.inner_text() == (
        "Aperçu du brouillon : cette version n'est pas publiée."
    )
    assert site_page.locator("meta[name=robots]").get_attribute("content") == "noindex"

    # A tampered token gets the expiry message, not the draft.
    status, main = status_and_main(f"{site}/preview/?type=library.FilmPage&token=abc")
    assert status == 401 and "Ce lien d&#39;aperçu a expiré" in main
