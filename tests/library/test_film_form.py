"""The film and guide edit forms in French: taxonomy in the page's language, spoken languages by name.

The rule for terms across locales (`library.models.forms`): a page's form
offers the terms of the page's own locale, sorted by name (age groups by
age), as checkboxes (a plain list for the genre and the action type), and a
page stores the versions of its own locale. The French source keeps linking
French terms, which the API and the listing read model read; an English
translation links English terms, as wagtail-localize already does for the
genre when it translates a page. A stored link to another locale's version
(the French themes wagtail-localize copies into a new English translation) is
shown, and saved, as the page-locale version of the same term; a stored term
with no version in the page's locale yet stays offered and ticked, labelled
with its language, so that saving never drops it. Any other term of another
locale is refused with a French error and nothing is saved.

The English translation here is made by wagtail-localize, then its
synchronisation stopped, as an editor does to edit it in Wagtail's own form.
"""

import re

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail_localize.models import Translation, TranslationSource

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import Tier
from library.models import ActionType, AgeGroup, Audience, FilmPage, Genre, GuidePage, Theme
from library.representation.serializers import film as serialize_film
from tests.factories import (
    build_coordinations,
    build_home,
    locale,
    make_film,
    make_guide,
    make_terms,
    make_user,
)
from tests.library.admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

THEMES_FR = {
    "territoire": "Territoire et quartier",
    "racisme": "Lutte contre le racisme",
    "education": "Éducation aux images",
    "memoire": "Mémoire et transmission",
    "validisme": "Lutte contre le validisme",  # no English version
}
THEMES_EN = {
    "territoire": "Territory and neighbourhood",
    "racisme": "Fighting racism",
    "education": "Image education",
    "memoire": "Memory and heritage",
}
AUDIENCES_FR = {"hopital": "Hôpital", "handicap": "Handicap", "rural": "Jeunes en zone rurale"}
AUDIENCES_EN = {"hopital": "Hospital", "handicap": "Disability", "rural": "Young people in rural areas"}
GENRES_FR = {"documentaire": "Documentaire", "fiction": "Fiction", "essai": "Essai"}
GENRES_EN = {"documentaire": "Documentary", "fiction": "Fiction film", "essai": "Essay"}
ACTIONS_FR = {"atelier": "Atelier de pratique artistique", "seance": "Séance en plein air"}
ACTIONS_EN = {"atelier": "Hands-on workshop", "seance": "Open-air screening"}
AGES_FR = {"6-11": "6-11 ans", "12-15": "12-15 ans", "tous": "Tous âges"}
AGES_EN = {"6-11": "6-11 years", "12-15": "12-15 years", "tous": "All ages"}
AGE_BOUNDS = {"6-11": {"min_age": 6, "max_age": 11}, "12-15": {"min_age": 12, "max_age": 15}}

OTHER_LOCALE_ERROR = "« {} » est un terme d’une autre langue que celle de la page : choisissez-en un dans la liste."


def english(term):
    return term.get_translation(locale("en"))


@pytest.fixture(scope="module")
def world(module_db):
    with module_db.build():
        home = build_home()
        _index, (coord_a, _coord_b) = build_coordinations(home)
        en = locale("en")
        coord_a.copy_for_translation(en, copy_parents=True, exclude_fields=["editors_group"])
        w = type("World", (), {})()
        w.coord_a = coord_a
        w.national = make_user("national", Group.objects.get(name=NATIONAL_GROUP))
        w.themes = make_terms(Theme, THEMES_FR, translations={"en": THEMES_EN})
        w.audiences = make_terms(Audience, AUDIENCES_FR, translations={"en": AUDIENCES_EN})
        w.genres = make_terms(Genre, GENRES_FR, translations={"en": GENRES_EN})
        w.actions = make_terms(ActionType, ACTIONS_FR, translations={"en": ACTIONS_EN})
        w.ages = make_terms(AgeGroup, AGES_FR, translations={"en": AGES_EN}, fields=AGE_BOUNDS)
        w.film = make_film(
            coord_a,
            "Nos quartiers",
            Tier.INTERNAL,
            None,
            themes=[w.themes["racisme"], w.themes["validisme"]],
            audiences=[w.audiences["hopital"]],
            genre=w.genres["documentaire"],
            action_type=w.actions["atelier"],
            spoken_languages=["rcf", "fr"],
        )
        source, _created = TranslationSource.get_or_create_from_instance(w.film)
        translation = Translation.objects.create(source=source, target_locale=en)
        translation.save_target(publish=True)
        translation.enabled = False  # "Stop synced translation": the page is edited in Wagtail's form
        translation.save()
        w.english_film = w.film.get_translation(en).specific
        w.guide = make_guide(
            coord_a,
            "Guide des quartiers",
            Tier.INTERNAL,
            themes=[w.themes["memoire"]],
            audiences=[w.audiences["rural"]],
            age_groups=[w.ages["12-15"]],
        )
    return w


