"""Builders of library test data, shared by every test module that needs a network.

Everything is built programmatically (no demo content): a home page, the
coordinations index, two coordinations A and B with their editors' groups,
the national group and workflow (through `library.access.network`), partner users
and tokens, and for coordination A one film and one guide of each tier of the
permission matrix. Media go through the storage API, so they land on the S3
test server like production media.

`matrix_items(network)` lists the matrix's items, so that modules adding
surfaces (the library API, embeds...) sweep the same data.
"""

import datetime
import io
from dataclasses import dataclass, field

from PIL import Image as PILImage

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, Locale, Page, Site

from home.models import HomePage
from library.access.network import coordination_collection, setup_network
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import (
    ConsentRecord,
    CoordinationIndexPage,
    CoordinationPage,
    FilmPage,
    GuideDocumentLink,
    GuidePage,
    PartnerOrganisation,
    PartnerToken,
    ProcessingStatus,
    Video,
)

PASSWORD = "motdepasse-de-test-42"

#: The matrix's tiers, in order; "withdrawn" and "draft" are states, not tiers.
MATRIX_TIERS = ("public", "network", "internal", "withdrawn", "draft")
REQUESTERS = ("anonymous", "partner_session", "partner_token", "editor_a", "editor_b", "national")


@dataclass
class MatrixItem:
    """One film or guide of coordination A, in one state of the matrix."""

    key: str
    kind: str  # "film" or "guide"
    state: str  # one of MATRIX_TIERS
    page: object
    image: object  # poster (film) or cover (guide)
    document: object = None  # guides only
    #: Images processing derives from the item's assets, by name: a film's "video_poster"
    #: (its video's poster frame), a guide's "document_thumbnail" (its PDF's first page).
    #: Built only when asked for (`build_network(derived_images=True)`).
    derived: dict = field(default_factory=dict)


@dataclass
class Network:
    home: object
    index: object
    coord_a: object
    coord_b: object
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # requester name -> plaintext bearer token
    items: list = field(default_factory=list)


def french():
    return Locale.objects.get_or_create(language_code="fr")[0]


def build_home():
    """A French home page as the default site's root, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=french()).first()
    if home is None:
        for page in root.get_children().exact_type(Page):
            page.delete()
        home = root.add_child(instance=HomePage(title="Accueil", slug="accueil", locale=french()))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def make_image(title, collection=None, colour=(40, 90, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), colour).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(ContentFile(buffer.getvalue()), name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def make_pdf(title, collection=None):
    """A one-page PDF written by hand: enough for Wagtail's document model."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    document = get_document_model()(title=title, language="fr")
    if collection is not None:
        document.collection = collection
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(body), save=False)
    document.save()
    return document


