"""The films and guides listings cost the same queries for 5 rows or 25.

Each row has buttons (Wagtail's Delete, wagtail-localize's Translate) whose
permission checks and URLs must not query the database per row: the
listing's query count stays flat as the coordination grows. Measured as a
regional editor (her coordination's rows) and as a national editor, with
drafts (a latest revision per row), translations and locked pages, on
films that have a consent record and a video.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, Page, PagePermissionTester
from wagtail_localize.models import Translation, TranslationSource

from library.access.network import coordination_collection, ensure_coordination_group
from library.admin import translation_buttons
from library.admin.listing_locale import annotate_translation_state
from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage, GuidePage
from library.models.page_permissions import LeafPagePermissionTester
from tests.factories import make_consent, make_film, make_guide, make_video
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def network(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        english = Locale.objects.get_or_create(language_code="en")[0]
        network.coord_a.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
        ensure_coordination_group(network.coord_a)
        network.english = english
    return network


def add_items(network, kind, first, last):
    coordination = network.coord_a
    collection = coordination_collection(coordination)
    for number in range(first, last):
        title = f"{kind.title()} numéro {number:02d}"
        if kind == "film":
            consent = make_consent(coordination, ConsentScope.PUBLIC, label=f"Consentement {number:02d}")
            video = make_video(f"Vidéo {number:02d}", collection=collection)
            item = make_film(coordination, title, Tier.NETWORK, consent, video=video, live=number % 3 != 0)
        else:
            item = make_guide(coordination, title, Tier.NETWORK, live=number % 3 != 0)
        if number % 4 == 0:
            item.copy_for_translation(network.english)
        elif number % 4 == 1:
            # Submitted through wagtail-localize: the row is the source of an enabled translation.
            source, _created = TranslationSource.get_or_create_from_instance(item)
            Translation.objects.create(source=source, target_locale=network.english)
        if number % 5 == 0:
            item.locked = True
            item.save(update_fields=["locked"])


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [query["sql"] for query in queries.captured_queries], response.content.decode()


@pytest.mark.parametrize(("kind", "url"), [("film", "/admin/films/"), ("guide", "/admin/guides/")])
@pytest.mark.parametrize("who", ["editor_a", "national"])
def test_a_listing_costs_the_same_queries_for_5_or_25_rows(
    client, network, kind, url, who, django_assert_max_num_queries
):
    client.force_login(network.users[who])
    add_items(network, kind, 0, 5)
    client.get(url)  # warm the caches a first request fills (content types, site, locales)
    with_5, _sql, body = measure(client, url)
    assert body.count(f"{kind.title()} numéro") >= 5
    add_items(network, kind, 5, 25)
    with django_assert_max_num_queries(with_5):
        response = client.get(url)
    body = response.content.decode()
    assert f"{kind.title()} numéro 24" in body
    print(f"\n{url} as {who}: {with_5} queries for 5 rows")


def _buttons(buttons):
    return [(str(button.label), button.url, button.priority, button.icon_name) for button in buttons]


@pytest.mark.parametrize("who", ["editor_a", "national"])
def test_the_translation_buttons_are_wagtail_localizes(network, who):
    """Answered for the whole page of rows, the buttons are those wagtail-localize builds row by row."""
    user = network.users[who]
    add_items(network, "film", 0, 8)
    rows = list(FilmPage.objects.filter(coordination=network.coord_a).order_by("pk"))
    expected = [
        _buttons(translation_buttons.localize_page_listing_more_buttons(row, user, next_url="/admin/films/"))
        for row in rows
    ]
    annotate_translation_state(rows)
    translation_buttons.annotate_translation_buttons(rows, user)
    got = [
        _buttons(translation_buttons.page_listing_more_buttons(row, user, next_url="/admin/films/")) for row in rows
    ]
    assert got == expected
    if who == "national":  # both buttons occur: the comparison is not between empty lists
        labels = {label for buttons in got for label, *_rest in buttons}
        assert labels == {"Traduire cette page", "Synchroniser les pages traduites"}, labels


def test_the_listing_asks_for_the_annotated_buttons(client, network):
    """The registered hook is the project's: a film's "More" menu in the listing offers Translate from it."""
    from wagtail import hooks

    assert translation_buttons.page_listing_more_buttons in hooks.get_hooks("register_page_listing_more_buttons")
    assert translation_buttons.localize_page_listing_more_buttons not in hooks.get_hooks(
        "register_page_listing_more_buttons"
    )
    add_items(network, "film", 0, 2)
    client.force_login(network.users["national"])
    body = client.get("/admin/films/").content.decode()
    film = FilmPage.objects.get(title="Film numéro 01")
    assert f"/admin/localize/submit/page/{film.pk}/" in body


@pytest.mark.parametrize("who", ["editor_a", "editor_b", "national", "partner_session"])
def test_a_leaf_pages_delete_rule_is_wagtails(network, who):
    """Answered from the row, the delete check gives Wagtail's answer for live, draft and own pages."""
    user = network.users[who]
    add_items(network, "film", 0, 3)
    add_items(network, "guide", 0, 3)
    FilmPage.objects.filter(title="Film numéro 01").update(owner=user)
    pages = [*FilmPage.objects.all(), *GuidePage.objects.all()]
    assert {page.live for page in pages} == {True, False}
    for page in pages:
        wagtails = PagePermissionTester(user, Page.objects.get(pk=page.pk)).can_delete()
        assert LeafPagePermissionTester(user, page).can_delete() is wagtails, (who, page.title)
    answers = {page.permissions_for_user(user).can_delete() for page in pages}
    print(f"\n{who}: can delete {answers}")
