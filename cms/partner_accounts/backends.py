"""The authentication backend of partner log-ins: by e-mail, partner accounts only.

It answers only to credentials carrying an `email` and no `username`, as
allauth's log-in sends them; the admin's log-in (by user name) is left to
Django's `ModelBackend`. A right password on an account that is not a
partner account (an editor, a deactivated account, an organisation no
longer in force) is refused as a wrong one, so the partner log-in tells
nobody which addresses are staff accounts nor confirms their passwords. It
comes after axes' backend, so a locked-out client or address has no
password checked at all.

`get_user` applies the same rule to every request of a session it opened:
deactivate the account or end the partnership and its sessions are
anonymous from their next request.
"""

from allauth.account.auth_backends import AuthenticationBackend

from library.access.rules import is_partner_account


class PartnerEmailBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        if "email" not in credentials or credentials.get("username"):
            return None
        user = super().authenticate(request, **credentials)
        return user if is_partner_account(user) else None

    def user_can_authenticate(self, user):
        # Decided after the password check, in `authenticate`: allauth keeps a user refused here aside and
        # answers "account inactive", which would confirm the password.
        return True

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if is_partner_account(user) else None
