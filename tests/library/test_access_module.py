"""The access module's building blocks, beyond the matrix: Wagtail's page privacy read in
constant queries, images and documents that follow their items, partner tokens that expire."""

import datetime

import pytest

from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.api.querysets import get_public_pages_queryset
from wagtail.models import APIToken, Page, PageViewRestriction

from home.models import ContentPage
from library.access import rules as access
from library.access.network import coordination_collection, ensure_coordination_group
from library.access.privacy import public_pages_queryset
from library.access.rules import Requester
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import CoordinationPage, FilmPage
from tests.factories import (
    build_coordinations,
    build_home,
    make_consent,
    make_film,
    make_guide,
    make_image,
    make_partner,
    make_pdf,
    make_token,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home = build_home()
    _index, (coord_a, coord_b) = build_coordinations(home)
    return home, coord_a, coord_b


def _request(user=None, passed=()):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/api/v2/pages/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request.session[PageViewRestriction.passed_view_restrictions_session_key] = list(passed)
    return request


def test_public_pages_queryset_agrees_with_wagtail(tree):
    home, coord_a, coord_b = tree
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    for tier in (Tier.PUBLIC, Tier.NETWORK, Tier.INTERNAL):
        make_film(coord_a, f"Film A {tier}", tier, consent)
        make_film(coord_b, f"Film B {tier}", tier, make_consent(coord_b, ConsentScope.PUBLIC))
    locked = home.add_child(instance=ContentPage(title="Espace réservé", slug="reserve"))
    child = locked.add_child(instance=ContentPage(title="Sous-page réservée", slug="sous-page"))
    password = PageViewRestriction.objects.create(page=locked, restriction_type="password", password="x")
    login_only = home.add_child(instance=ContentPage(title="Membres", slug="membres"))
    PageViewRestriction.objects.create(page=login_only, restriction_type="login")

    partner = make_user("partenaire", Group.objects.get(name=PARTNERS_GROUP))
    editor_a = make_user("alice", coord_a.editors_group)
    superuser = make_user("root", is_superuser=True)
    for request in (
        _request(),
        _request(passed=[password.pk]),
        _request(partner),
        _request(editor_a),
        _request(superuser),
    ):
        ours = set(public_pages_queryset(request).values_list("pk", flat=True))
        wagtails = set(get_public_pages_queryset(request).values_list("pk", flat=True))
        assert ours == wagtails
    anonymous = set(public_pages_queryset(_request()).values_list("pk", flat=True))
    assert {locked.pk, child.pk, login_only.pk}.isdisjoint(anonymous)
    assert child.pk in set(public_pages_queryset(_request(passed=[password.pk])).values_list("pk", flat=True))


def _v2_film_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailapi:pages:listing"), {"type": "library.FilmPage"})
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_v2_query_count_does_not_grow_with_restricted_films_or_items(client, tree):
    _home, coord_a, _ = tree
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    make_film(coord_a, "Film public 0", Tier.PUBLIC, consent)
    for n in range(3):
        make_film(coord_a, f"Film réseau {n}", Tier.NETWORK, consent)
    small, listed_small = _v2_film_queries(client)
    for n in range(3, 15):
        make_film(coord_a, f"Film réseau {n}", Tier.NETWORK, consent)
    make_film(coord_a, "Film public 1", Tier.PUBLIC, consent)
    large, listed_large = _v2_film_queries(client)
    assert PageViewRestriction.objects.count() == 15
    assert (listed_small, listed_large) == (1, 2)
    assert large == small


def test_filter_visible_pages_leaves_other_pages_alone(tree):
    home, coord_a, _ = tree
    make_film(coord_a, "Film interne", Tier.INTERNAL, make_consent(coord_a, ConsentScope.PUBLIC))
    everything = Page.objects.all()
    visible = access.filter_visible_pages(everything, Requester())
    assert set(everything.values_list("pk", flat=True)) - set(visible.values_list("pk", flat=True)) == set(
        FilmPage.objects.values_list("pk", flat=True)
    )


def test_shared_poster_follows_its_visible_item(tree):
    _home, coord_a, _ = tree
    shared = make_image("Affiche partagée")
    hidden_only = make_image("Affiche cachée")
    plain = make_image("Bannière")
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    make_film(coord_a, "Film public", Tier.PUBLIC, consent, poster=shared)
    make_film(coord_a, "Film interne", Tier.INTERNAL, consent, poster=shared, slug="film-interne-1")
    make_film(coord_a, "Film interne bis", Tier.INTERNAL, consent, poster=hidden_only)
    assert access.can_view_image(Requester(), shared)
    assert access.can_view_image(Requester(), plain)
    assert not access.can_view_image(Requester(), hidden_only)
    editor_a = make_user("alice", coord_a.editors_group)
    assert access.can_view_image(Requester(user=editor_a), hidden_only)


def test_unlinked_document_is_for_its_collection_editors_only(tree):
    """Work in progress: the editors of its collection and national editors, not another coordination's."""
    _home, coord_a, coord_b = tree
    document = make_pdf("Brouillon de guide", collection=coordination_collection(coord_a))
    in_root = make_pdf("Brouillon sans collection")
    partner = make_user("partenaire", Group.objects.get(name=PARTNERS_GROUP))
    editor_a = make_user("alice", coord_a.editors_group)
    editor_b = make_user("bruno", coord_b.editors_group)
    national = make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))
    assert not access.can_read_document(Requester(), document)
    assert not access.can_read_document(Requester(user=partner), document)
    assert not access.can_read_document(Requester(user=editor_b), document)
    assert access.can_read_document(Requester(user=editor_a), document)
    assert access.can_read_document(Requester(user=national), document)
    assert not access.can_read_document(Requester(user=editor_a), in_root)
    assert access.can_read_document(Requester(user=national), in_root)


