"""Suggestions as you type on the site's search fields, in real Chromium against a live CMS.

The header field becomes an ARIA combobox: typing the beginning of a title
shows the films the visitor may see, the arrows choose one and Enter opens
it. The search page's field does the same and passes axe-core with the list
open. Without JavaScript the field stays a plain search field whose form
submits to the search page. The site's /suggestions.json asks the CMS on the
visitor's behalf: a film the public may not see is never suggested.
"""

import json
import re
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from tests.frontend.test_partner_space import behind_the_site, log_in_on_site, partner  # noqa: F401
from tests.frontend.test_public_site import assert_accessible
from tests.library.api.catalogue import build_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/shots/suggestions")


def suggestions(site, text, prefix=""):
    with urlopen(f"{site}{prefix}/suggestions.json?q={quote(text)}", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.read())["items"]


def test_header_field_suggests_a_film_chosen_with_the_keyboard(site, site_page):
    catalogue = build_catalogue()
    film = catalogue.films["public"]
    page = site_page
    page.goto(f"{site}/coordinations/")
    field = page.locator("#header-q")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially("film pub", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for(state="visible")
    assert field.get_attribute("aria-expanded") == "true"
    assert field.get_attribute("aria-controls") == listbox.get_attribute("id")
    options = listbox.get_by_role("option")
    texts = [text.split("\n")[0].strip() for text in options.all_inner_texts()]
    assert "Film public" in texts
    assert "Film réseau" not in texts and "Film interne" not in texts  # not for the public
    assert "suggestion" in page.locator("[data-suggest-status]").first.inner_text()
    # Down until the film is the active option, then Enter opens it.
    for _press in range(len(texts)):
        page.keyboard.press("ArrowDown")
        active = field.get_attribute("aria-activedescendant")
        assert active, "ArrowDown made no option active"
        option = page.locator(f"#{active}")
        assert option.get_attribute("aria-selected") == "true"
        if option.inner_text().startswith("Film public"):
            break
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "header-suggestions.png"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/films/{film.pk}-film-public/")
    assert page.locator("h1").inner_text() == "Film public"

    # Escape closes the list and leaves the text; Enter without a chosen option submits the search.
    field = page.locator("#header-q")
    field.press_sequentially("film pub", delay=40)
    page.get_by_role("listbox", name="Suggestions").wait_for(state="visible")
    page.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("listbox", name="Suggestions").is_hidden()
    assert field.input_value() == "film pub"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=film\+pub"))


def test_search_page_suggestions_pass_axe_with_the_list_open(site, site_page):
    build_catalogue()
    page = site_page
    page.goto(f"{site}/recherche/?q=film")
    field = page.locator("#q")
    field.fill("")
    field.press_sequentially("atel", delay=40)
    listbox = page.locator("#q-suggestions")
    listbox.wait_for(state="visible")
    texts = listbox.get_by_role("option").all_inner_texts()
    assert any(text.startswith("Atelier de réalisation") and "Type d'action" in text for text in texts), texts
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == "q-suggestions-0"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-page-suggestions.png"))
    assert_accessible(page)
    # A term opens the catalogue filtered by it.
    term = listbox.get_by_role("option").filter(has_text="Atelier de réalisation").first
    term.click()
    page.wait_for_url(re.compile(r"/films/\?action_type=atelier$"))
    assert page.locator("#f-action_type").input_value() == "atelier"


def test_without_javascript_the_header_form_submits_to_the_search_page(site, chromium):
    build_catalogue()
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/films/")
        field = page.locator("#header-q")
        assert field.get_attribute("role") is None  # no combobox without its script
        assert page.locator("#header-q-suggestions").is_hidden()
        field.fill("Film public")
        field.press("Enter")
        page.wait_for_url(re.compile(r"/recherche/\?q=Film\+public"))
        assert "Film public" in page.locator(".results").inner_text()
    finally:
        context.close()


def test_the_site_route_suggests_only_what_the_visitor_may_see(site):
    catalogue = build_catalogue()
    items = suggestions(site, "film")
    titles = {item["text"] for item in items if item["type"] == "film"}
    assert "Film public" in titles
    assert titles.isdisjoint({"Film réseau", "Film interne", "Film retiré", "Film brouillon", "Film de Bêta"})
    public = next(item for item in items if item["text"] == "Film public")
    assert public == {
        "text": "Film public",
        "type": "film",
        "kind": "Film",
        "href": f"/films/{catalogue.films['public'].pk}-film-public/",
    }
    # English: the English title, its English path and labels.
    english = suggestions(site, "public fil", prefix="/en")
    assert {"text": "Public film", "type": "film", "kind": "Film"}.items() <= next(
        item for item in english if item["text"] == "Public film"
    ).items()
    assert next(item for item in english if item["text"] == "Public film")["href"].startswith("/en/films/")
    # Too short, too long or odd input: an empty list, never an error.
    assert suggestions(site, "f") == []
    assert suggestions(site, "x" * 101) == []
    assert suggestions(site, "<script>") == []


def test_a_logged_in_partner_is_suggested_the_network_films(site, site_page):
    catalogue = build_catalogue()
    partner("ana@mjc-exemple.fr", catalogue.coord_a, "MJC des Lilas")
    page = site_page
    log_in_on_site(page, site, "ana@mjc-exemple.fr")
    page.wait_for_url(re.compile(r"/espace-partenaires/$"))
    answer = page.evaluate(
        """async () => {
            const response = await fetch('/suggestions.json?q=film');
            return {cache: response.headers.get('Cache-Control'), body: await response.json()};
        }"""
    )
    titles = {item["text"] for item in answer["body"]["items"]}
    assert {"Film public", "Film réseau"} <= titles  # the session's network tier
    assert titles.isdisjoint({"Film interne", "Film retiré", "Film brouillon"})
    assert answer["cache"] == "private, no-store"
    # Anonymous, the same route keeps the network film out.
    assert "Film réseau" not in {item["text"] for item in suggestions(site, "film")}
