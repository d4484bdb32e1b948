""" "Ajouter un film" (and "Ajouter un guide") lands in the editor's own coordination, never in a tree picker.

The Films and Guides listings' add button opens the viewset's choose-parent
view. An editor of one coordination goes straight to the creation form under
that coordination's French page; an editor who may add to several (a national
editor) gets a short French list of the coordinations, each a link to the
creation form; a user who may add to none gets a message. Wagtail's creation
view still checks the permission on the parent, so another coordination's
creation form stays closed by URL.
"""

import re

import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from library.access.network import ensure_coordination_group
from library.models import CoordinationPage, FilmPage, GuidePage
from tests.factories import locale, make_user, publish
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

#: The coordinations the national editor is offered, in dictionary order (accents ignored).
FRENCH_TITLES = ["Coordination Alpha", "Coordination Bêta", "Île-de-France", "Occitanie"]


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        for title, slug in (("Occitanie", "occitanie"), ("Île-de-France", "ile-de-france")):
            coordination = publish(network.index.add_child(instance=CoordinationPage(title=title, slug=slug)))
            ensure_coordination_group(coordination)
        english = locale("en")
        network.english = []
        for coordination in CoordinationPage.objects.filter(locale=locale("fr")):
            copy = coordination.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
            copy.title = f"{coordination.title} (English)"
            copy.save()
            network.english.append(copy)
        # A user who may enter the admin but holds no page permission anywhere.
        readers = Group.objects.create(name="Lecteurs")
        readers.permissions.add(Permission.objects.get(codename="access_admin"))
        network.users["reader"] = make_user("lecteur", readers)
        network.users["editor_ab"] = make_user(
            "editrice-ab", network.coord_a.editors_group, network.coord_b.editors_group
        )
        yield network


LISTINGS = {FilmPage: "films", GuidePage: "guides"}


def add_url(model, parent):
    """The creation form, under the listing's URL so that the sidebar keeps its menu item highlighted."""
    return reverse(f"{LISTINGS[model]}:add", args=[parent.pk])


def wagtail_add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def french_coordinations():
    """The French coordination pages, in the order `FRENCH_TITLES` expects them offered."""
    parents = {parent.title: parent for parent in CoordinationPage.objects.filter(locale=locale("fr"))}
    return [parents[title] for title in FRENCH_TITLES]


def choose(client, net, who, url_name="films:choose_parent", **query):
    client.force_login(net.users[who])
    return client.get(reverse(url_name), query)


def offered_links(body):
    """(text, href) of each coordination offered by the choose-coordination list."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-add-item-parent[^>]*>\s*(.*?)\s*</a>', body, flags=re.S)
    return [(re.sub(r"<[^>]+>|\s+", " ", text).strip(), href) for href, text in found]


def test_listing_button_says_add_a_film_and_opens_the_choice(client, net):
    client.force_login(net.users["editor_a"])
    body = client.get(reverse("films:index")).content.decode()
    button = re.search(r'<a [^>]*href="([^"]*choose_parent[^"]*)"[^>]*>(.*?)</a>', body, flags=re.S)
    assert button, "the listing offers an add button"
    assert "Ajouter un film" in re.sub(r"<[^>]+>|\s+", " ", button.group(2))
    guides = client.get(reverse("guides:index")).content.decode()
    assert "Ajouter un guide" in re.sub(r"<[^>]+>|\s+", " ", guides)


@pytest.mark.parametrize(
    ("url_name", "model"), [("films:choose_parent", FilmPage), ("guides:choose_parent", GuidePage)]
)
def test_editor_of_one_coordination_goes_straight_to_its_creation_form(client, net, url_name, model):
    response = choose(client, net, "editor_a", url_name)
    assert response.status_code == 302
    assert response["Location"] == add_url(model, net.coord_a)


def test_editor_goes_to_the_french_coordination_even_from_the_english_listing(client, net):
    """The English copy of her coordination also grants her "add"; films are created in French and translated."""
    response = choose(client, net, "editor_a", locale="en")
    assert response.status_code == 302
    assert response["Location"] == add_url(FilmPage, net.coord_a)


def test_national_editor_chooses_among_every_french_coordination(client, net):
    response = choose(client, net, "national")
    assert response.status_code == 200
    body = response.content.decode()
    assert offered_links(body) == [(parent.title, add_url(FilmPage, parent)) for parent in french_coordinations()]
    assert "(English)" not in body
    assert "Choisissez la coordination du film" in body
    assert "Choisir une coordination" in body
    assert "Racine" not in body and "Root" not in body
    assert 'name="parent_page"' not in body, "no page chooser"


def test_national_editor_chooses_the_coordination_of_a_guide(client, net):
    body = choose(client, net, "national", "guides:choose_parent", locale="en").content.decode()
    assert "Choisissez la coordination du guide" in body
    assert [href for _title, href in offered_links(body)] == [
        add_url(GuidePage, parent) for parent in french_coordinations()
    ]


def test_editor_of_two_coordinations_chooses_between_them_only(client, net):
    body = choose(client, net, "editor_ab").content.decode()
    assert offered_links(body) == [
        ("Coordination Alpha", add_url(FilmPage, net.coord_a)),
        ("Coordination Bêta", add_url(FilmPage, net.coord_b)),
    ]


@pytest.mark.parametrize(
    ("url_name", "message"),
    [
        ("films:choose_parent", "Vous ne pouvez ajouter de film à aucune coordination."),
        ("guides:choose_parent", "Vous ne pouvez ajouter de guide à aucune coordination."),
    ],
)
def test_user_who_may_add_nowhere_reads_a_message(client, net, url_name, message):
    response = choose(client, net, "reader", url_name)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert offered_links(body) == []
    assert 'name="parent_page"' not in body


@pytest.mark.parametrize("model", [FilmPage, GuidePage])
def test_other_coordinations_creation_form_stays_refused(client, net, model):
    client.force_login(net.users["editor_a"])
    for url in (add_url(model, net.coord_b), wagtail_add_url(model, net.coord_b)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] != url
        assert 'id="page-edit-form"' not in response.content.decode()
        client.post(url, {"title": "Intrusion", "slug": "intrusion", "action-publish": "1"})
        assert not model.objects.filter(title="Intrusion").exists()
