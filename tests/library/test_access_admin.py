"""The admin's search surfaces, asked by an editor of another coordination.

The permission matrix covers the chooser's browse view and the edit view by
ID; here the page chooser's search and the admin page search, which an editor
could use to discover another coordination's draft or internal film by title.
"""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def films():
    home = build_home()
    _index, (coord_a, coord_b) = build_coordinations(home)
    consent = make_consent(coord_a, ConsentScope.PUBLIC)
    return {
        "coord_a": coord_a,
        "coord_b": coord_b,
        "public": make_film(coord_a, "Zoétrope public", Tier.PUBLIC, consent),
        "internal": make_film(coord_a, "Zoétrope interne", Tier.INTERNAL, consent),
        "draft": make_film(coord_a, "Zoétrope brouillon", Tier.PUBLIC, consent, live=False),
    }


def _titles_found(client, url_name, query="Zoétrope"):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    body = response.json()["html"] if response["Content-Type"].startswith("application/json") else response.text
    return {title for title in ("Zoétrope public", "Zoétrope interne", "Zoétrope brouillon") if title in body}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("editor_b", {"Zoétrope public"}),
        ("editor_a", {"Zoétrope public", "Zoétrope interne", "Zoétrope brouillon"}),
        ("national", {"Zoétrope public", "Zoétrope interne", "Zoétrope brouillon"}),
    ],
)
def test_page_chooser_search(client, films, role, expected):
    client.force_login(_user(films, role))
    assert _titles_found(client, "wagtailadmin_choose_page_search") == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("editor_b", set()),
        ("editor_a", {"Zoétrope public", "Zoétrope interne", "Zoétrope brouillon"}),
        ("national", {"Zoétrope public", "Zoétrope interne", "Zoétrope brouillon"}),
    ],
)
def test_admin_page_search(client, films, role, expected):
    """Wagtail limits admin search to pages the editor may explore: B's editors find nothing of A."""
    client.force_login(_user(films, role))
    assert _titles_found(client, "wagtailadmin_pages:search") == expected


def _user(films, role):
    if role == "national":
        return make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))
    coordination = films["coord_a"] if role == "editor_a" else films["coord_b"]
    return make_user(role.replace("_", "-"), coordination.editors_group)
