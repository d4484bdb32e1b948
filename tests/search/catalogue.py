"""Build the fixed search catalogue of `catalogue_data` (used with `setUpTestData`)."""

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Locale, Page

from home.models import ContentPage, HomePage
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    ConsentRecord,
    CoordinationIndexPage,
    CoordinationPage,
    FilmPage,
    Genre,
    GuideDocument,
    GuideDocumentLink,
    GuidePage,
    TextTrack,
    Theme,
    Video,
)
from search.documents import rebuild
from tests.search import catalogue_data as data

GRANTED = datetime.date(2020, 1, 1)
FLAGS = ("has_captions", "has_sdh", "has_audio_description", "has_sign_language")


def _terms(model, entries, locale, position):
    terms = {}
    for slug, names in entries.items():
        extra = {"min_age": names[2], "max_age": names[3]} if model is AgeGroup else {}
        terms[slug] = model.objects.create(name=names[position], slug=slug, locale=locale, **extra)
    return terms


def _editor_group(coordination):
    group = Group.objects.create(name=f"Éditeurs – {coordination.title}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=coordination, permission=Permission.objects.get(codename=codename)
        )
    coordination.editors_group = group
    coordination.save()
    return group


def _language_tree(root, locale, position, consent_public):
    home = root.add_child(
        instance=HomePage(title=f"Accueil {locale.language_code}", slug=f"home-{locale.language_code}", locale=locale)
    )
    index = home.add_child(instance=CoordinationIndexPage(title="Coordinations", slug="coordinations", locale=locale))
    coordinations = {
        slug: index.add_child(instance=CoordinationPage(title=names[0], region=names[1], slug=slug, locale=locale))
        for slug, names in data.COORDINATIONS.items()
    }
    terms = {
        "themes": _terms(Theme, data.THEMES, locale, position),
        "audiences": _terms(Audience, data.AUDIENCES, locale, position),
        "genres": _terms(Genre, data.GENRES, locale, position),
        "actions": _terms(ActionType, data.ACTION_TYPES, locale, position),
        "ages": _terms(AgeGroup, data.AGE_GROUPS, locale, position),
    }
    return SimpleNamespace(home=home, coordinations=coordinations, terms=terms)


def _film(tree, locale, spec, consent, tier="public", live=True):
    slug, title, synopsis, genre, action, themes, audiences, year, coordination, extra = spec
    film = FilmPage(
        title=title,
        slug=slug,
        synopsis=synopsis,
        year=year,
        locale=locale,
        genre=tree.terms["genres"][genre],
        action_type=tree.terms["actions"][action],
        access_tier=tier,
        consent=consent,
        live=live,
        spoken_languages=extra.get("spoken_languages", [locale.language_code]),
        **{key: value for key, value in extra.items() if key != "spoken_languages" and key not in FLAGS},
    )
    film.themes = [tree.terms["themes"][t] for t in themes]
    film.audiences = [tree.terms["audiences"][a] for a in audiences]
    film = tree.coordinations[coordination].add_child(instance=film)
    # Accessibility flags are derived from the video on save; set them as if it had the tracks.
    flags = {key: value for key, value in extra.items() if key in FLAGS}
    if flags:
        FilmPage.objects.filter(pk=film.pk).update(**flags)
    return film


def _guide(tree, locale, spec):
    slug, title, summary, themes, audiences, ages, coordination, pdf_text = spec
    document = GuideDocument.objects.create(
        title=title, file=f"documents/{slug}.pdf", language=locale.language_code, extracted_text=pdf_text
    )
    guide = GuidePage(title=title, slug=slug, summary=summary, locale=locale, access_tier="public")
    guide.themes = [tree.terms["themes"][t] for t in themes]
    guide.audiences = [tree.terms["audiences"][a] for a in audiences]
    guide.age_groups = [tree.terms["ages"][a] for a in ages]
    guide.documents = [GuideDocumentLink(document=document, language=locale.language_code)]
    return tree.coordinations[coordination].add_child(instance=guide)


def build():
    """The whole catalogue, indexed; returns items by slug, users and trees."""
    french = Locale.objects.get_or_create(language_code="fr")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    fr = _language_tree(root, french, 0, None)
    en = _language_tree(root, english, 1, None)
    first = next(iter(fr.coordinations.values()))
    public = ConsentRecord.objects.create(label="Public", coordination=first, scope="public", granted_on=GRANTED)
    items = {}
    for spec in data.FILMS_FR:
        items[spec[0]] = _film(fr, french, spec, public)
    for spec in data.FILMS_EN:
        items[spec[0]] = _film(en, english, spec, public)
    for spec in data.GUIDES_FR:
        items[spec[0]] = _guide(fr, french, spec)
    for spec in data.GUIDES_EN:
        items[spec[0]] = _guide(en, english, spec)
    for tree, locale, pages in ((fr, french, data.PAGES_FR), (en, english, data.PAGES_EN)):
        for slug, title, introduction in pages:
            items[slug] = tree.home.add_child(
                instance=ContentPage(title=title, slug=slug, introduction=introduction, locale=locale)
            )
    for slug, text in data.CAPTIONS.items():
        video = Video.objects.create(title=slug, file=f"videos/{slug}/original.mp4")
        TextTrack.objects.create(video=video, language="fr", file=f"videos/{slug}/fr.vtt", text=text)
        FilmPage.objects.filter(pk=items[slug].pk).update(video=video)
    hidden_coordination = fr.coordinations["hors-cadre"]
    for slug, title, synopsis, tier, scope, live, withdrawn in data.HIDDEN_FR:
        consent = ConsentRecord.objects.create(
            label=title, coordination=hidden_coordination, scope=scope, granted_on=GRANTED
        )
        spec = (slug, title, synopsis, "animation", "atelier", ["handicap"], ["collegiens"], 2024, "hors-cadre", {})
        items[slug] = _film(fr, french, spec, consent, tier=tier, live=live)
        if withdrawn:
            # Withdrawn after publication: the stored tier still says public.
            consent.withdrawn_on = GRANTED + datetime.timedelta(days=30)
            consent.withdrawal_reason = "Demande des familles"
            consent.save()

    user_model = get_user_model()
    editors = {slug: _editor_group(page) for slug, page in fr.coordinations.items()}
    partner = user_model.objects.create_user("partenaire", password="x")
    partner.groups.add(Group.objects.get_or_create(name=PARTNERS_GROUP)[0])
    national = user_model.objects.create_superuser("national", password="x")
    national.groups.add(Group.objects.get_or_create(name=NATIONAL_GROUP)[0])
    editor_b = user_model.objects.create_user("editrice-la-trame", password="x")
    editor_b.groups.add(editors["la-trame"])
    rebuild()
    return SimpleNamespace(items=items, fr=fr, en=en, partner=partner, national=national, editor_b=editor_b)