@pytest.mark.parametrize("state", ["valid", "expired", "revoked"])
def test_partner_token_sees_network_only_while_valid(client, tree, state):
    _home, coord_a, _ = tree
    user = make_user("portail", Group.objects.get(name=PARTNERS_GROUP))
    organisation = make_partner(coord_a, user)
    expires_at = timezone.now() - datetime.timedelta(days=1) if state == "expired" else None
    make_token(user, organisation, expires_at=expires_at)
    api_token = APIToken.objects.get(user=user)
    if state == "revoked":
        api_token.revoke()
    film = make_film(coord_a, "Film réseau", Tier.NETWORK, make_consent(coord_a, ConsentScope.NETWORK))
    requester = Requester(user=user, api_token=api_token)
    assert requester.is_partner is (state == "valid")
    assert access.can_view(requester, film) is (state == "valid")


def test_a_new_coordination_sees_the_network_tier_in_page_privacy(tree):
    home, coord_a, _ = tree
    film = make_film(coord_a, "Film réseau", Tier.NETWORK, make_consent(coord_a, ConsentScope.NETWORK))
    index = coord_a.get_parent()
    coord_c = index.add_child(instance=CoordinationPage(title="Coordination Gamma", slug="gamma"))
    group = ensure_coordination_group(coord_c)
    restriction = PageViewRestriction.objects.get(page=film)
    assert group in restriction.groups.all()
    editor_c = make_user("carla", group)
    request = _request(editor_c)
    assert film.pk in set(public_pages_queryset(request).values_list("pk", flat=True))


def test_v2_image_and_document_listings_follow_their_items(client, tree):
    _home, coord_a, _ = tree
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    shown, hidden = make_image("Affiche montrée"), make_image("Affiche cachée")
    make_film(coord_a, "Film public", Tier.PUBLIC, consent, poster=shown)
    make_film(coord_a, "Film interne", Tier.INTERNAL, consent, poster=hidden)
    public_pdf, internal_pdf = make_pdf("Guide public PDF"), make_pdf("Guide interne PDF")
    make_guide(coord_a, "Guide public", Tier.PUBLIC, document=public_pdf)
    make_guide(coord_a, "Guide interne", Tier.INTERNAL, document=internal_pdf)

    def listed(endpoint):
        response = client.get(reverse(f"wagtailapi:{endpoint}:listing"), {"limit": 100})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["items"]}

    assert shown.pk in listed("images") and hidden.pk not in listed("images")
    assert public_pdf.pk in listed("documents") and internal_pdf.pk not in listed("documents")
    client.force_login(make_user("alice", coord_a.editors_group))
    assert {shown.pk, hidden.pk} <= listed("images")
    assert {public_pdf.pk, internal_pdf.pk} <= listed("documents")
