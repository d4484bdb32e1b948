"""Demo user accounts: regional editors, a national editor and a partner.

Credentials are printed only when DEBUG is on; outside DEBUG passwords are
random and never shown (set one with `manage.py changepassword`).
"""

import secrets

from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.demo.coordinations import demo_coordinations

DEMO_PASSWORD = "passeurs-demo"  # noqa: S105 - printed demo credential, DEBUG only

#: Regional editors: one account for each coordination known by name.
REGIONAL_EDITORS = [
    ("editeur-idf", "Inès", "Durand", "ile-de-france"),
    ("editeur-hdf", "Hugo", "Lefebvre", "hauts-de-france"),
    ("editeur-cvl", "Claire", "Martin", "centre-val-de-loire"),
    ("editeur-occitanie", "Omar", "Benali", "occitanie"),
    ("editeur-paca", "Paula", "Rossi", "provence-alpes-cote-d-azur"),
    ("editeur-alsace", "Anna", "Muller", "alsace"),
    ("editeur-champagne", "Chloé", "Petit", "champagne-ardenne"),
    ("editeur-auvergne", "Jules", "Roux", "auvergne"),
    ("editeur-bfc", "Bastien", "Girard", "bourgogne-franche-comte"),
]
NATIONAL_EDITOR = ("editeur-national", "Nadia", "Moreau")
PARTNER_USER = ("partenaire-demo", "Paul", "Bernard")
#: The partner's log-in to the partner space (by e-mail, already verified).
PARTNER_EMAIL = "partenaire@mjc-exemple.fr"


def _password():
    return DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(24)


def ensure_user(username, first_name, last_name, groups):
    """Create the user once with the given groups; return (user, created)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if created:
        user = user_model.objects.create_user(
            username,
            email=f"{username}@example.org",
            password=_password(),
            first_name=first_name,
            last_name=last_name,
        )
    user.groups.add(*groups)
    return user, created


def build_accounts(stdout):
    _index, coordinations = demo_coordinations()
    by_slug = {page.slug: page for page in coordinations}
    created = 0
    for username, first, last, slug in REGIONAL_EDITORS:
        coordination = by_slug[slug]
        _user, new = ensure_user(username, first, last, [coordination.editors_group])
        created += new
    _user, new = ensure_user(*NATIONAL_EDITOR, [Group.objects.get(name=NATIONAL_GROUP)])
    created += new
    partner, new = ensure_user(*PARTNER_USER, [Group.objects.get(name=PARTNERS_GROUP)])
    created += new
    ensure_verified_email(partner, PARTNER_EMAIL)
    stdout.write(f"Accounts: {created} created.")
    if settings.DEBUG:
        names = [spec[0] for spec in REGIONAL_EDITORS] + [NATIONAL_EDITOR[0]]
        stdout.write(f"Editor logins (password {DEMO_PASSWORD}): {', '.join(names)}")
        stdout.write(f"Partner login: {PARTNER_USER[0]} / {DEMO_PASSWORD}")
        stdout.write(f"Partner space login (e-mail): {PARTNER_EMAIL} / {DEMO_PASSWORD}")


def ensure_verified_email(user, email):
    """Give `user` the e-mail address `email`, verified and primary, as the partner space's log-in expects."""
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).exclude(email=email).delete()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def regional_editor(coordination_slug):
    """The demo editor of a coordination, if the demo has one."""
    username = next((spec[0] for spec in REGIONAL_EDITORS if spec[3] == coordination_slug), None)
    return get_user_model().objects.filter(username=username).first() if username else None
