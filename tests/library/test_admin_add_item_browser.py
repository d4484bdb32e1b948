"""In Chromium, in the French admin: "Ajouter un film" lands in the editor's own coordination.

A regional editor opens Films from the menu, clicks "Ajouter un film" and is
on the creation form under her coordination, with no tree picker on the way;
she fills the film in, saves a draft and finds it in her listing. A national
editor, who may add films anywhere, picks the coordination from a short
list. Each step is photographed into `SCREENSHOT_DIR` (by default
`<tmp>/shots/add/`), created when missing.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from django.contrib.auth.models import Group, Permission

from library.core.groups import NATIONAL_GROUP
from library.models import FilmPage
from tests.browser import log_in
from tests.factories import build_coordinations, build_home, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots():
    """`shots(page, name)` photographs the whole page into the screenshot folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "add")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def network():
    home = build_home()
    _index, (coord_a, coord_b) = build_coordinations(
        home,
        {"title": "Coordination Alpha", "slug": "alpha", "carrying_structure": "Ciné-club Alpha"},
        {"title": "Coordination Bêta", "slug": "beta", "carrying_structure": "Association Bêta"},
    )
    editor = make_user("alice", coord_a.editors_group, first_name="Alice")
    national = make_user("nadia", Group.objects.get(name=NATIONAL_GROUP), first_name="Nadia")
    return coord_a, coord_b, editor, national


def open_films(page):
    """The sidebar's "Films" entry, as an editor finds it."""
    page.locator("#wagtail-sidebar").get_by_role("link", name="Films", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/films/"))


def active_menu_item(page):
    """The label of the sidebar item highlighted as the current one."""
    return page.locator("#wagtail-sidebar .sidebar-menu-item--active > a .menuitem-label").inner_text()


def test_regional_editor_adds_a_film_to_her_coordination(browser_page, live_server, network, shots):
    coord_a, _coord_b, editor, _national = network
    page = browser_page
    log_in(page, live_server, editor)

    open_films(page)
    shots(page, "1-films-listing")
    page.get_by_role("link", name="Ajouter un film").click()

    # Straight into the creation form under her coordination: no parent to choose.
    page.wait_for_url(re.compile(rf"/admin/films/add/{coord_a.pk}/$"))
    assert page.locator("form#page-edit-form").count() == 1
    assert page.get_by_text("Racine").count() == 0
    assert active_menu_item(page) == "Films", "the sidebar stays on Films, not Pages"
    shots(page, "2-creation-form")

    page.fill("#id_title", "Les Lucioles du quartier")
    page.fill("#id_synopsis", "Un atelier de cinéma d'animation dans un centre social.")
    page.fill("#id_year", "2025")
    shots(page, "3-filled-in")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert page.get_by_text("Page « Les Lucioles du quartier » créée.").is_visible()
    shots(page, "4-draft-saved")

    film = FilmPage.objects.get(title="Les Lucioles du quartier")
    assert film.get_parent().pk == coord_a.pk
    assert film.coordination_id == coord_a.pk
    assert not film.live

    open_films(page)
    row = page.locator("tr", has_text="Les Lucioles du quartier")
    assert row.count() == 1
    assert "Coordination Alpha" in row.inner_text()
    shots(page, "5-film-in-listing")


def test_national_editor_picks_the_coordination_from_a_list(browser_page, live_server, network, shots):
    _coord_a, coord_b, _editor, national = network
    page = browser_page
    log_in(page, live_server, national)

    open_films(page)
    page.get_by_role("link", name="Ajouter un film").click()
    page.wait_for_url(re.compile(r"/admin/films/choose_parent/"))
    assert page.get_by_role("heading", name="Choisir une coordination").count() >= 1
    assert page.get_by_text("Choisissez la coordination du film :").is_visible()
    links = page.locator("[data-add-item-parent]")
    assert links.all_inner_texts() == ["Coordination Alpha", "Coordination Bêta"]
    assert page.get_by_text("Association Bêta").is_visible(), "each coordination names its carrying structure"
    shots(page, "6-national-chooses")

    links.filter(has_text="Coordination Bêta").click()
    page.wait_for_url(re.compile(rf"/admin/films/add/{coord_b.pk}/$"))
    assert page.locator("form#page-edit-form").count() == 1
    assert active_menu_item(page) == "Films"
    shots(page, "7-national-creation-form")


def test_user_who_may_add_nowhere_reads_why(browser_page, live_server, network, shots):
    """She may enter the admin but belongs to no coordination's editors."""
    readers = Group.objects.create(name="Lecteurs")
    readers.permissions.add(Permission.objects.get(codename="access_admin"))
    reader = make_user("lea", readers, first_name="Léa")
    page = browser_page
    log_in(page, live_server, reader)

    page.goto(f"{live_server.url}/admin/films/choose_parent/")
    assert page.get_by_text("Vous ne pouvez ajouter de film à aucune coordination.").is_visible()
    assert page.locator("[data-add-item-parent]").count() == 0
    shots(page, "8-nowhere-to-add")
