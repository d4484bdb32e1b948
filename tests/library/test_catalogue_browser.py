"""In Chromium, in the French admin: a regional editor files a film, a national editor approves it.

The editor of coordination A logs in, cannot open coordination B's draft
(neither from the explorer nor by its edit URL), creates a film in her own
subtree and submits it to the "Validation nationale" workflow; a national
editor logs in, approves it, and the film is live.
"""

import re

import pytest

from django.contrib.auth.models import Group

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage
from tests.browser import log_in
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network():
    home = build_home()
    _index, (coord_a, coord_b) = build_coordinations(home)
    draft_b = make_film(
        coord_b, "Brouillon de Bêta", Tier.INTERNAL, make_consent(coord_b, ConsentScope.NONE), live=False
    )
    editor_a = make_user("alice", coord_a.editors_group)
    national = make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))
    return coord_a, coord_b, draft_b, editor_a, national


def open_action_menu(page):
    """The footer's dropdown holds the secondary actions (submit, approve...)."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_regional_editor_files_a_film_and_national_editor_approves(chromium, live_server, network):
    coord_a, coord_b, draft_b, editor_a, national = network

    context = chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, editor_a)
    assert page.locator("html").get_attribute("lang") == "fr"

    # Coordination B's subtree and its draft stay closed to her, by the explorer and by ID.
    for url in (f"/admin/pages/{coord_b.pk}/", f"/admin/pages/{draft_b.pk}/edit/"):
        response = page.goto(live_server.url + url)
        # Refused by a redirect (Wagtail's permissions) or not found at all (another coordination's draft).
        assert response.status == 404 or not re.search(rf"/admin/pages/{draft_b.pk}/edit/$", page.url)
        assert "Brouillon de Bêta" not in page.content()
        assert page.locator("form#page-edit-form").count() == 0
    page.goto(f"{live_server.url}/admin/pages/{coord_a.pk}/")
    assert "Brouillon de Bêta" not in page.content()

    # She creates a film in her own subtree and submits it for national approval.
    page.goto(f"{live_server.url}/admin/pages/add/library/filmpage/{coord_a.pk}/")
    page.fill("#id_title", "Les Lucioles du quartier")
    page.fill("#id_synopsis", "Un atelier de cinéma d'animation dans un centre social.")
    page.fill("#id_year", "2025")
    open_action_menu(page)
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{coord_a.pk}/$"))
    film = FilmPage.objects.get(title="Les Lucioles du quartier")
    assert film.coordination_id == coord_a.pk
    assert not film.live
    assert film.current_workflow_state is not None
    assert film.current_workflow_state.status == "in_progress"
    context.close()

    # The national editor approves; the film goes live.
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, national)
    assert "Les Lucioles du quartier" in page.content(), "the dashboard lists it as awaiting approval"
    page.goto(f"{live_server.url}/admin/pages/{film.pk}/edit/")
    open_action_menu(page)
    page.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
    page.wait_for_url(re.compile(r"/admin/"))
    page.wait_for_load_state("networkidle")
    context.close()

    film.refresh_from_db()
    assert film.live
    assert film.current_workflow_state is None or film.current_workflow_state.status != "in_progress"
    assert film.effective_tier == Tier.INTERNAL, "no consent recorded: the film stays internal"
