"""`/api/v3/films/`: who sees what, filters, ordering, paging, locales, errors."""

import pytest

from django.urls import reverse

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

LIST = "/api/v3/films/"


def titles(response):
    return {item["title"] for item in response.json()["items"]}


def test_anonymous_lists_public_live_films_only(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == {"Film public"}
    assert response.json()["count"] == 1


def test_partner_token_adds_network_tier(client, catalogue, bearer):
    response = client.get(LIST, **bearer(catalogue.tokens["partner"]))
    assert titles(response) == {"Film public", "Film réseau"}
    tiers = {item["title"]: item["tier"] for item in response.json()["items"]}
    assert tiers == {"Film public": "public", "Film réseau": "network"}


def test_partner_can_filter_by_tier(client, catalogue, bearer):
    response = client.get(LIST, {"tier": "network"}, **bearer(catalogue.tokens["partner"]))
    assert titles(response) == {"Film réseau"}


def test_editor_session_sees_own_coordination(client, catalogue):
    client.force_login(catalogue.users["editor_a"])
    assert titles(client.get(LIST)) == {"Film public", "Film réseau", "Film interne", "Film retiré"}
    client.force_login(catalogue.users["editor_b"])
    assert titles(client.get(LIST)) == {"Film public", "Film réseau", "Film de Bêta"}


@pytest.mark.parametrize("token", ["expired", "revoked"])
def test_unusable_tokens_are_401_problems(client, catalogue, bearer, token):
    response = client.get(LIST, **bearer(catalogue.tokens[token]))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_malformed_authorization_is_401(client, catalogue):
    response = client.get(LIST, HTTP_AUTHORIZATION="Basic abc")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(LIST, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_list_item_shape(client, catalogue):
    item = client.get(LIST).json()["items"][0]
    assert item["genre"] == {"id": catalogue.terms["documentaire"].pk, "slug": "documentaire", "name": "Documentaire"}
    assert {t["slug"] for t in item["themes"]} == {"citoyennete", "ecologie"}
    assert item["audiences"][0]["slug"] == "jeunes"
    assert item["coordination"] == {"id": catalogue.coord_a.pk, "title": "Coordination Alpha", "slug": "alpha"}
    assert item["accessibility"] == {
        "captions": True,
        "sdh": False,
        "audio_description": False,
        "sign_language": False,
    }
    poster = item["poster"]
    assert poster["alt"] == "Texte alternatif de Affiche"
    assert set(poster["renditions"]) == {"thumbnail", "card", "card_2x"}
    assert poster["renditions"]["card"]["width"] == 640
    assert poster["srcset"].count("w,") == 2 and poster["srcset"].endswith("1280w")
    assert item["meta"] == {
        "type": "library.FilmPage",
        "locale": "fr",
        "fallback_fields": [],
        "detail_url": f"/api/v3/films/{catalogue.films['public'].pk}/",
    }


def test_english_locale_falls_back_field_by_field(client, catalogue):
    item = client.get(LIST, {"locale": "en"}).json()["items"][0]
    assert item["title"] == "Public film"
    assert item["synopsis"] == "Synopsis in English"
    assert item["easy_read_summary"] == "Un film fait par des jeunes."  # not translated: French
    assert item["meta"]["locale"] == "en"
    assert item["meta"]["fallback_fields"] == ["easy_read_summary"]
    themes = {t["slug"]: t["name"] for t in item["themes"]}
    assert themes == {"citoyennete": "Citizenship", "ecologie": "Écologie"}  # term by term
    assert item["genre"]["name"] == "Documentary"


def test_untranslated_items_stay_in_french(client, catalogue, bearer):
    items = client.get(LIST, {"locale": "en"}, **bearer(catalogue.tokens["partner"])).json()["items"]
    network = next(i for i in items if i["id"] == catalogue.films["network"].pk)
    assert network["title"] == "Film réseau"
    assert network["meta"]["locale"] == "fr"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "citoyennete"}, {"Film public"}),
        ({"theme": "inconnu"}, set()),
        ({"genre": "documentaire"}, {"Film public"}),
        ({"action_type": "atelier"}, {"Film public"}),
        ({"audience": "jeunes"}, {"Film public"}),
        ({"age_group": "12-15"}, {"Film public"}),
        ({"year_min": 2020}, {"Film public"}),
        ({"year_max": 2020}, {"Film réseau"}),
        ({"spoken_language": "ar"}, {"Film public"}),
        ({"has_captions": "true"}, {"Film public"}),
        ({"has_captions": "false"}, {"Film réseau"}),
        ({"has_sign_language": "true"}, set()),
        ({"licence": "cc-by"}, {"Film public"}),
        ({"year_min": 2022, "year_max": 2020}, set()),  # an empty range is no error
    ],
)
def test_filters(client, catalogue, bearer, params, expected):
    response = client.get(LIST, params, **bearer(catalogue.tokens["partner"]))
    assert response.status_code == 200, response.content
    assert titles(response) == expected


