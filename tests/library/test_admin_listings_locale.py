"""The film and guide listings show one language at a time, French by default, with each row's translation state.

A film or guide and its English translation are two pages; the listings used
to show both, interleaved. They now open on the default locale (French); the
"Locale" filter shows the English pages (or all). A "Translation" column says
whether a version exists in the other locale and whether it is live.
"""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_localize.models import Translation, TranslationSource

from library.core.tiers import Tier
from tests.factories import locale, make_film, make_guide, publish
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


def translate(page, title, *, live=True):
    """The English translation of `page`, titled `title`, published or left as a draft."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale("en"))
    translation.save_target(publish=live)
    translation.enabled = False
    translation.save()
    english = page.get_translation(locale("en")).specific
    english.title = title
    if live:
        return publish(english)
    english.save_revision()
    english.save()
    return english


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        a, b = network.coord_a, network.coord_b
        en = locale("en")
        for coordination in (a, b):
            coordination.copy_for_translation(en, copy_parents=True, exclude_fields=["editors_group"])
        network.fr = {
            "translated": make_film(a, "Nos quartiers", Tier.INTERNAL, None),
            "draft": make_film(a, "Traduction commencée", Tier.INTERNAL, None),
            "untranslated": make_film(a, "Sans traduction", Tier.INTERNAL, None),
            "other": make_film(b, "Film de Bêta", Tier.INTERNAL, None),
        }
        network.en = {
            "translated": translate(network.fr["translated"], "Our neighbourhoods"),
            "draft": translate(network.fr["draft"], "Translation started", live=False),
            "other": translate(network.fr["other"], "Beta film"),
        }
        network.guide_fr = make_guide(a, "Guide des quartiers", Tier.INTERNAL)
        network.guide_en = translate(network.guide_fr, "Neighbourhood guide")
        yield network


def listing(client, net, who, url_name="films:index", **query):
    client.force_login(net.users[who])
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    return response.content.decode()


def shown(body, pages):
    return {key for key, page in pages.items() if page.title in body}


def row_of(body, title):
    """The table row (`<tr>…</tr>`) that names `title`."""
    rows = re.findall(r"<tr\b.*?</tr>", body, flags=re.S)
    matching = [row for row in rows if title in row]
    assert len(matching) == 1, f"{title!r} in {len(matching)} rows"
    return matching[0]


def test_film_listing_shows_only_french_films_by_default(client, net):
    body = listing(client, net, "national")
    assert shown(body, net.fr) == {"translated", "draft", "untranslated", "other"}
    assert shown(body, net.en) == set()
    assert "Langue" in body  # the locale filter is offered


def test_film_listing_filtered_to_english_shows_only_english_films(client, net):
    body = listing(client, net, "national", locale="en")
    assert shown(body, net.en) == {"translated", "draft", "other"}
    assert shown(body, net.fr) == set()


def test_film_listing_can_still_show_every_locale(client, net):
    body = listing(client, net, "national", locale="")
    assert shown(body, net.fr) == set(net.fr)
    assert shown(body, net.en) == set(net.en)


def test_translation_column_says_in_french_whether_the_english_version_is_live(client, net):
    body = listing(client, net, "national")
    headers = [re.sub(r"<[^>]+>|\s+", " ", th).split() for th in re.findall(r"<th\b.*?</th>", body, flags=re.S)]
    assert ["Traduction"] in headers
    assert "À jour" in row_of(body, "Nos quartiers")
    assert "Non publiée" in row_of(body, "Traduction commencée")
    assert "À faire" in row_of(body, "Sans traduction")


def test_english_rows_state_their_french_version(client, net):
    body = listing(client, net, "national", locale="en")
    assert "À jour" in row_of(body, "Our neighbourhoods")


def test_regional_editor_sees_her_coordination_only_in_each_locale(client, net):
    french = listing(client, net, "editor_a")
    assert shown(french, net.fr) == {"translated", "draft", "untranslated"}
    english = listing(client, net, "editor_a", locale="en")
    assert shown(english, net.en) <= {"translated", "draft"}
    assert "Beta film" not in english


def test_guide_listing_shows_french_by_default_and_english_on_request(client, net):
    french = listing(client, net, "national", "guides:index")
    assert "Guide des quartiers" in french and "Neighbourhood guide" not in french
    assert "À jour" in row_of(french, "Guide des quartiers")
    english = listing(client, net, "national", "guides:index", locale="en")
    assert "Neighbourhood guide" in english and "Guide des quartiers" not in english


def listing_queries(client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("films:index")).content.decode()
    return body, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("who", ["editor_a", "national"])
def test_film_listing_query_count_does_not_grow_with_rows(client, net, who):
    client.force_login(net.users[who])
    listing_queries(client)  # the first request caches the site roots
    _body, before = listing_queries(client)
    for n in range(4):
        film = make_film(net.coord_a, f"Film en plus {n}", Tier.INTERNAL, None)
        translate(film, f"Extra film {n}")
    body, after = listing_queries(client)
    assert "Film en plus 3" in body and "Extra film 3" not in body
    # Row buttons included (wagtail-localize's, Wagtail's Delete): see test_admin_listing_queries.
    assert len(after) == len(before)
    translation_state = [sql for sql in after if '"wagtailcore_page"."translation_key" IN' in sql]
    assert len(translation_state) == 1


def test_the_listings_name_the_coordination_once(client, net):
    """The parent of a film or guide is its coordination: one column says it, the title keeps its room."""
    for url_name in ("films:index", "guides:index"):
        body = listing(client, net, "national", url_name)
        labels = [
            " ".join(re.sub(r"<[^>]+>", " ", th).split()) for th in re.findall(r"<th\b.*?</th>", body, flags=re.S)
        ]
        assert any(label.startswith("Coordination") for label in labels), labels
        assert not any(label.startswith("Parent") for label in labels), labels
