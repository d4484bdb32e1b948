"""Partner accounts: log-in, log-out, password reset and e-mail verification through django-allauth's headless API.

The public site's partner space (`/espace-partenaires/`) talks to
`/_allauth/app/v1/...` as an "app" client and keeps the session token it is
given; the library API reads it from the `X-Session-Token` header
(`library.api.auth.PartnerSessionAuth`). Only partner accounts get in
(`library.access.rules.is_partner_account`): an editor's or staff account, a
deactivated one or one whose organisation lapsed is refused exactly like a
wrong password. Failures count in django-axes, with the admin's log-ins.
"""
