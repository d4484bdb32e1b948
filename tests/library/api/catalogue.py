"""A small catalogue for the API tests, built through `tests.factories`.

Coordination A holds a film of every tier and state (public, network,
internal, consent withdrawn, draft) and guides of each tier; coordination B
one internal film. The public film has a real H.264 video (master, 720p and
360p renditions in private storage), French and English text tracks, a
poster with its named renditions, and an English translation that leaves
some fields empty (to exercise the field-by-field fallback to French).
`extra_films` adds public films so list sizes can grow.

Where the API tests were written against values other than the factories'
defaults, they are passed explicitly: slugs keep their accents (`slugify`
drops them), films default to 2022, consents were granted 100 days ago,
users have neither e-mail nor first name, images have an alt text and their
named renditions.
"""

import datetime
from dataclasses import dataclass, field

import pytest

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from wagtail.models import APIToken

from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import ActionType, AgeGroup, Audience, Genre, Theme
from tests.factories import (
    build_coordinations,
    build_home,
    locale,
    make_consent,
    make_film,
    make_guide,
    make_image,
    make_partner,
    make_pdf,
    make_terms,
    make_token,
    make_user,
    make_video,
    publish,
    withdraw_consent,
)
from tests.media import tiny_mp4

#: The year of the films that do not give one.
YEAR = 2022
POSTER_SIZE = (1600, 900)
ENGLISH_TERMS = {
    "en": {
        "citoyennete": "Citizenship",
        "documentaire": "Documentary",
        "atelier": "Filmmaking workshop",
        "jeunes": "Young people",
    }
}


@dataclass
class Catalogue:
    home: object = None
    coord_a: object = None
    coord_b: object = None
    films: dict = field(default_factory=dict)
    guides: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    organisation: object = None
    poster: object = None
    english: object = None
    extra_posters: list = field(default_factory=list)