def edit_page(client, world, page):
    client.force_login(world.national)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post_edit(client, world, page, **changes):
    client.force_login(world.national)
    data = edit_form_data(page, world.national, **{"action-publish": "publish", **changes})
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def checkboxes(html, name):
    """`[(label, ticked)]` of the checkboxes named `name`, in the order shown."""
    boxes = []
    pattern = rf'<label[^>]*>\s*<input type="checkbox" name="{name}" value="[^"]*"([^>]*)>\s*([^<]+?)\s*</label>'
    for attributes, label in re.findall(pattern, html):
        boxes.append((label.replace("&#x27;", "'").replace("&quot;", '"'), "checked" in attributes))
    return boxes


def select_options(html, name):
    """`[(label, selected)]` of the `<select name=name>`'s options, the empty one left out."""
    body = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert body, f"no <select> named {name}"
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', body.group(1))
    return [(label, "selected" in attributes) for value, attributes, label in options if value]


# --- Which terms a page's form offers -------------------------------------------------------


def test_the_french_film_offers_its_french_terms_as_checkboxes_sorted_by_name(client, world):
    html = edit_page(client, world, world.film)

    assert checkboxes(html, "themes") == [
        ("Éducation aux images", False),
        ("Lutte contre le racisme", True),
        ("Lutte contre le validisme", True),
        ("Mémoire et transmission", False),
        ("Territoire et quartier", False),
    ]
    assert checkboxes(html, "audiences") == [("Handicap", False), ("Hôpital", True), ("Jeunes en zone rurale", False)]
    assert select_options(html, "genre") == [("Documentaire", True), ("Essai", False), ("Fiction", False)]
    assert select_options(html, "action_type") == [
        ("Atelier de pratique artistique", True),
        ("Séance en plein air", False),
    ]
    for name in [*THEMES_EN.values(), *AUDIENCES_EN.values(), *GENRES_EN.values(), *ACTIONS_EN.values()]:
        assert name not in html, f"the English term {name!r} is offered on the French film"
    assert '<select name="themes"' not in html and "multiple>" not in html, "no Ctrl-click list box is left"


def test_the_english_translation_offers_english_terms_and_shows_its_copied_links_in_english(client, world):
    # wagtail-localize copied the French themes and audiences into the translation and translated the genre.
    assert set(world.english_film.themes.all()) == {world.themes["racisme"], world.themes["validisme"]}
    assert world.english_film.genre == english(world.genres["documentaire"])

    html = edit_page(client, world, world.english_film)

    assert checkboxes(html, "themes") == [
        ("Fighting racism", True),
        ("Image education", False),
        ("Memory and heritage", False),
        ("Territory and neighbourhood", False),
        # Linked, with no English version: kept, ticked and said so, never dropped silently.
        ("Lutte contre le validisme (Français, pas encore traduit)", True),
    ]
    assert checkboxes(html, "audiences") == [
        ("Disability", False),
        ("Hospital", True),
        ("Young people in rural areas", False),
    ]
    assert select_options(html, "genre") == [("Documentary", True), ("Essay", False), ("Fiction film", False)]
    assert select_options(html, "action_type") == [("Hands-on workshop", True), ("Open-air screening", False)]
    for slug, name in {**THEMES_FR, **AUDIENCES_FR, **GENRES_FR, **ACTIONS_FR}.items():
        if slug not in ("validisme", "fiction"):  # kept (said so above); part of "Fiction film"
            assert name not in html, f"the French term {name!r} is on the English translation's form"


def test_the_guide_offers_its_french_terms_and_age_groups_by_age(client, world):
    html = edit_page(client, world, world.guide)

    assert checkboxes(html, "themes")[0] == ("Éducation aux images", False)
    assert ("Mémoire et transmission", True) in checkboxes(html, "themes")
    assert checkboxes(html, "audiences") == [("Handicap", False), ("Hôpital", False), ("Jeunes en zone rurale", True)]
    assert checkboxes(html, "age_groups") == [("6-11 ans", False), ("12-15 ans", True), ("Tous âges", False)]
    for name in [*THEMES_EN.values(), *AUDIENCES_EN.values(), *AGES_EN.values()]:
        assert name not in html, f"the English term {name!r} is offered on the French guide"


def test_a_new_film_offers_the_terms_of_the_locale_it_is_created_in(world):
    form_class = FilmPage.get_edit_handler().get_form_class()
    english_coordination = world.coord_a.get_translation(locale("en"))

    french = form_class(instance=FilmPage(), for_user=world.national, parent_page=world.coord_a)
    new_english = form_class(instance=FilmPage(), for_user=world.national, parent_page=english_coordination)

    assert {label for _value, label in french.fields["themes"].choices} == set(THEMES_FR.values())
    assert {label for _value, label in new_english.fields["themes"].choices} == set(THEMES_EN.values())
    assert {label for value, label in new_english.fields["genre"].choices if value} == set(GENRES_EN.values())


def test_a_new_guide_offers_the_terms_of_the_locale_it_is_created_in(world):
    form_class = GuidePage.get_edit_handler().get_form_class()
    english_coordination = world.coord_a.get_translation(locale("en"))
    form = form_class(instance=GuidePage(), for_user=world.national, parent_page=english_coordination)

    assert [label for _value, label in form.fields["age_groups"].choices] == list(AGES_EN.values())
    assert {label for _value, label in form.fields["audiences"].choices} == set(AUDIENCES_EN.values())


