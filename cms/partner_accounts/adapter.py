"""allauth's account adapter for partner accounts: no sign-up, reset mails to partner accounts only.

Accounts are opened by the network's staff in the admin (a user, then a
member of a partner organisation), never by sign-up. A password reset asked
for an address that is not a partner account's sends nothing, with the same
answer as for any address (allauth's ACCOUNT_PREVENT_ENUMERATION): an
editor's password is reset in the admin, under its own throttling. Mails
name the network's public site (WAGTAIL_SITE_NAME, PUBLIC_SITE_URL), not the
host the API was called on.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter

from django.conf import settings

from library.access.rules import is_partner_account


def public_site():
    """The site the mails speak for: the network's public site, not the host the API was called on."""
    base = settings.PUBLIC_SITE_URL or settings.HEADLESS_FRONTEND_URLS["account_signup"]
    return SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(base).netloc)


class PartnerAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        super().send_mail(template_prefix, email, {**context, "current_site": public_site()})

    def send_password_reset_mail(self, user, email, context):
        if is_partner_account(user):
            super().send_password_reset_mail(user, email, context)
