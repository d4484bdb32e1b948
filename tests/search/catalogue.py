"""Build the fixed search catalogue of `catalogue_data` through `tests.factories` (used with `setUpTestData`)."""

import datetime
from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

from home.models import ContentPage, HomePage
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.models import ActionType, AgeGroup, Audience, FilmPage, Genre, ProcessingStatus, Theme
from search.documents import rebuild
from tests.factories import (
    build_coordinations,
    locale,
    make_consent,
    make_film,
    make_guide,
    make_pdf,
    make_terms,
    make_track,
    make_user,
    make_video,
    withdraw_consent,
)
from tests.search import catalogue_data as data

GRANTED = datetime.date(2020, 1, 1)
FLAGS = ("has_captions", "has_sdh", "has_audio_description", "has_sign_language")
#: The catalogue's users have neither e-mail nor first name; tests log them in without a password.
USER_FIELDS = {"password": "x", "email": "", "first_name": ""}


def _terms(model, entries, language, position):
    """`make_terms` of one language column of `entries` (slug -> names, then an age group's bounds)."""
    names = {slug: row[position] for slug, row in entries.items()}
    fields = (
        {slug: {"min_age": row[2], "max_age": row[3]} for slug, row in entries.items()} if model is AgeGroup else None
    )
    return make_terms(model, names, language=language, fields=fields)


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


def _language_tree(root, language, position):
    """A home page of its own for `language`, its coordinations and its taxonomy; pages live, without revisions."""
    home = root.add_child(
        instance=HomePage(title=f"Accueil {language}", slug=f"home-{language}", locale=locale(language))
    )
    _index, pages = build_coordinations(
        home,
        *({"title": names[0], "region": names[1], "slug": slug} for slug, names in data.COORDINATIONS.items()),
        revision=False,
        network=False,
    )
    terms = {
        "themes": _terms(Theme, data.THEMES, language, position),
        "audiences": _terms(Audience, data.AUDIENCES, language, position),
        "genres": _terms(Genre, data.GENRES, language, position),
        "actions": _terms(ActionType, data.ACTION_TYPES, language, position),
        "ages": _terms(AgeGroup, data.AGE_GROUPS, language, position),
    }
    return SimpleNamespace(home=home, coordinations=dict(zip(data.COORDINATIONS, pages, strict=True)), terms=terms)


def _film(tree, spec, consent, tier="public", live=True):
    slug, title, synopsis, genre, action, themes, audiences, year, coordination, extra = spec
    coordination = tree.coordinations[coordination]
    film = make_film(
        coordination,
        title,
        tier,
        consent,
        live=live,
        revision=False,
        slug=slug,
        synopsis=synopsis,
        year=year,
        genre=tree.terms["genres"][genre],
        action_type=tree.terms["actions"][action],
        themes=[tree.terms["themes"][t] for t in themes],
        audiences=[tree.terms["audiences"][a] for a in audiences],
        spoken_languages=extra.get("spoken_languages", [coordination.locale.language_code]),
        **{key: value for key, value in extra.items() if key != "spoken_languages" and key not in FLAGS},
    )
    # Accessibility flags are derived from the video on save; set them as if it had the tracks.
    flags = {key: value for key, value in extra.items() if key in FLAGS}
    if flags:
        FilmPage.objects.filter(pk=film.pk).update(**flags)
    return film


def _guide(tree, spec):
    slug, title, summary, themes, audiences, ages, coordination, pdf_text = spec
    coordination = tree.coordinations[coordination]
    # Only the extracted text is searched: the row points at a file nobody reads.
    document = make_pdf(
        title,
        language=coordination.locale.language_code,
        stored_at=f"documents/{slug}.pdf",
        extracted_text=pdf_text,
    )
    return make_guide(
        coordination,
        title,
        "public",
        revision=False,
        slug=slug,
        summary=summary,
        document=document,
        themes=[tree.terms["themes"][t] for t in themes],
        audiences=[tree.terms["audiences"][a] for a in audiences],
        age_groups=[tree.terms["ages"][a] for a in ages],
    )


def build():
    """The whole catalogue, indexed; returns items by slug, users and trees."""
    root = Page.get_first_root_node()
    fr = _language_tree(root, "fr", 0)
    en = _language_tree(root, "en", 1)
    first = next(iter(fr.coordinations.values()))
    public = make_consent(first, "public", label="Public", granted_on=GRANTED)
    items = {}
    for spec in data.FILMS_FR:
        items[spec[0]] = _film(fr, spec, public)
    for spec in data.FILMS_EN:
        items[spec[0]] = _film(en, spec, public)
    for spec in data.GUIDES_FR:
        items[spec[0]] = _guide(fr, spec)
    for spec in data.GUIDES_EN:
        items[spec[0]] = _guide(en, spec)
    for tree, language, pages in ((fr, "fr", data.PAGES_FR), (en, "en", data.PAGES_EN)):
        for slug, title, introduction in pages:
            items[slug] = tree.home.add_child(
                instance=ContentPage(title=title, slug=slug, introduction=introduction, locale=locale(language))
            )
    for slug, text in data.CAPTIONS.items():
        # Only the caption text is searched: the rows point at files nobody reads.
        video = make_video(slug, status=ProcessingStatus.PENDING, stored_at=f"videos/{slug}/original.mp4")
        make_track(video, "fr", stored_at=f"videos/{slug}/fr.vtt", text=text)
        FilmPage.objects.filter(pk=items[slug].pk).update(video=video)
    hidden_coordination = fr.coordinations["hors-cadre"]
    for slug, title, synopsis, tier, scope, live, withdrawn in data.HIDDEN_FR:
        consent = make_consent(hidden_coordination, scope, label=title, granted_on=GRANTED)
        spec = (slug, title, synopsis, "animation", "atelier", ["handicap"], ["collegiens"], 2024, "hors-cadre", {})
        items[slug] = _film(fr, spec, consent, tier=tier, live=live)
        if withdrawn:
            # Withdrawn after publication: the stored tier still says public.
            withdraw_consent(consent, on=GRANTED + datetime.timedelta(days=30), reason="Demande des familles")

    editors = {slug: _editor_group(page) for slug, page in fr.coordinations.items()}
    partner = make_user("partenaire", Group.objects.get_or_create(name=PARTNERS_GROUP)[0], **USER_FIELDS)
    national = make_user(
        "national",
        Group.objects.get_or_create(name=NATIONAL_GROUP)[0],
        is_superuser=True,
        is_staff=True,
        **USER_FIELDS,
    )
    editor_b = make_user("editrice-la-trame", editors["la-trame"], **USER_FIELDS)
    rebuild()
    return SimpleNamespace(items=items, fr=fr, en=en, partner=partner, national=national, editor_b=editor_b)
