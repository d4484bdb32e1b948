"""Guides, coordinations and taxonomy endpoints."""

import pytest

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db


def titles(response):
    return {item["title"] for item in response.json()["items"]}


def test_guides_by_requester(client, catalogue, bearer):
    assert titles(client.get("/api/v3/guides/")) == {"Guide public"}
    assert titles(client.get("/api/v3/guides/", **bearer(catalogue.tokens["partner"]))) == {
        "Guide public",
        "Guide réseau",
    }
    client.force_login(catalogue.users["editor_a"])
    assert titles(client.get("/api/v3/guides/")) == {"Guide public", "Guide réseau", "Guide interne"}


def test_guide_filters(client, catalogue):
    assert titles(client.get("/api/v3/guides/", {"age_group": "12-15"})) == {"Guide public"}
    assert titles(client.get("/api/v3/guides/", {"theme": "ecologie"})) == set()
    assert client.get("/api/v3/guides/", {"ordering": "year"}).status_code == 422


def test_guide_detail(client, catalogue, bearer):
    guide = catalogue.guides["public"]
    data = client.get(f"/api/v3/guides/{guide.pk}/").json()
    assert data["cover"]["renditions"]["card"]["width"] == 640
    assert data["age_groups"][0]["slug"] == "12-15"
    assert data["related_films"] == [
        {"id": catalogue.films["public"].pk, "title": "Film public", "slug": "film-public"}
    ]
    # Public guides are read by the public: their PDF is offered without a token.
    assert data["documents"][0]["download_url"].startswith(f"/api/v3/guides/{guide.pk}/download/?document=")
    partner = client.get(f"/api/v3/guides/{guide.pk}/", **bearer(catalogue.tokens["partner"])).json()
    assert partner["documents"][0]["download_url"].startswith(f"/api/v3/guides/{guide.pk}/download/?document=")
    assert client.get(f"/api/v3/guides/{catalogue.guides['network'].pk}/").status_code == 404


def test_coordinations_with_rich_text_as_html(client, catalogue):
    data = client.get("/api/v3/coordinations/").json()
    assert data["count"] == 2
    alpha = next(item for item in data["items"] if item["slug"] == "alpha")
    assert alpha["territory"] == ["67", "68"]
    assert "<b>coordination</b>" in alpha["description"]
    assert 'href="https://example.org"' in alpha["description"]
    english = client.get("/api/v3/coordinations/", {"locale": "en"}).json()
    alpha_en = next(item for item in english["items"] if item["id"] == alpha["id"])
    assert alpha_en["meta"]["locale"] == "en"


def test_taxonomy_in_each_locale(client, catalogue):
    french = client.get("/api/v3/taxonomy/themes/").json()
    assert {i["slug"]: i["name"] for i in french["items"]} == {"citoyennete": "Citoyenneté", "ecologie": "Écologie"}
    english = client.get("/api/v3/taxonomy/themes/", {"locale": "en"}).json()
    assert {i["slug"]: (i["name"], i["locale"]) for i in english["items"]} == {
        "citoyennete": ("Citizenship", "en"),
        "ecologie": ("Écologie", "fr"),
    }
    ages = client.get("/api/v3/taxonomy/age-groups/").json()["items"]
    assert ages[0]["min_age"] == 12 and ages[0]["max_age"] == 15
    assert client.get("/api/v3/taxonomy/colours/").status_code == 422
