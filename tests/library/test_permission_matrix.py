"""The permission matrix: every requester × every surface × every tier, asking by ID.

Coordination A holds one film and one guide per state (public, network,
internal, consent withdrawn after publication, draft). Each requester asks
each surface for each of them; the expected answer comes from the table in
DESIGN.md (`tests.library.network.EXPECTED_VISIBLE`) and from how each surface
identifies the requester, written out here rather than asked of
`library.access.rules`, so the matrix checks the access module instead of echoing it.

How each surface identifies the requester:
- Django-session surfaces (v2 API, page serving, document and image serving)
  ignore bearer tokens: a token-only portal is anonymous there.
- Wagtail's v3 pages API ignores sessions (anonymous), and for a bearer token
  lists only pages the token's user may edit: a partner's token sees none.
- The sitemap is the same for everyone: public live pages only.
- The admin (chooser, edit view) admits editors only.
- Search goes through `access.search_visible` with the requester as the library API builds it.
- The library API (`/api/v3/films|guides/`, details, guide downloads) takes tokens and sessions
  alike; its lists and details show live items only, and files go to partners and editors only.
"""

import re

import pytest

from django.db import transaction
from django.urls import reverse

from wagtail.images.views.serve import generate_signature
from wagtail.models import APIToken

from library.access import rules as access
from library.access.rules import Requester
from library.models import FilmPage, GuidePage
from tests.library.network import EXPECTED_VISIBLE, MATRIX_TIERS, REQUESTERS, build_network

SURFACES = (
    "v2_list",
    "v2_detail",
    "v3_list",
    "v3_detail",
    "page_serve",
    "sitemap",
    "document_serve",
    "v2_document_detail",
    "image_serve",
    "admin_chooser",
    "admin_edit",
    "search",
    "library_list",
    "library_detail",
    "guide_download",
)
#: Surfaces about guide documents: the withdrawn state is a film's only (guides have no consent).
DOCUMENT_SURFACES = {"document_serve", "v2_document_detail", "guide_download"}
#: The library API: tokens and sessions both identify the requester; lists and details show live items only.
LIBRARY_SURFACES = {"library_list", "library_detail", "guide_download"}
EDITORS = {"editor_a", "editor_b", "national"}


