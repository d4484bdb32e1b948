"""Wagtail's admin reports show a regional editor only what `library.access.admin_visibility` lets them see.

Page types usage names the last edited page of each type; site history
lists log entries by their labels and offers the users who made them;
the workflow report offers its requesters as a filter.
Each is asked by editor_a while coordination B holds an internal film, a
never-published draft and a live guide with a draft title, and consent
records and partner organisations created in the admin.
"""

import pytest

from django.urls import reverse

from wagtail.log_actions import log

from library.core.tiers import ConsentScope, Tier
from tests.factories import make_consent, make_film, make_guide, make_partner
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

B_SECRETS = (
    "Film interne Zanzibar",
    "Film brouillon Zanzibar",
    "Guide brouillon Zanzibar",
    "Consentement Zanzibar",
    "Structure Zanzibar",
)


@pytest.fixture(scope="module")
def network(module_db):
    with module_db.build():
        return _build()


def _build():
    network = build_network(with_items=False)
    coord_a, coord_b = network.coord_a, network.coord_b
    editor_a, editor_b = network.users["editor_a"], network.users["editor_b"]

    consent_a = make_consent(coord_a, ConsentScope.PUBLIC, label="Consentement Alpha")
    log(consent_a, "wagtail.create", user=editor_a)
    make_film(coord_a, "Film Alpha", Tier.PUBLIC, consent_a)

    consent_b = make_consent(coord_b, ConsentScope.PUBLIC, label="Consentement Zanzibar")
    log(consent_b, "wagtail.create", user=editor_b)
    organisation = make_partner(coord_b, editor_b, name="Structure Zanzibar")
    log(organisation, "wagtail.create", user=editor_b)
    internal = make_film(coord_b, "Film interne Zanzibar", Tier.INTERNAL, consent_b)
    internal.save_revision(user=editor_b, log_action=True).publish(user=editor_b, skip_permission_checks=True)
    guide = make_guide(coord_b, "Guide reseau Beta", Tier.NETWORK)
    guide.title = "Guide brouillon Zanzibar"
    guide.save_revision(user=editor_b, log_action=True)
    draft = make_film(coord_b, "Film brouillon Zanzibar", Tier.PUBLIC, consent_b, live=False)
    draft.save_revision(user=editor_b, log_action=True)
    draft.get_workflow().start(draft, editor_b)
    internal.refresh_from_db()
    internal.save_revision(user=editor_b, log_action=True)
    return network


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _leaks(body):
    return [secret for secret in B_SECRETS if secret.lower() in body.lower()]


def test_page_types_usage_names_only_pages_the_editor_may_see(client, network):
    body = _get(client, network.users["editor_a"], reverse("wagtailadmin_reports:page_types_usage"))
    assert not _leaks(body)
    assert "Film Alpha" in body
    assert "Guide reseau Beta" in body  # B's live network guide, by its live title


def test_page_types_usage_still_names_every_page_to_a_national_editor(client, network):
    body = _get(client, network.users["national"], reverse("wagtailadmin_reports:page_types_usage"))
    assert "Film interne Zanzibar" in body
    assert "Guide brouillon Zanzibar" in body


@pytest.mark.parametrize("suffix", ["", "?export=csv"])
def test_site_history_lists_only_the_editors_own_entries(client, network, suffix):
    body = _get(client, network.users["editor_a"], reverse("wagtailadmin_reports:site_history") + suffix)
    assert not _leaks(body)
    assert "Consentement Alpha" in body


def test_site_history_user_filter_offers_only_users_of_visible_entries(client, network):
    body = _get(client, network.users["editor_a"], reverse("wagtailadmin_reports:site_history"))
    assert "editeur-b" not in body.lower()
    assert "editrice-a" in body.lower()


def test_site_history_still_lists_everything_to_a_national_editor(client, network):
    body = _get(client, network.users["national"], reverse("wagtailadmin_reports:site_history"))
    assert "Consentement Zanzibar" in body
    assert "Structure Zanzibar" in body
    assert "editeur-b" in body.lower()


def test_workflow_report_filter_offers_only_requesters_of_listed_workflows(client, network):
    body = _get(client, network.users["editor_a"], reverse("wagtailadmin_reports:workflow"))
    assert "editeur-b" not in body.lower()
    national = _get(client, network.users["national"], reverse("wagtailadmin_reports:workflow"))
    assert "editeur-b" in national.lower()