def make_video(title, collection=None, poster=None):
    """A ready video row with a token master file (nothing reads it) and, optionally, its poster frame."""
    video = Video(title=title, status=ProcessingStatus.READY, poster=poster)
    if collection is not None:
        video.collection = collection
    video.file.save("master.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    return video


def make_consent(coordination, scope, *, withdrawn=False, expires_on=None, label="Consentement"):
    today = timezone.localdate()
    return ConsentRecord.objects.create(
        label=label,
        coordination=coordination,
        scope=scope,
        granted_on=today - datetime.timedelta(days=400) if scope != ConsentScope.NONE else None,
        expires_on=expires_on,
        withdrawn_on=today - datetime.timedelta(days=1) if withdrawn else None,
        withdrawal_reason="Demande d'une famille" if withdrawn else "",
    )


def make_film(coordination, title, access_tier, consent, *, publish=True, poster=None, slug=None, video=None):
    film = FilmPage(
        title=title,
        slug=slug or slugify(title),
        locale=coordination.locale,
        synopsis=f"Synopsis de {title}",
        year=2024,
        access_tier=access_tier,
        consent=consent,
        poster=poster,
        video=video,
        live=publish,  # a new page is live unless told otherwise; the admin creates drafts as not live
    )
    coordination.add_child(instance=film)
    revision = film.save_revision()
    if publish:
        revision.publish()
    film.refresh_from_db()
    return film


def make_guide(coordination, title, access_tier, *, publish=True, cover=None, document=None, slug=None):
    guide = GuidePage(
        title=title,
        slug=slug or slugify(title),
        locale=coordination.locale,
        summary=f"Résumé de {title}",
        access_tier=access_tier,
        cover=cover,
        live=publish,
    )
    if document is not None:
        guide.documents = [GuideDocumentLink(document=document, language="fr")]
    coordination.add_child(instance=guide)
    revision = guide.save_revision()
    if publish:
        revision.publish()
    guide.refresh_from_db()
    return guide


def make_user(username, *groups, is_superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=username.capitalize(),
        is_superuser=is_superuser,
    )
    user.groups.add(*groups)
    return user


def make_partner(coordination, user, name="Maison des jeunes"):
    organisation = PartnerOrganisation.objects.create(name=name, coordination=coordination)
    organisation.members.add(user)
    return organisation


def make_token(user, organisation, *, expires_at=None):
    """A partner's bearer token: Wagtail's APIToken tied to the organisation."""
    api_token, plaintext = APIToken.create_token(user=user, name=f"Portail {organisation.name}")
    PartnerToken.objects.create(api_token=api_token, organisation=organisation, expires_at=expires_at)
    return plaintext


def build_coordinations(home):
    index = home.add_child(instance=CoordinationIndexPage(title="Coordinations", slug="coordinations"))
    index.save_revision().publish()
    coordinations = []
    for title, slug in (("Coordination Alpha", "alpha"), ("Coordination Bêta", "beta")):
        page = index.add_child(instance=CoordinationPage(title=title, slug=slug, region="Test"))
        page.save_revision().publish()
        coordinations.append(page)
    setup_network(index, coordinations)
    for page in coordinations:
        page.refresh_from_db()
    return index, coordinations


def build_matrix_items(coordination, derived_images=False):
    """One film and one guide of `coordination` per state of the matrix (no guide is "withdrawn").

    With `derived_images`, each film has a video with a poster frame and each
    guide document a first-page thumbnail, as processing leaves them.
    """
    collection = coordination_collection(coordination)
    items = []
    consent_for = {
        "public": ConsentScope.PUBLIC,
        "network": ConsentScope.PUBLIC,
        "internal": ConsentScope.PUBLIC,
        "withdrawn": ConsentScope.PUBLIC,
        "draft": ConsentScope.PUBLIC,
    }
    tier_for = {"public": Tier.PUBLIC, "network": Tier.NETWORK, "internal": Tier.INTERNAL}
    for state in MATRIX_TIERS:
        tier = tier_for.get(state, Tier.PUBLIC)
        poster = make_image(f"Affiche {state}", collection)
        consent = make_consent(coordination, consent_for[state], label=f"Consentement {state}")
        derived, video = {}, None
        if derived_images:
            derived["video_poster"] = make_image(f"Image du film {state}", collection, colour=(90, 160, 40))
            video = make_video(f"Vidéo {state}", collection, poster=derived["video_poster"])
        film = make_film(
            coordination, f"Film {state}", tier, consent, publish=state != "draft", poster=poster, video=video
        )
        if state == "withdrawn":
            # Withdrawn after publication, as in real life: the page was public.
            consent.withdrawn_on = timezone.localdate() - datetime.timedelta(days=1)
            consent.withdrawal_reason = "Demande d'une famille"
            consent.save()
        items.append(
            MatrixItem(key=f"film-{state}", kind="film", state=state, page=film, image=poster, derived=derived)
        )
        if state == "withdrawn":
            continue
        cover = make_image(f"Couverture {state}", collection, colour=(160, 90, 40))
        document = make_pdf(f"Guide {state} PDF", collection)
        derived = {}
        if derived_images:
            derived["document_thumbnail"] = make_image(f"Première page {state}", collection, colour=(40, 40, 40))
            document.thumbnail = derived["document_thumbnail"]
            document.processed_at = timezone.now()
            document.save(update_fields=["thumbnail", "processed_at"])
        guide = make_guide(
            coordination, f"Guide {state}", tier, publish=state != "draft", cover=cover, document=document
        )
        items.append(
            MatrixItem(
                key=f"guide-{state}",
                kind="guide",
                state=state,
                page=guide,
                image=cover,
                document=document,
                derived=derived,
            )
        )
    return items


def build_network(with_items=True, derived_images=False):
    """The whole matrix network; returns a `Network` (users, plaintext tokens, items)."""
    home = build_home()
    index, (coord_a, coord_b) = build_coordinations(home)
    partners = Group.objects.get(name=PARTNERS_GROUP)
    national = Group.objects.get(name=NATIONAL_GROUP)
    network = Network(home=home, index=index, coord_a=coord_a, coord_b=coord_b)
    network.users["partner_session"] = make_user("partenaire", partners)
    make_partner(coord_a, network.users["partner_session"])
    token_user = make_user("portail", partners)
    network.tokens["partner_token"] = make_token(token_user, make_partner(coord_a, token_user, name="Cinéma Le Lux"))
    network.users["partner_token"] = token_user
    network.users["editor_a"] = make_user("editrice-a", coord_a.editors_group)
    network.users["editor_b"] = make_user("editeur-b", coord_b.editors_group)
    network.users["national"] = make_user("national", national)
    if with_items:
        network.items = build_matrix_items(coord_a, derived_images=derived_images)
    return network


def matrix_items(network):
    """The matrix's items, as (key, kind, state, page id, image id, document id) for other modules' surfaces."""
    return [
        (item.key, item.kind, item.state, item.page.pk, item.image.pk, item.document.pk if item.document else None)
        for item in network.items
    ]


#: Who may see an item in each state, on surfaces that honour the requester's identity
#: (live items only; "draft" is visible to nobody outside the admin).
EXPECTED_VISIBLE = {
    "public": set(REQUESTERS),
    "network": {"partner_session", "partner_token", "editor_a", "editor_b", "national"},
    "internal": {"editor_a", "national"},
    "withdrawn": {"editor_a", "national"},
    "draft": set(),
}
