"""The permission-matrix network: the library tests' shared scenario, built through `tests.factories`.

A home page, the coordinations index, two coordinations A and B with their
editors' groups, the national group and workflow (through
`library.access.network`), partner users and tokens, and for coordination A
one film and one guide of each tier of the permission matrix. Media go
through the storage API, so they land on the S3 test server like production
media.

`matrix_items(network)` lists the matrix's items, so that modules adding
surfaces (the library API, embeds...) sweep the same data.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone

from library.access.network import coordination_collection
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from tests.factories import (
    build_coordinations,
    build_home,
    make_consent,
    make_film,
    make_guide,
    make_image,
    make_partner,
    make_pdf,
    make_token,
    make_user,
    make_video,
    withdraw_consent,
)

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
        poster = make_image(f"Affiche {state}", collection=collection)
        consent = make_consent(coordination, consent_for[state], label=f"Consentement {state}")
        derived, video = {}, None
        if derived_images:
            derived["video_poster"] = make_image(f"Image du film {state}", collection=collection, colour=(90, 160, 40))
            video = make_video(f"Vidéo {state}", collection=collection, poster=derived["video_poster"])
        film = make_film(
            coordination, f"Film {state}", tier, consent, live=state != "draft", poster=poster, video=video
        )
        if state == "withdrawn":
            # Withdrawn after publication, as in real life: the page was public.
            withdraw_consent(consent)
        items.append(
            MatrixItem(key=f"film-{state}", kind="film", state=state, page=film, image=poster, derived=derived)
        )
        if state == "withdrawn":
            continue
        cover = make_image(f"Couverture {state}", collection=collection, colour=(160, 90, 40))
        document = make_pdf(f"Guide {state} PDF", collection=collection)
        derived = {}
        if derived_images:
            derived["document_thumbnail"] = make_image(
                f"Première page {state}", collection=collection, colour=(40, 40, 40)
            )
            document.thumbnail = derived["document_thumbnail"]
            document.processed_at = timezone.now()
            document.save(update_fields=["thumbnail", "processed_at"])
        guide = make_guide(coordination, f"Guide {state}", tier, live=state != "draft", cover=cover, document=document)
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
