"""The API lists' read model (`library.listing`) against the page tables and the access module.

The lists answer from `ListingEntry` and `ListingCard` rows written when an
item changes; these tests check, from the outside, that what they show is
what the access module allows on the page tables, for every requester of
the permission matrix, and that each change which should move a list does.
"""

import datetime

import pytest

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import APIToken

from library.access.rules import Requester, filter_visible
from library.core.tiers import ConsentScope, Tier
from library.listing import counts
from library.models import FilmPage, GuidePage, LibraryRendition, ListingCard, ListingEntry
from tests.factories import make_consent, make_film
from tests.library.network import REQUESTERS, build_network

FILMS = "/api/v3/films/"
GUIDES = "/api/v3/guides/"


@pytest.fixture(scope="module")
def network(module_db):
    with module_db.build():
        return build_network()


def _headers(client, network, requester):
    if requester == "partner_token":
        return {"HTTP_AUTHORIZATION": f"Bearer {network.tokens['partner_token']}"}
    if requester != "anonymous":
        client.force_login(network.users[requester])
    return {}


def _requester(network, requester):
    if requester == "anonymous":
        return Requester()
    user = network.users[requester]
    token = APIToken.objects.filter(user=user).first() if requester == "partner_token" else None
    return Requester(user=user, api_token=token)


def _ids(client, url, headers, **params):
    """(count, ids) as the view answers (the server cache of anonymous answers skipped)."""
    response = client.get(url, {"limit": 100, **params}, HTTP_CACHE_CONTROL="no-cache", **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], {item["id"] for item in body["items"]}


@pytest.mark.parametrize("requester", REQUESTERS)
def test_lists_show_what_the_access_module_allows(client, db, network, requester):
    headers = _headers(client, network, requester)
    who = _requester(network, requester)
    for url, model in ((FILMS, FilmPage), (GUIDES, GuidePage)):
        expected = set(
            filter_visible(model.objects.filter(locale__language_code=settings.LANGUAGE_CODE), who).values_list(
                "pk", flat=True
            )
        )
        count, ids = _ids(client, url, headers)
        assert ids == expected, (url, requester)
        assert count == len(expected)


def test_a_withdrawn_consent_hides_the_film_at_once(client, db, network):
    film = next(item.page for item in network.items if item.key == "film-public")
    count, ids = _ids(client, FILMS, {})
    assert film.pk in ids
    film.consent.withdrawn_on = timezone.localdate()
    film.consent.withdrawal_reason = "Demande d'une famille"
    film.consent.save()
    assert _ids(client, FILMS, {}) == (count - 1, ids - {film.pk})


def test_the_tier_is_decided_on_the_day(client, db, network, monkeypatch):
    today = timezone.localdate()
    consent = make_consent(network.coord_a, ConsentScope.PUBLIC, expires_on=today, label="Expire ce soir")
    film = make_film(network.coord_a, "Film du dernier jour", Tier.PUBLIC, consent)
    count, ids = _ids(client, FILMS, {})
    assert film.pk in ids
    item = next(i for i in _items(client) if i["id"] == film.pk)
    assert item["tier"] == "public"

    # Tomorrow, with no write in between: the consent has ended, the film is gone and the total follows.
    client.get(FILMS, {"limit": 100})  # an anonymous answer kept by the server cache today
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert _ids(client, FILMS, {}) == (count - 1, ids - {film.pk})
    cached = client.get(FILMS, {"limit": 100}).json()
    assert film.pk not in {item["id"] for item in cached["items"]}
    partner_headers = _headers(client, network, "partner_token")
    assert film.pk not in _ids(client, FILMS, partner_headers)[1]


def test_publishing_and_unpublishing_move_the_list_and_its_total(client, db, network):
    consent = make_consent(network.coord_a, ConsentScope.PUBLIC, label="Nouveau")
    count, ids = _ids(client, FILMS, {})
    film = make_film(network.coord_a, "Film tout neuf", Tier.PUBLIC, consent)
    assert _ids(client, FILMS, {}) == (count + 1, ids | {film.pk})
    film.unpublish()
    assert _ids(client, FILMS, {}) == (count, ids)


