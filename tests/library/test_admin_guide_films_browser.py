"""In Chromium, a guide's "Films associés" is a checkbox list with a search box, in the guide's language.

The editor types part of a title (accents and case ignored): only the
matching films stay shown; a film ticked before the search stays ticked and
is saved with the guide. The form is photographed into `SCREENSHOT_DIR` (by
default `<tmp>/shots/guide-films/`).
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from library.core.tiers import Tier
from library.models import GuidePage
from tests.browser import log_in
from tests.factories import build_coordinations, build_home, make_film, make_guide, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guide():
    _index, (idf,) = build_coordinations(build_home(), {"title": "Île-de-France", "slug": "ile-de-france"})
    for title in ("Sous la verrière", "La ligne 13", "Mots croisés", "Le dernier étage"):
        make_film(idf, title, Tier.INTERNAL, None)
    guide = make_guide(idf, "Filmer son quartier", Tier.INTERNAL)
    guide.editor = make_user("ines", idf.editors_group, first_name="Inès")
    return guide


def visible_films(page):
    labels = page.locator("[data-checkbox-filter] label:visible")
    return [" ".join(text.split()) for text in labels.all_inner_texts()]


def test_the_related_films_search_narrows_the_checkboxes(browser_page, live_server, guide):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "guide-films")
    folder.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, guide.editor)
    page.goto(f"{live_server.url}/admin/pages/{guide.pk}/edit/")

    search = page.get_by_placeholder("Filtrer les films…")
    assert search.is_visible()
    assert visible_films(page) == [
        "La ligne 13 — Île-de-France",
        "Le dernier étage — Île-de-France",
        "Mots croisés — Île-de-France",
        "Sous la verrière — Île-de-France",
    ]
    page.get_by_label("Mots croisés — Île-de-France").check()

    search.fill("VERRIERE")
    assert visible_films(page) == ["Sous la verrière — Île-de-France"]
    page.get_by_label("Sous la verrière — Île-de-France").check()
    search.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "search.png"))
    search.press("Enter")  # filters, never submits the page
    assert re.search(rf"/admin/pages/{guide.pk}/edit/$", page.url)

    search.fill("zzz")
    assert visible_films(page) == []
    assert page.get_by_text("Aucun choix ne correspond.").is_visible()
    search.fill("")
    assert len(visible_films(page)) == 4

    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{guide.pk}/edit/$"))
    page.get_by_text("a été mise à jour").first.wait_for()
    saved = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
    assert sorted(film.title for film in saved.related_films.all()) == ["Mots croisés", "Sous la verrière"]
