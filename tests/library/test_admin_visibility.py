"""What a regional editor still sees of another coordination in the admin, and by which title.

The sweep (`test_admin_sweep.py`) proves nothing secret of B reaches A's
editors; these tests pin the other half of the rule (`library.access.admin_visibility`):
B's live network and public items stay reachable, by their live title, while
B's own editors and national editors keep seeing drafts and draft titles.
"""

import json

import pytest

from django.urls import reverse

from wagtail.models import Locale

from library.access.network import ensure_coordination_group
from library.core.tiers import ConsentScope, Tier
from tests.factories import make_consent, make_film, make_guide
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

LIVE_TITLE = "Guide reseau Beta"
DRAFT_TITLE = "Guide brouillon Beta"
COORDINATION_DRAFT_TITLE = "Coordination Beta renommee"


@pytest.fixture(scope="module")
def world(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        coord_b, editor_b = network.coord_b, network.users["editor_b"]
        # As in the demo: translated coordinations make the tree's root A's editors' explorable root.
        english = Locale.objects.get_or_create(language_code="en")[0]
        network.coord_a.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
        ensure_coordination_group(network.coord_a)
        guide = make_guide(coord_b, LIVE_TITLE, Tier.NETWORK)
        guide.title = DRAFT_TITLE
        guide.save_revision(user=editor_b)
        renamed = coord_b.__class__.objects.get(pk=coord_b.pk)
        renamed.title = COORDINATION_DRAFT_TITLE
        renamed.save_revision(user=editor_b)
        internal = make_film(coord_b, "Film interne Beta", Tier.INTERNAL, make_consent(coord_b, ConsentScope.PUBLIC))
        own_consent = make_consent(network.coord_a, ConsentScope.PUBLIC, label="Consentement Alpha")
        other_consent = make_consent(coord_b, ConsentScope.PUBLIC, label="Consentement Beta")
    return {"network": network, "guide": guide, "internal": internal, "consents": (own_consent, other_consent)}


def _get(client, world, who, url):
    client.force_login(world["network"].users[who])
    return client.get(url)


def _text(response):
    """The response as text, JSON decoded (the chooser and the API escape accented letters)."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _chooser(client, world, who, parent):
    return _get(client, world, who, reverse("wagtailadmin_choose_page_child", args=[parent.pk]))


def test_the_chooser_offers_another_coordinations_live_items_by_their_live_titles(client, world):
    network = world["network"]
    response = _chooser(client, world, "editor_a", network.coord_b)
    body = _text(response)
    assert response.status_code == 200
    assert LIVE_TITLE in body
    assert network.coord_b.title in body  # the coordination itself, its parent, by its live title
    assert DRAFT_TITLE not in body
    assert COORDINATION_DRAFT_TITLE not in body
    assert "Film interne Beta" not in body


@pytest.mark.parametrize("who", ["editor_b", "national"])
def test_its_own_editors_and_national_editors_see_drafts_and_draft_titles(client, world, who):
    body = _text(_chooser(client, world, who, world["network"].coord_b))
    assert DRAFT_TITLE in body
    assert COORDINATION_DRAFT_TITLE in body
    assert "Film interne Beta" in body


def test_the_explorer_opens_a_live_network_guide_of_another_coordination_by_its_live_title(client, world):
    response = _get(client, world, "editor_a", reverse("wagtailadmin_explore", args=[world["guide"].pk]))
    body = _text(response)
    assert response.status_code == 200
    assert LIVE_TITLE in body
    assert DRAFT_TITLE not in body
    assert COORDINATION_DRAFT_TITLE not in body  # its breadcrumb


@pytest.mark.parametrize("url_name", ["wagtailadmin_explore", "wagtailadmin_choose_page_child"])
def test_an_internal_film_of_another_coordination_is_not_found(client, world, url_name):
    response = _get(client, world, "editor_a", reverse(url_name, args=[world["internal"].pk]))
    assert response.status_code == 404


def test_localize_snippet_api_lists_only_the_editors_own_consent_records(client, world):
    url = reverse("wagtail_localize:snippets_api_listing", args=["library", "consentrecord"])
    labels = {item["title"] for item in _get(client, world, "editor_a", url).json()}
    assert labels == {"Consentement Alpha"}
    labels = {item["title"] for item in _get(client, world, "national", url).json()}
    assert {"Consentement Alpha", "Consentement Beta"} <= labels


def test_consent_chooser_still_returns_the_editors_own_record(client, world):
    own, other = world["consents"]
    chosen = "wagtailsnippetchoosers_library_consentrecord:chosen"
    assert _get(client, world, "editor_a", reverse(chosen, args=[own.pk])).status_code == 200
    assert _get(client, world, "editor_a", reverse(chosen, args=[other.pk])).status_code == 404


def _paste_url(client, world, who, url):
    """The rich text editor's "external link" step, given a URL of the site (Wagtail turns it into a page link)."""
    client.force_login(world["network"].users[who])
    return client.post(reverse("wagtailadmin_choose_page_external_link"), {"external-link-chooser-url": url})


@pytest.mark.parametrize("query", ["", "?utm_source=lettre"], ids=["exact", "to-confirm"])
def test_pasting_the_url_of_another_coordinations_page_names_it_by_its_live_title(client, world, query):
    guide = world["guide"]
    response = _paste_url(client, world, "editor_a", guide.get_full_url() + query)
    data = response.json()
    body = _text(response)
    internal = data["result"] if data["step"] == "external_link_chosen" else data["internal"]
    assert data["step"] == ("external_link_chosen" if not query else "confirm_external_to_internal")
    assert internal["id"] == guide.pk
    assert internal["adminTitle"] == LIVE_TITLE
    assert DRAFT_TITLE not in body
    if query:
        assert LIVE_TITLE in data["html"]


def test_pasting_the_url_of_its_own_page_keeps_the_draft_title(client, world):
    data = _paste_url(client, world, "editor_b", world["guide"].get_full_url()).json()
    assert data["result"]["adminTitle"] == DRAFT_TITLE


def test_pasting_the_url_of_another_coordinations_internal_film_stays_an_external_link(client, world):
    internal = world["internal"]
    response = _paste_url(client, world, "editor_a", internal.get_full_url())
    data = response.json()
    assert data["step"] == "external_link_chosen"
    assert "id" not in data["result"]
    assert data["result"]["url"] == internal.get_full_url()
    assert "Film interne Beta" not in _text(response)