def test_a_new_draft_is_not_listed_but_has_its_entry(client, db, network):
    consent = make_consent(network.coord_a, ConsentScope.PUBLIC, label="Brouillon")
    film = make_film(network.coord_a, "Film en brouillon", Tier.PUBLIC, consent, live=False)
    assert film.pk not in _ids(client, FILMS, {})[1]
    assert film.pk not in _ids(client, FILMS, _headers(client, network, "national"))[1]


def test_a_page_of_the_list_costs_two_queries_once_the_total_is_known(client, db, network):
    client.get(FILMS, {"limit": 5})
    for limit in (1, 5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(FILMS, {"limit": limit}, HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200
        assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]


def test_cards_carry_fresh_signed_image_urls(client, db, network):
    item = _items(client)[0]
    urls = [rendition["url"] for rendition in item["poster"]["renditions"].values()]
    assert urls, item["poster"]
    # Media are on the S3 test server, whose URLs are signed when answering, never stored.
    assert all("Signature=" in url for url in urls)
    card = ListingCard.objects.get(entry_id=item["id"], language=settings.LANGUAGE_CODE)
    assert "Signature=" not in card.data and "Signature=" not in str(card.image)


def test_renditions_made_again_reach_the_cards(client, db, network, django_capture_on_commit_callbacks):
    item = next(i for i in network.items if i.key == "film-public")
    before = set(LibraryRendition.objects.filter(image=item.image).values_list("pk", flat=True))
    assert len(before) >= 3
    # Deleting the renditions rewrites the cards of the films showing the image once committed;
    # the missing renditions are queued, made again (at once on the in-process task backend),
    # and their task rewrites the cards again.
    with django_capture_on_commit_callbacks(execute=True):
        LibraryRendition.objects.filter(image=item.image).delete()
    remade = LibraryRendition.objects.filter(image=item.image)
    assert remade.exists() and not before & set(remade.values_list("pk", flat=True))
    listed = next(i for i in _items(client) if i["id"] == item.page.pk)
    assert set(listed["poster"]["renditions"]) == {"thumbnail", "card", "card_2x"}
    files = set(remade.values_list("file", flat=True))
    for rendition in listed["poster"]["renditions"].values():
        assert any(name in rendition["url"] for name in files)
    assert listed["poster"]["srcset"].count("w,") == 2


def _items(client):
    return client.get(FILMS, {"limit": 100}, HTTP_CACHE_CONTROL="no-cache").json()["items"]


def test_a_renamed_coordination_reaches_its_items_cards(client, db, network, django_capture_on_commit_callbacks):
    coordination = network.coord_a
    coordination.title = "Coordination Alpha renommée"
    with django_capture_on_commit_callbacks(execute=True):
        coordination.save_revision().publish()
    items = _items(client)
    assert items and {item["coordination"]["title"] for item in items} == {"Coordination Alpha renommée"}


def test_rebuild_listing_restores_a_lost_read_model(client, db, network):
    count, ids = _ids(client, FILMS, {})
    assert count
    ListingEntry.objects.all().delete()
    assert _ids(client, FILMS, {}) == (0, set())
    call_command("rebuild_listing", "--missing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _ids(client, FILMS, {}) == (count, ids)
    ListingCard.objects.update(data='{"id": 0}')
    call_command("rebuild_listing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {item["id"] for item in _items(client)} == ids


def test_an_item_without_a_card_in_the_language_shows_its_default_card(client, db, network):
    count, ids = _ids(client, FILMS, {})
    ListingCard.objects.exclude(language=settings.LANGUAGE_CODE).delete()  # as after adding a language
    body = client.get(FILMS, {"limit": 100, "locale": "en"}, HTTP_CACHE_CONTROL="no-cache").json()
    assert body["count"] == count and {item["id"] for item in body["items"]} == ids
    assert {item["meta"]["locale"] for item in body["items"]} == {settings.LANGUAGE_CODE}


def test_a_page_past_the_end_still_gives_the_total(client, db, network):
    count, _ids_ = _ids(client, FILMS, {})
    counts.changed()  # the total is counted again, and no row of this page can carry it
    body = client.get(FILMS, {"limit": 10, "offset": 1000}, HTTP_CACHE_CONTROL="no-cache").json()
    assert body == {"count": count, "items": []}
