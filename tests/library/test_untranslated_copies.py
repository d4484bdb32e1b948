"""A film copied into the English tree without translation is shown as what it is: French, still to translate.

When the English locale is set to follow the French one (Paramètres →
Langues, "Synchroniser depuis" French), wagtail-localize gives every French
page, and every new one, a live *alias* in the English tree: the same page,
French text and all. The API served that alias as an English film
(`meta.locale: "en"`, no fallback field) and the listings called its
translation up to date. An alias is an untranslated copy: the API serves the
French film, labelled French, the listing read model keeps the French card,
and the admin listings say the translation is still to do.
"""

import pytest

from django.urls import reverse

from wagtail_localize.models import LocaleSynchronization

from library.core.tiers import ConsentScope, Tier
from library.listing.build import refresh
from library.models import FilmPage
from tests.factories import locale, make_consent, make_film
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

LIST = "/api/v3/films/"
TITLE = "Les murs parlent"
SYNOPSIS = "Des adolescents filment les fresques de leur quartier."


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        consent = make_consent(network.coord_a, ConsentScope.PUBLIC)
        network.film = make_film(network.coord_a, TITLE, Tier.PUBLIC, consent, synopsis=SYNOPSIS)
        # "Synchroniser depuis : français": wagtail-localize aliases the French tree into English.
        LocaleSynchronization.objects.create(locale=locale("en"), sync_from=locale("fr"))
        network.alias = FilmPage.objects.get(alias_of=network.film)
        refresh([network.film.pk])  # the listing's cards are rebuilt with the copy in the tree
        yield network


def film_item(response, pk):
    assert response.status_code == 200, response.content
    return next(item for item in response.json()["items"] if item["id"] == pk)


def test_the_synchronised_english_tree_holds_a_live_french_copy(net):
    assert net.alias.locale.language_code == "en" and net.alias.live
    assert net.alias.title == TITLE, "the copy carries the French text"


def test_the_api_list_in_english_serves_the_untranslated_film_as_french(client, net):
    item = film_item(client.get(LIST, {"locale": "en"}), net.film.pk)

    assert item["title"] == TITLE
    assert item["meta"]["locale"] == "fr", "an untranslated copy is not English"
    assert item["meta"]["fallback_fields"] == []


def test_the_api_detail_in_english_serves_the_untranslated_film_as_french(client, net):
    by_french_id = client.get(f"{LIST}{net.film.pk}/", {"locale": "en"}).json()
    by_copy_id = client.get(f"{LIST}{net.alias.pk}/").json()

    for data in (by_french_id, by_copy_id):
        assert data["id"] == net.film.pk
        assert data["synopsis"] == SYNOPSIS
        assert data["meta"]["locale"] == "fr"


def test_the_admin_listing_says_the_translation_is_still_to_do(client, net):
    client.force_login(net.users["national"])

    french = client.get(reverse("films:index")).content.decode()
    english = client.get(reverse("films:index"), {"locale": "en"}).content.decode()

    for body in (french, english):
        row = next(row for row in body.split("<tr") if TITLE in row)
        assert "À faire (copie du français)" in row
        assert "À jour" not in row