# --- What is saved, and what is refused ---------------------------------------------------


def test_saving_the_english_translation_stores_english_terms_and_keeps_the_untranslated_one(client, world):
    response = post_edit(client, world, world.english_film)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    saved = FilmPage.objects.get(pk=world.english_film.pk)
    assert set(saved.themes.all()) == {english(world.themes["racisme"]), world.themes["validisme"]}
    assert list(saved.audiences.all()) == [english(world.audiences["hopital"])]
    assert saved.genre == english(world.genres["documentaire"])
    source = FilmPage.objects.get(pk=world.film.pk)
    assert set(source.themes.all()) == {world.themes["racisme"], world.themes["validisme"]}, "the source is untouched"


def test_saving_the_french_film_keeps_its_french_terms(client, world):
    extra = world.themes["education"]
    themes = [str(world.themes["racisme"].pk), str(extra.pk)]

    response = post_edit(client, world, world.film, themes=themes)

    assert response.status_code == 302
    saved = FilmPage.objects.get(pk=world.film.pk)
    assert set(saved.themes.all()) == {world.themes["racisme"], extra}
    assert list(saved.audiences.all()) == [world.audiences["hopital"]]
    assert saved.genre == world.genres["documentaire"]


@pytest.mark.parametrize(
    "field, term",
    [
        ("themes", lambda w: english(w.themes["territoire"])),
        ("audiences", lambda w: english(w.audiences["rural"])),
        ("genre", lambda w: english(w.genres["essai"])),
        ("action_type", lambda w: english(w.actions["seance"])),
    ],
)
def test_an_english_term_posted_on_the_french_film_is_refused_in_french(client, world, field, term):
    foreign = term(world)
    kept = {"themes": world.themes["racisme"], "audiences": world.audiences["hopital"]}
    value = [str(kept[field].pk), str(foreign.pk)] if field in kept else str(foreign.pk)

    response = post_edit(client, world, world.film, **{field: value})

    assert response.status_code == 200, "the form comes back with its error"
    assert OTHER_LOCALE_ERROR.format(foreign.name) in response.content.decode()
    saved = FilmPage.objects.get(pk=world.film.pk)
    assert foreign not in saved.themes.all() and foreign not in saved.audiences.all()
    assert saved.genre == world.genres["documentaire"] and saved.action_type == world.actions["atelier"]
    assert saved.revisions.count() == 1, "no revision was saved"


def test_a_french_term_posted_on_the_english_translation_is_refused(client, world):
    french = world.themes["territoire"]  # it has an English version: the French one is not the page's

    response = post_edit(client, world, world.english_film, themes=[str(french.pk)])

    assert response.status_code == 200
    assert OTHER_LOCALE_ERROR.format(french.name) in response.content.decode()
    assert french not in FilmPage.objects.get(pk=world.english_film.pk).themes.all()


def test_a_french_guide_refuses_an_english_age_group(client, world):
    foreign = english(world.ages["6-11"])

    response = post_edit(client, world, world.guide, age_groups=[str(foreign.pk)])

    assert response.status_code == 200
    assert OTHER_LOCALE_ERROR.format(foreign.name) in response.content.decode()
    assert list(GuidePage.objects.get(pk=world.guide.pk).age_groups.all()) == [world.ages["12-15"]]


# --- Spoken languages ---------------------------------------------------------------------


def test_spoken_languages_are_named_choices_in_french(client, world):
    html = edit_page(client, world, world.film)

    boxes = checkboxes(html, "spoken_languages")
    assert boxes[:3] == [("Français", True), ("Anglais", False), ("Arabe", False)]
    assert ("Créole réunionnais", True) in boxes
    assert ("Langue des signes française (LSF)", False) in boxes
    assert len(boxes) == 12
    assert '<textarea name="spoken_languages"' not in html and "[&quot;" not in html


def test_spoken_languages_are_saved_as_a_list_of_codes_in_their_order(client, world):
    response = post_edit(client, world, world.film, spoken_languages=["fr", "ar", "rcf"])

    assert response.status_code == 302
    saved = FilmPage.objects.get(pk=world.film.pk)
    assert saved.spoken_languages == ["rcf", "fr", "ar"], "the stored order is kept, the new code comes after"
    assert serialize_film(saved, "fr")["spoken_languages"] == ["rcf", "fr", "ar"], "the API shows the same list"

    response = post_edit(client, world, saved, spoken_languages=[])
    assert response.status_code == 302
    assert FilmPage.objects.get(pk=world.film.pk).spoken_languages == []


def test_an_unknown_spoken_language_is_refused(client, world):
    response = post_edit(client, world, world.film, spoken_languages=["fr", "xx"])

    assert response.status_code == 200
    assert "Sélectionnez un choix valide. xx n’en fait pas partie." in response.content.decode()
    assert FilmPage.objects.get(pk=world.film.pk).spoken_languages == ["rcf", "fr"]