def test_coordination_filter(client, catalogue, bearer):
    response = client.get(LIST, {"coordination": catalogue.coord_b.pk}, **bearer(catalogue.tokens["partner"]))
    assert titles(response) == set()
    response = client.get(LIST, {"coordination": catalogue.coord_a.pk}, **bearer(catalogue.tokens["partner"]))
    assert titles(response) == {"Film public", "Film réseau"}


def test_ordering_and_paging(client, catalogue, bearer):
    auth = bearer(catalogue.tokens["partner"])
    by_year = client.get(LIST, {"ordering": "year"}, **auth).json()["items"]
    assert [i["year"] for i in by_year] == [2019, 2021]
    by_title = client.get(LIST, {"ordering": "-title", "limit": 1, "offset": 1}, **auth).json()
    assert by_title["count"] == 2
    assert [i["title"] for i in by_title["items"]] == ["Film public"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"year_min": "abc"},
        {"ordering": "random"},
        {"locale": "xx"},
        {"tier": "secret"},
        {"licence": "gpl"},
        {"has_captions": "maybe"},
        {"theme": "bad\x00slug"},
        {"audience": "a b"},
        {"spoken_language": "Turkish"},
    ],
)
def test_bad_parameters_are_422_problems(client, catalogue, params):
    response = client.get(LIST, params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_detail_of_public_film(client, catalogue):
    film = catalogue.films["public"]
    data = client.get(f"{LIST}{film.pk}/").json()
    assert data["credits"] == "Réalisé par les jeunes du quartier"
    assert data["workshop"]["participants_age_min"] == 12
    assert data["video"]["renditions"] == ["720p", "360p"] or set(data["video"]["renditions"]) == {"720p", "360p"}
    assert {t["language"] for t in data["video"]["text_tracks"]} == {"fr", "en"}
    assert data["related_guides"] == [
        {"id": catalogue.guides["public"].pk, "title": "Guide public", "slug": "guide-public"}
    ]
    assert data["embed_url"] == f"/embed/films/{film.pk}/"
    assert set(data["stream_urls"]) == {"720p", "360p"}
    assert data["download_urls"] == {}  # anonymous: no download
    assert data["screening_pack_url"] is None


def test_detail_for_partner_lists_downloads(client, catalogue, bearer):
    film = catalogue.films["public"]
    data = client.get(f"{LIST}{film.pk}/", **bearer(catalogue.tokens["partner"])).json()
    assert set(data["download_urls"]) == {"original", "720p", "360p"}
    assert data["screening_pack_url"] == f"/api/v3/films/{film.pk}/screening-pack/"


def test_detail_in_english_and_by_translation_id(client, catalogue):
    film = catalogue.films["public"]
    data = client.get(f"{LIST}{film.pk}/", {"locale": "en"}).json()
    assert data["title"] == "Public film"
    assert set(data["meta"]["fallback_fields"]) == {"easy_read_summary", "credits"}
    by_english_id = client.get(f"{LIST}{catalogue.films['public_en'].pk}/").json()
    assert by_english_id["id"] == film.pk and by_english_id["meta"]["locale"] == "en"


@pytest.mark.parametrize("key", ["network", "internal", "withdrawn", "draft", "b_internal"])
def test_hidden_film_is_the_same_404_as_a_missing_one(client, catalogue, key):
    hidden = client.get(f"{LIST}{catalogue.films[key].pk}/")
    missing = client.get(f"{LIST}999999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden["Content-Type"] == "application/problem+json"
    assert hidden.json() == missing.json()


def test_huge_ids_are_404_not_500(client, catalogue):
    assert client.get(f"{LIST}99999999999999999999/").status_code in (404, 422)


def test_films_are_in_the_openapi_document(client, catalogue):
    schema = client.get(reverse("wagtailapi_v3:openapi-json")).json()
    assert "/api/v3/films/" in schema["paths"]
    assert "/api/v3/films/{film_id}/stream/" in schema["paths"]
