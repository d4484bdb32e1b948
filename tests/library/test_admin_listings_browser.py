"""In Chromium at 1280×800, a regional editor's film, guide and video listings keep every column readable.

Measured in the page: the table fits the window (no column pushed out of
sight), titles keep room for a few words, and the short cells (the video's
state, dates, the coordination's name) stay on one
line: "Pas de vidéo" and "Île-de-France" were broken in two, the update and
upload dates read "Il y a 3 semaines". The English listing marks an
untranslated copy "À faire (copie du français)" under the "Traduction"
heading, without repeating it, in at most two lines. Each listing is photographed into
`SCREENSHOT_DIR` (by default `<tmp>/shots/listings/`).
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from django.contrib.auth.models import Group

from wagtail_localize.models import LocaleSynchronization

from library.access.network import coordination_collection
from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from tests.browser import log_in
from tests.factories import (
    build_coordinations,
    build_home,
    locale,
    make_consent,
    make_film,
    make_guide,
    make_user,
    make_video,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 800

#: For each cell of the listing's table: its column's heading, its width, and its number of lines.
MEASURE = """() => {
    const table = document.querySelector("table.listing");
    const headings = Array.from(table.querySelectorAll("thead th")).map((th) => th.innerText.trim());
    const lines = (element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => r.top);
        tops.sort((a, b) => a - b);
        return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 4).length;
    };
    const rows = Array.from(table.querySelectorAll("tbody tr")).map((tr) =>
        Array.from(tr.children).map((td, i) => ({
            heading: headings[i], text: td.innerText.trim(), lines: lines(td), width: td.getBoundingClientRect().width,
        }))
    );
    const titleHeading = table.querySelector("thead th.title");
    return {
        overflow: table.getBoundingClientRect().right - document.documentElement.clientWidth,
        titleWidth: titleHeading ? titleHeading.getBoundingClientRect().width : null,
        rows,
    };
}"""


@pytest.fixture
def shots():
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "listings")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def editor():
    home = build_home()
    _index, (idf,) = build_coordinations(home, {"title": "Île-de-France", "slug": "ile-de-france"})
    collection = coordination_collection(idf)
    consent = make_consent(idf, ConsentScope.PUBLIC, label="Atelier de Montreuil")
    for title, with_video in [
        ("Les Lucioles du quartier de la Boissière", True),
        ("Mots croisés", True),
        ("Sous la verrière", False),
    ]:
        video = make_video(title, collection=collection) if with_video else None
        make_film(idf, title, Tier.PUBLIC, consent, video=video)
    make_guide(idf, "Filmer son quartier avec des adolescents", Tier.PUBLIC)
    # The English tree follows the French one: each page gets an untranslated copy there.
    LocaleSynchronization.objects.create(locale=locale("en"), sync_from=locale("fr"))
    return make_user("ines", idf.editors_group, first_name="Inès")


def measure(page, url):
    page.goto(url)
    page.wait_for_selector("table.listing tbody tr")
    return page.evaluate(MEASURE)


def cells(measured, heading):
    return [cell for row in measured["rows"] for cell in row if cell["heading"] == heading]


def assert_readable(measured, one_line_headings):
    assert measured["overflow"] <= 0, f"the table overflows the window by {measured['overflow']} px"
    for heading in one_line_headings:
        column = cells(measured, heading)
        assert column, f"no column {heading!r}"
        broken = [(cell["text"], cell["lines"]) for cell in column if cell["lines"] > 1]
        assert not broken, f"{heading}: cells broken over several lines: {broken}"


def test_film_listing_columns_are_readable_at_1280(browser_page, live_server, editor, shots):
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server, editor)

    films = measure(page, f"{live_server.url}/admin/films/")
    shots(page, "films-1280")
    assert films["titleWidth"] >= 220, f"the title column is squeezed to {films['titleWidth']} px"
    assert_readable(films, ["Mis à jour", "Statut", "Coordination", "Vidéo"])
    assert {cell["text"] for cell in cells(films, "Vidéo")} == {"Prête", "Pas de vidéo"}
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", cell["text"]) for cell in cells(films, "Mis à jour"))

    # The English tree is the national editors' (the regional editor's permissions are on the French one).
    page.context.clear_cookies()
    log_in(page, live_server, make_user("nadia", Group.objects.get(name=NATIONAL_GROUP), first_name="Nadia"))
    english = measure(page, f"{live_server.url}/admin/films/?locale=en")
    shots(page, "films-english-1280")
    assert {cell["text"] for cell in cells(english, "Traduction")} == {"À faire (copie du français)"}
    assert_readable(english, ["Mis à jour", "Coordination", "Vidéo"])
    # The longer translation state wraps at its spaces, in at most two lines, never letter by letter.
    assert all(cell["lines"] <= 2 and cell["width"] >= 80 for cell in cells(english, "Traduction"))


def test_guide_and_video_listings_columns_are_readable_at_1280(browser_page, live_server, editor, shots):
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server, editor)

    guides = measure(page, f"{live_server.url}/admin/guides/")
    shots(page, "guides-1280")
    assert guides["titleWidth"] >= 220
    assert_readable(guides, ["Mis à jour", "Statut", "Coordination"])

    videos = measure(page, f"{live_server.url}/admin/library/videos/")
    shots(page, "videos-1280")
    assert_readable(videos, ["État du traitement", "Durée", "Envoyée le"])
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", cell["text"]) for cell in cells(videos, "Envoyée le"))