@pytest.fixture(scope="module")
def network(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_network()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def identity(surface, requester):
    """Whose rights a surface actually applies for this requester (see the module docstring)."""
    if surface == "sitemap":
        return "anonymous"
    if surface in {"v3_list", "v3_detail"}:
        return "token_editor" if requester == "partner_token" else "anonymous"
    if surface in {"admin_chooser", "admin_edit"}:
        return requester if requester in EDITORS else None
    if surface == "search" or surface in LIBRARY_SURFACES:
        return requester
    return "anonymous" if requester == "partner_token" else requester


def expected(surface, requester, state):
    who = identity(surface, requester)
    if who is None or who == "token_editor":
        return False
    if surface == "admin_edit":
        return who in {"editor_a", "national"}
    if surface == "admin_chooser":
        return who in {"editor_a", "national"} or state in {"public", "network"}
    if state == "draft":
        # Serving URLs answer editors' previews of their own drafts; public surfaces list live items only.
        return surface in {"document_serve", "image_serve"} and who in {"editor_a", "national"}
    return who in EXPECTED_VISIBLE[state]


def cells():
    for requester in REQUESTERS:
        for surface in SURFACES:
            for state in MATRIX_TIERS:
                if surface in DOCUMENT_SURFACES and state == "withdrawn":
                    continue
                yield pytest.param(requester, surface, state, id=f"{requester}-{surface}-{state}")


def _client_for(client, network, requester):
    headers = {}
    if requester == "partner_token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {network.tokens['partner_token']}"
    elif requester != "anonymous":
        client.force_login(network.users[requester])
    return headers


def _requester(network, requester):
    if requester == "anonymous":
        return Requester()
    user = network.users[requester]
    if requester == "partner_token":
        return Requester(user=user, api_token=APIToken.objects.get(user=user))
    return Requester(user=user)


def _model(item):
    return FilmPage if item.kind == "film" else GuidePage


def sees(surface, client, headers, network, requester, item):
    """Does this surface reveal `item` to this client? (True/False; never a server error.)"""
    page = item.page
    model_name = f"library.{_model(item).__name__}"
    if surface == "v2_list":
        response = client.get(reverse("wagtailapi:pages:listing"), {"type": model_name, "fields": "*"}, **headers)
        assert response.status_code == 200
        return page.pk in {row["id"] for row in response.json()["items"]}
    if surface == "v2_detail":
        response = client.get(reverse("wagtailapi:pages:detail", args=[page.pk]), **headers)
        assert response.status_code in {200, 404}
        return response.status_code == 200
    if surface == "v3_list":
        response = client.get(reverse("wagtailapi_v3:list_pages"), {"type": model_name, "limit": 100}, **headers)
        assert response.status_code == 200
        return page.pk in {row["id"] for row in response.json()["items"]}
    if surface == "v3_detail":
        response = client.get(reverse("wagtailapi_v3:detail_page", args=[page.pk]), **headers)
        assert response.status_code in {200, 404}
        return response.status_code == 200
    if surface == "page_serve":
        response = client.get("/" + page.url_path.removeprefix(network.home.url_path), **headers)
        assert response.status_code in {200, 302, 404}, response.status_code
        return response.status_code == 200 and page.title in response.content.decode()
    if surface == "sitemap":
        response = client.get(reverse("sitemap"), **headers)
        assert response.status_code == 200
        path = page.url_path.removeprefix(network.home.url_path)
        return f"/{path}</loc>" in response.content.decode()
    if surface == "document_serve":
        document = item.document
        response = client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]), **headers)
        assert response.status_code in {200, 302, 403, 404}
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        return response.status_code == 200
    if surface == "v2_document_detail":
        response = client.get(reverse("wagtailapi:documents:detail", args=[item.document.pk]), **headers)
        assert response.status_code in {200, 404}
        return response.status_code == 200
    if surface == "image_serve":
        spec = "fill-32x18"
        signature = generate_signature(item.image.pk, spec)
        response = client.get(reverse("wagtailimages_serve", args=[signature, item.image.pk, spec]), **headers)
        assert response.status_code in {302, 404}
        if response.status_code == 302 and not (item.state == "public" and page.live):
            assert "private" in response["Cache-Control"]
        return response.status_code == 302
    if surface == "admin_chooser":
        response = client.get(reverse("wagtailadmin_choose_page_child", args=[network.coord_a.pk]), **headers)
        if response.status_code != 200:
            return False
        html = response.json()["html"]
        return re.search(rf'data-id="{page.pk}"|/admin/pages/{page.pk}/|"id": {page.pk}\b', html) is not None
    if surface == "admin_edit":
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]), **headers)
        assert response.status_code in {200, 302, 403, 404}
        return response.status_code == 200
    if surface == "library_list":
        url = "/api/v3/films/" if item.kind == "film" else "/api/v3/guides/"
        response = client.get(url, {"limit": 100}, HTTP_CACHE_CONTROL="no-cache", **headers)
        assert response.status_code == 200
        return page.pk in {row["id"] for row in response.json()["items"]}
    if surface == "library_detail":
        url = f"/api/v3/{'films' if item.kind == 'film' else 'guides'}/{page.pk}/"
        response = client.get(url, HTTP_CACHE_CONTROL="no-cache", **headers)
        assert response.status_code in {200, 404}
        return response.status_code == 200
    if surface == "guide_download":
        url = f"/api/v3/guides/{page.pk}/download/"
        response = client.get(url, {"document": item.document.pk}, **headers)
        assert response.status_code in {200, 302, 401, 404}, response.status_code
        return response.status_code in {200, 302}
    if surface == "search":
        query = "Synopsis" if item.kind == "film" else "Résumé"
        results = access.search_visible(_model(item).objects.all(), _requester(network, requester), query)
        return page.pk in {result.pk for result in results}
    raise AssertionError(surface)


@pytest.mark.django_db
@pytest.mark.parametrize(("requester", "surface", "state"), list(cells()))
def test_matrix(network, client, requester, surface, state):
    headers = _client_for(client, network, requester)
    items = [item for item in network.items if item.state == state]
    if surface in DOCUMENT_SURFACES:
        items = [item for item in items if item.kind == "guide"]
    assert items
    want = expected(surface, requester, state)
    got = {item.key: sees(surface, client, headers, network, requester, item) for item in items}
    assert got == dict.fromkeys(got, want)


def test_matrix_size():
    """Kept in step with the report: requesters × surfaces × tiers, less the cells that do not apply."""
    assert len(list(cells())) == len(REQUESTERS) * len(SURFACES) * len(MATRIX_TIERS) - len(REQUESTERS) * len(
        DOCUMENT_SURFACES
    )
