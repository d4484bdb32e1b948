"""A small catalogue for the API tests, built through the models and the storage API.

Coordination A holds a film of every tier and state (public, network,
internal, consent withdrawn, draft) and guides of each tier; coordination B
one internal film. The public film has a real H.264 video (master, 720p and
360p renditions in private storage), French and English text tracks, a
poster with its named renditions, and an English translation that leaves
some fields empty (to exercise the field-by-field fallback to French).
`extra_films` adds public films so list sizes can grow.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, Locale, Page, Site

from home.models import HomePage
from library.access.network import setup_network
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    ConsentRecord,
    CoordinationIndexPage,
    CoordinationPage,
    FilmPage,
    Genre,
    GuideDocumentLink,
    GuidePage,
    PartnerOrganisation,
    PartnerToken,
    TextTrack,
    Theme,
    Video,
    VideoRendition,
)
from library.models.renditions import NAMED_RENDITIONS
from tests.api.media import pdf_bytes, poster_png, tiny_mp4, vtt

PASSWORD = "motdepasse-de-test-42"


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


def locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_home():
    root = Page.get_first_root_node()
    for page in root.get_children().exact_type(Page):
        page.delete()
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-api", locale=locale("fr")))
    publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def make_image(title, colour=(40, 90, 160), size=(1600, 900)):
    image = get_image_model()(title=title, description=f"Texte alternatif de {title}")
    image.file = ImageFile(ContentFile(poster_png(colour, size)), name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    image.get_renditions(*NAMED_RENDITIONS.values())  # as the upload task does
    return image


def make_video(title, renditions=("720p", "360p"), tracks=("fr", "en")):
    data = tiny_mp4()
    video = Video(title=title, original_filename=f"{title} – master élève.mp4", status="ready", duration=4.0)
    video.width, video.height = 320, 180
    video.file = ContentFile(data, name="master.mp4")
    video.file_size = len(data)
    video.save()
    for name in renditions:
        VideoRendition.objects.create(
            video=video, name=name, file=ContentFile(data, name=f"{name}.mp4"), width=320, height=180
        )
    for language in tracks:
        TextTrack.objects.create(
            video=video,
            language=language,
            kind="subtitles",
            label={"fr": "Français", "en": "English"}[language],
            file=ContentFile(vtt(language), name=f"{language}.vtt"),
        )
    return video


def make_terms():
    fr, en = locale("fr"), locale("en")
    terms = {}
    for model, slug, french, english in (
        (Theme, "citoyennete", "Citoyenneté", "Citizenship"),
        (Theme, "ecologie", "Écologie", None),
        (Genre, "documentaire", "Documentaire", "Documentary"),
        (ActionType, "atelier", "Atelier de réalisation", "Filmmaking workshop"),
        (Audience, "jeunes", "Jeunes", "Young people"),
    ):
        term = model.objects.create(name=french, slug=slug, locale=fr)
        if english:
            translated = term.copy_for_translation(en)
            translated.name = english
            translated.save()
        terms[slug] = term
    terms["12-15"] = AgeGroup.objects.create(name="12-15 ans", slug="12-15", min_age=12, max_age=15, locale=fr)
    return terms


def make_consent(coordination, scope):
    return ConsentRecord.objects.create(
        label=f"Consentement {scope}",
        coordination=coordination,
        scope=scope,
        granted_on=timezone.localdate() - datetime.timedelta(days=100),
    )


def make_film(
    coordination, title, tier, consent, *, live=True, revision=True, poster=None, video=None, themes=(), **fields
):
    film = FilmPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-"),
        locale=coordination.locale,
        synopsis=fields.pop("synopsis", f"Synopsis de {title}"),
        year=fields.pop("year", 2022),
        access_tier=tier,
        consent=consent,
        poster=poster,
        video=video,
        live=live,
        **fields,
    )
    coordination.add_child(instance=film)
    if themes:
        film.themes = list(themes)
        film.save()
    if live and revision:
        publish(film)
    return film


def make_guide(coordination, title, tier, *, cover=None, document=None, films=(), age_groups=(), themes=()):
    guide = GuidePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        locale=coordination.locale,
        summary=f"Résumé de {title}",
        access_tier=tier,
        cover=cover,
    )
    if document is not None:
        guide.documents = [GuideDocumentLink(document=document, language="fr", label="Livret")]
    coordination.add_child(instance=guide)
    guide.related_films = list(films)
    guide.age_groups = list(age_groups)
    guide.themes = list(themes)
    guide.save()
    return publish(guide)


def make_user(username, *groups, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    user.groups.add(*groups)
    return user


def make_token(user, organisation, expires_at=None):
    api_token, plaintext = APIToken.create_token(user=user, name=f"Portail {organisation.name}")
    PartnerToken.objects.create(api_token=api_token, organisation=organisation, expires_at=expires_at)
    return plaintext


def build_catalogue(extra_films=0):
    cat = Catalogue()
    cat.english = locale("en")
    cat.home = build_home()
    index = cat.home.add_child(instance=CoordinationIndexPage(title="Coordinations", slug="coordinations"))
    publish(index)
    cat.coord_a = index.add_child(
        instance=CoordinationPage(
            title="Coordination Alpha",
            slug="alpha",
            region="Grand Est",
            territory=["67", "68"],
            description='<p>Une <b>coordination</b> <a href="https://example.org">régionale</a>.</p>',
        )
    )
    publish(cat.coord_a)
    cat.coord_b = index.add_child(instance=CoordinationPage(title="Coordination Bêta", slug="beta"))
    publish(cat.coord_b)
    # The network's groups and page permissions, as in production (library.access.network).
    setup_network(index, [cat.coord_a, cat.coord_b])
    for coordination in (cat.coord_a, cat.coord_b):
        coordination.refresh_from_db()
    cat.terms = terms = make_terms()
    cat.poster = make_image("Affiche")
    public_consent = make_consent(cat.coord_a, ConsentScope.PUBLIC)

    public = make_film(
        cat.coord_a,
        "Film public",
        Tier.PUBLIC,
        public_consent,
        poster=cat.poster,
        video=make_video("Film public"),
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
        make_consent(cat.coord_a, ConsentScope.NETWORK),
        poster=cat.poster,
        video=make_video("Film réseau", tracks=()),
        year=2019,
    )
    cat.films["internal"] = make_film(cat.coord_a, "Film interne", Tier.INTERNAL, public_consent, year=2018)
    withdrawn = make_consent(cat.coord_a, ConsentScope.PUBLIC)
    cat.films["withdrawn"] = make_film(cat.coord_a, "Film retiré", Tier.PUBLIC, withdrawn)
    # Withdrawn after publication, as in real life.
    withdrawn.withdrawn_on = timezone.localdate() - datetime.timedelta(days=1)
    withdrawn.withdrawal_reason = "Demande d'une famille"
    withdrawn.save()
    cat.films["draft"] = make_film(cat.coord_a, "Film brouillon", Tier.PUBLIC, public_consent, live=False)
    cat.films["b_internal"] = make_film(
        cat.coord_b, "Film de Bêta", Tier.INTERNAL, make_consent(cat.coord_b, ConsentScope.PUBLIC)
    )
    if extra_films:
        cat.extra_posters = [cat.poster] + [make_image(f"Affiche {n}", size=(400, 225)) for n in range(2)]
    for number in range(extra_films):
        make_extra_film(cat, number, public_consent)

    document = get_document_model()(title="Livret pédagogique", language="fr")
    document.file.save("livret.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    cover = make_image("Couverture", colour=(160, 90, 40))
    cat.guides["public"] = make_guide(
        cat.coord_a,
        "Guide public",
        Tier.PUBLIC,
        cover=cover,
        document=document,
        films=[public],
        age_groups=[terms["12-15"]],
        themes=[terms["citoyennete"]],
    )
    cat.guides["network"] = make_guide(cat.coord_a, "Guide réseau", Tier.NETWORK, cover=cover, document=document)
    cat.guides["internal"] = make_guide(cat.coord_a, "Guide interne", Tier.INTERNAL)

    partners = Group.objects.get_or_create(name=PARTNERS_GROUP)[0]
    national = Group.objects.get_or_create(name=NATIONAL_GROUP)[0]
    cat.organisation = PartnerOrganisation.objects.create(name="Cinéma Le Lux", coordination=cat.coord_a)
    cat.users["partner"] = make_user("portail", partners)
    cat.organisation.members.add(cat.users["partner"])
    cat.tokens["partner"] = make_token(cat.users["partner"], cat.organisation)
    cat.tokens["expired"] = make_token(
        cat.users["partner"], cat.organisation, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    revoked = make_token(cat.users["partner"], cat.organisation)
    APIToken.objects.get(key_hash__in=APIToken.candidate_key_hashes(revoked)).revoke()
    cat.tokens["revoked"] = revoked
    cat.users["editor_a"] = make_user("editrice-a", cat.coord_a.editors_group)
    cat.users["editor_b"] = make_user("editeur-b", cat.coord_b.editors_group)
    cat.users["national"] = make_user("national", national)
    return cat


def make_extra_film(cat, number, consent):
    terms = cat.terms
    return make_film(
        cat.coord_a,
        f"Film supplémentaire {number:03d}",
        Tier.PUBLIC,
        consent,
        poster=cat.extra_posters[number % len(cat.extra_posters)],
        themes=[terms["citoyennete"], terms["ecologie"]],
        genre=terms["documentaire"],
        action_type=terms["atelier"],
        year=2000 + number % 20,
        live=True,
        revision=False,  # live from creation, without a revision: fast, and the API reads the same
    )
