"""In Chromium: Wagtail's autosave keeps a regional editor's film draft while she types, without an error.

Wagtail 8 posts the edit form in the background (`Accept: application/json`)
half a second after each change, and answers 400 with "validation_error"
when the form does not validate as a draft. On a valid film form no such
answer may come, whatever field she edits: the project's own form fields
(taxonomy checkboxes, spoken languages) and checks must validate the way the
browser posts them.
"""

import json

import pytest

from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage, Theme
from tests.browser import log_in
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_terms, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    home = build_home()
    _index, (coord_a, _coord_b) = build_coordinations(home)
    themes = make_terms(Theme, {"quartier": "Territoire et quartier", "memoire": "Mémoire et transmission"})
    film = make_film(
        coord_a,
        "Les murs parlent",
        Tier.INTERNAL,
        make_consent(coord_a, ConsentScope.INTERNAL),
        themes=[themes["quartier"]],
        spoken_languages=["fr"],
    )
    editor = make_user("alice", coord_a.editors_group)
    return film, editor, themes


def autosave_after(page, edit_path, change):
    """Make `change` on the form and return the background save's `(status, json)`."""

    def is_autosave(response):
        request = response.request
        return (
            request.method == "POST"
            and response.url.endswith(edit_path)
            and "application/json" in (request.headers.get("accept") or "")
        )

    with page.expect_response(is_autosave, timeout=30_000) as answer:
        change()
        page.keyboard.press("Tab")  # leaving the field, as she moves on to the next
    response = answer.value
    return response.status, json.loads(response.text())


def test_autosave_keeps_a_valid_film_draft_while_she_edits(browser_page, live_server, world):
    film, editor, themes = world
    page = browser_page
    edit_path = f"/admin/pages/{film.pk}/edit/"
    log_in(page, live_server, editor)
    page.goto(live_server.url + edit_path)
    page.wait_for_timeout(2_500)  # Wagtail records the form's initial state 2 s after it loads

    status, body = autosave_after(page, edit_path, lambda: page.fill("#id_synopsis", "Des fresques et des voix."))
    assert (status, body.get("success")) == (200, True), body

    status, body = autosave_after(page, edit_path, lambda: page.get_by_label("Mémoire et transmission").check())
    assert (status, body.get("success")) == (200, True), body

    status, body = autosave_after(
        page, edit_path, lambda: page.locator("input[name=spoken_languages][value=en]").check()
    )
    assert (status, body.get("success")) == (200, True), body

    status, body = autosave_after(page, edit_path, lambda: page.fill("#id_year", "2023"))
    assert (status, body.get("success")) == (200, True), body

    saved = FilmPage.objects.get(pk=film.pk).get_latest_revision_as_object()
    assert saved.spoken_languages == ["fr", "en"] and saved.year == 2023
    assert saved.synopsis == "Des fresques et des voix."
    assert set(saved.themes.all()) == {themes["quartier"], themes["memoire"]}