def build_catalogue(extra_films=0):
    cat = Catalogue()
    cat.english = locale("en")
    cat.home = build_home(slug="accueil-api", reuse=False)
    index, (cat.coord_a, cat.coord_b) = build_coordinations(
        cat.home,
        {
            "title": "Coordination Alpha",
            "slug": "alpha",
            "region": "Grand Est",
            "territory": ["67", "68"],
            "description": '<p>Une <b>coordination</b> <a href="https://example.org">régionale</a>.</p>',
        },
        {"title": "Coordination Bêta", "slug": "beta"},
    )
    cat.terms = terms = {
        **make_terms(Theme, {"citoyennete": "Citoyenneté", "ecologie": "Écologie"}, translations=ENGLISH_TERMS),
        **make_terms(Genre, {"documentaire": "Documentaire"}, translations=ENGLISH_TERMS),
        **make_terms(ActionType, {"atelier": "Atelier de réalisation"}, translations=ENGLISH_TERMS),
        **make_terms(Audience, {"jeunes": "Jeunes"}, translations=ENGLISH_TERMS),
        **make_terms(AgeGroup, {"12-15": "12-15 ans"}, fields={"12-15": {"min_age": 12, "max_age": 15}}),
    }
    cat.poster = make_image(
        "Affiche", size=POSTER_SIZE, description="Texte alternatif de Affiche", named_renditions=True
    )
    granted = timezone.localdate() - datetime.timedelta(days=100)
    public_consent = make_consent(
        cat.coord_a, ConsentScope.PUBLIC, label=f"Consentement {ConsentScope.PUBLIC}", granted_on=granted
    )
    master = tiny_mp4()
    processed = {
        "data": master,
        "renditions": ("720p", "360p"),
        "file_size": len(master),
        "duration": 4.0,
        "width": 320,
        "height": 180,
    }

    public = make_film(
        cat.coord_a,
        "Film public",
        Tier.PUBLIC,
        public_consent,
        poster=cat.poster,
        video=make_video(
            "Film public", tracks=("fr", "en"), original_filename="Film public – master élève.mp4", **processed
        ),
        themes=[terms["citoyennete"], terms["ecologie"]],
        genre=terms["documentaire"],
        action_type=terms["atelier"],
        year=2021,
        easy_read_summary="Un film fait par des jeunes.",
        spoken_languages=["fr", "ar"],
        licence="cc-by",
        has_captions=True,
        participants_age_min=12,
        participants_age_max=16,
        credits="Réalisé par les jeunes du quartier",
    )
    public.audiences = [terms["jeunes"]]
    publish(public)
    # Parents first; CoordinationPage.editors_group is one-to-one, so the copy leaves it out.
    for parent in (cat.home, index):
        publish(parent.copy_for_translation(cat.english))
    publish(cat.coord_a.copy_for_translation(cat.english, exclude_fields=["editors_group"]))
    english = public.copy_for_translation(cat.english)
    english.title = "Public film"
    english.slug = "public-film"
    english.synopsis = "Synopsis in English"
    english.easy_read_summary = ""
    english.credits = ""
    english.save()
    publish(english)
    cat.films["public"] = public
    cat.films["public_en"] = english
    cat.films["network"] = make_film(
        cat.coord_a,
        "Film réseau",
        Tier.NETWORK,
        make_consent(
            cat.coord_a, ConsentScope.NETWORK, label=f"Consentement {ConsentScope.NETWORK}", granted_on=granted
        ),
        slug="film-réseau",
        poster=cat.poster,
        video=make_video("Film réseau", original_filename="Film réseau – master élève.mp4", **processed),
        year=2019,
    )
    cat.films["internal"] = make_film(cat.coord_a, "Film interne", Tier.INTERNAL, public_consent, year=2018)
    withdrawn = make_consent(
        cat.coord_a, ConsentScope.PUBLIC, label=f"Consentement {ConsentScope.PUBLIC}", granted_on=granted
    )
    cat.films["withdrawn"] = make_film(
        cat.coord_a, "Film retiré", Tier.PUBLIC, withdrawn, slug="film-retiré", year=YEAR
    )
    # Withdrawn after publication, as in real life.
    withdraw_consent(withdrawn)
    cat.films["draft"] = make_film(
        cat.coord_a,
        "Film brouillon",
        Tier.PUBLIC,
        public_consent,
        live=False,
        revision=False,  # never saved as a revision: a film created and left
        year=YEAR,
    )
    cat.films["b_internal"] = make_film(
        cat.coord_b,
        "Film de Bêta",
        Tier.INTERNAL,
        make_consent(
            cat.coord_b, ConsentScope.PUBLIC, label=f"Consentement {ConsentScope.PUBLIC}", granted_on=granted
        ),
        slug="film-de-bêta",
        year=YEAR,
    )
    if extra_films:
        cat.extra_posters = [cat.poster] + [
            make_image(
                f"Affiche {n}", size=(400, 225), description=f"Texte alternatif de Affiche {n}", named_renditions=True
            )
            for n in range(2)
        ]
    for number in range(extra_films):
        make_extra_film(cat, number, public_consent)

    document = make_pdf("Livret pédagogique", filename="livret.pdf")
    cover = make_image(
        "Couverture",
        colour=(160, 90, 40),
        size=POSTER_SIZE,
        description="Texte alternatif de Couverture",
        named_renditions=True,
    )
    cat.guides["public"] = make_guide(
        cat.coord_a,
        "Guide public",
        Tier.PUBLIC,
        cover=cover,
        document=document,
        document_label="Livret",
        films=[public],
        age_groups=[terms["12-15"]],
        themes=[terms["citoyennete"]],
    )
    cat.guides["network"] = make_guide(
        cat.coord_a,
        "Guide réseau",
        Tier.NETWORK,
        slug="guide-réseau",
        cover=cover,
        document=document,
        document_label="Livret",
    )
    cat.guides["internal"] = make_guide(cat.coord_a, "Guide interne", Tier.INTERNAL)

    partners = Group.objects.get_or_create(name=PARTNERS_GROUP)[0]
    national = Group.objects.get_or_create(name=NATIONAL_GROUP)[0]
    cat.users["partner"] = make_user("portail", partners, email="", first_name="")
    cat.organisation = make_partner(cat.coord_a, cat.users["partner"], name="Cinéma Le Lux")
    cat.tokens["partner"] = make_token(cat.users["partner"], cat.organisation)
    cat.tokens["expired"] = make_token(
        cat.users["partner"], cat.organisation, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    revoked = make_token(cat.users["partner"], cat.organisation)
    APIToken.objects.get(key_hash__in=APIToken.candidate_key_hashes(revoked)).revoke()
    cat.tokens["revoked"] = revoked
    cat.users["editor_a"] = make_user("editrice-a", cat.coord_a.editors_group, email="", first_name="")
    cat.users["editor_b"] = make_user("editeur-b", cat.coord_b.editors_group, email="", first_name="")
    cat.users["national"] = make_user("national", national, email="", first_name="")
    return cat


def make_extra_film(cat, number, consent):
    """One more public film of coordination A (for list sizes), live from creation without a revision."""
    terms = cat.terms
    return make_film(
        cat.coord_a,
        f"Film supplémentaire {number:03d}",
        Tier.PUBLIC,
        consent,
        live=True,
        revision=False,  # live from creation, without a revision: fast, and the API reads the same
        slug=f"film-supplémentaire-{number:03d}",
        poster=cat.extra_posters[number % len(cat.extra_posters)],
        themes=[terms["citoyennete"], terms["ecologie"]],
        genre=terms["documentaire"],
        action_type=terms["atelier"],
        year=2000 + number % 20,
    )


def module_catalogue(extra_films=0):
    """A module-scoped fixture: the catalogue, built once inside a transaction rolled back at the end."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                cache.clear()
                # The module transaction never commits: run what waits for a commit
                # (the lists' read model of pages saved without publishing) here.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    catalogue = build_catalogue(extra_films=extra_films)
                yield catalogue
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                cache.clear()

    return fixture
