"""Demo partner organisations, the partner account's API token and a download history.

The token's plaintext exists only at creation: it is printed then, and only
when DEBUG is on; later runs find the token by name and print nothing. The
download history (a few months of events) gives the downloads report
something to chart.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from library.admin.partners import issue_token
from library.demo.accounts import PARTNER_USER
from library.demo.coordinations import demo_coordinations
from library.models import DownloadEvent, FilmPage, PartnerOrganisation

# (name, kind, coordination slug, commune)
ORGANISATIONS = [
    ("Cinéma de quartier des Lilas", PartnerOrganisation.Kind.CINEMA, "ile-de-france", "Montreuil"),
    ("Maison des jeunes du bassin minier", PartnerOrganisation.Kind.YOUTH, "hauts-de-france", "Lens"),
    ("Médiathèque des bords de Loire", PartnerOrganisation.Kind.LIBRARY, "centre-val-de-loire", "Blois"),
    ("Mission locale Garonne", PartnerOrganisation.Kind.MISSION_LOCALE, "occitanie", "Toulouse"),
    ("Centre social du Vieux-Port", PartnerOrganisation.Kind.SOCIAL_CENTRE, "provence-alpes-cote-d-azur", "Marseille"),
]
TOKEN_LABEL = "Portail partenaire (démo)"  # noqa: S105 - a label, not a secret
DOWNLOADS = 120


def build_partners(stdout):
    _index, pages = demo_coordinations()
    coordinations = {page.slug: page for page in pages}
    user = get_user_model().objects.get(username=PARTNER_USER[0])
    plaintext = None
    with transaction.atomic():
        organisations = []
        for name, kind, slug, commune in ORGANISATIONS:
            organisation, _ = PartnerOrganisation.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "coordination": coordinations[slug],
                    "commune": commune,
                    "contact_name": "Accueil",
                    "contact_email": "contact@example.org",
                },
            )
            organisations.append(organisation)
        first = organisations[0]
        first.members.add(user)
        if not first.tokens.filter(api_token__name=TOKEN_LABEL).exists():
            expires_at = timezone.now() + datetime.timedelta(days=365)
            _token, plaintext = issue_token(first, user, TOKEN_LABEL, expires_at)
        events = _download_history(organisations, user)
    stdout.write(f"Partners: {len(organisations)} organisations, {events} download events created.")
    if plaintext and settings.DEBUG:
        stdout.write(f"Partner API token ({PARTNER_USER[0]}), shown once: {plaintext}")


def _download_history(organisations, user):
    """Spread downloads of live films over the last six months, once."""
    if DownloadEvent.objects.filter(organisation__in=organisations).exists():
        return 0
    films = list(FilmPage.objects.live().filter(locale__language_code="fr").order_by("pk"))
    if not films:
        return 0
    rng = random.Random(7)
    now = timezone.now()
    events = []
    for _n in range(DOWNLOADS):
        film = rng.choice(films)
        events.append(
            DownloadEvent(
                organisation=rng.choice(organisations),
                user=user,
                page=film,
                coordination_id=film.coordination_id,
                item_title=film.title,
                rendition=rng.choice(["master", "720p", "360p"]),
                created_at=now - datetime.timedelta(days=rng.randrange(0, 180), hours=rng.randrange(0, 24)),
            )
        )
    DownloadEvent.objects.bulk_create(events)
    return len(events)
