"""`/api/v3/partner/`: the partner space of a logged-in partner (its account, downloads and API tokens).

Every route answers for the caller's organisation only (the token's, or the
session account's first organisation in force, `Requester.organisation`):
a member of organisation A never reads B's downloads, and B's tokens are
404 to A, as if they did not exist. The account and the history are read
with a partner's session (`X-Session-Token`) or its organisation's token;
tokens are created and revoked with a session only, so a portal's token
can never mint another one that would outlive it.

A token created here expires within a year (the expiry is required); its
secret is in the creation answer only. Revoking takes effect on the token's
next request (401). The session token is a header, not a cookie, so these
writes need no CSRF token.
"""

import datetime

from ninja import Query, Router
from ninja.errors import HttpError

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.api.v3.errors import ProblemDetail

from library.api.auth import PARTNER_AUTH, PARTNER_SESSION, requester_for
from library.api.filters import Page
from library.api.responses import not_found
from library.models import DownloadEvent, PartnerToken
from library.representation import partners as shown
from library.representation.partners import (
    CreatedPartnerToken,
    NewPartnerToken,
    PartnerAccount,
    PartnerDownloadList,
    PartnerTokenList,
)

router = Router(tags=["partner space"])

PROBLEMS = {401: ProblemDetail, 403: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail, 429: ProblemDetail}
#: The longest a token created in the partner space may live.
MAX_TOKEN_LIFETIME = datetime.timedelta(days=365)


def _organisation(request):
    """The caller and its organisation; 403 for an account of no organisation (an editor's token)."""
    requester = requester_for(request)
    if requester.organisation is None or not requester.is_partner:
        raise HttpError(403, _("This account belongs to no partner organisation."))
    return requester, requester.organisation


@router.get(
    "/me/",
    response={200: PartnerAccount, **PROBLEMS},
    auth=PARTNER_AUTH,
    url_name="partner_account",
    operation_id="getPartnerAccount",
    summary="The partner account and its organisation",
)
def get_partner_account(request):
    requester, organisation = _organisation(request)
    return {
        "user": shown.account_user(request.user),
        "organisation": shown.organisation(organisation),
        "authenticated_by": "token" if requester.api_token is not None else "session",
    }


@router.get(
    "/downloads/",
    response={200: PartnerDownloadList, **PROBLEMS},
    auth=PARTNER_AUTH,
    url_name="partner_downloads",
    operation_id="listPartnerDownloads",
    summary="The organisation's downloads, newest first",
)
def list_partner_downloads(request, params: Query[Page]):
    """Every download of the organisation (masters, renditions, guides, screening packs), by any of its members."""
    _requester, organisation = _organisation(request)
    events = DownloadEvent.objects.filter(organisation=organisation)
    page = events.select_related("user", "token").order_by("-created_at", "-pk")[
        params.offset : params.offset + params.limit
    ]
    return {"count": events.count(), "items": [shown.download(event) for event in page]}


def _tokens(organisation):
    return PartnerToken.objects.filter(organisation=organisation).select_related("api_token__user")


@router.get(
    "/tokens/",
    response={200: PartnerTokenList, **PROBLEMS},
    auth=PARTNER_AUTH,
    url_name="partner_tokens",
    operation_id="listPartnerTokens",
    summary="The organisation's API tokens",
)
def list_partner_tokens(request):
    """Every token of the organisation, revoked ones included, newest first; never their secrets."""
    _requester, organisation = _organisation(request)
    tokens = list(_tokens(organisation).order_by("-api_token__created", "-pk"))
    return {"count": len(tokens), "items": [shown.token(token) for token in tokens]}


@router.post(
    "/tokens/",
    response={201: CreatedPartnerToken, **PROBLEMS},
    auth=[PARTNER_SESSION],
    url_name="partner_token_create",
    operation_id="createPartnerToken",
    summary="Create an API token for the organisation (its secret is shown once)",
)
def create_partner_token(request, body: NewPartnerToken):
    _requester, organisation = _organisation(request)
    expires_at = body.expires_at
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    now = timezone.now()
    if expires_at <= now:
        raise HttpError(422, _("The expiry date must be in the future."))
    if expires_at > now + MAX_TOKEN_LIFETIME:
        raise HttpError(422, _("A token may last one year at most: choose an earlier expiry date."))
    partner_token, secret = PartnerToken.issue(organisation, request.user, body.name.strip(), expires_at)
    return 201, {**shown.token(partner_token), "secret": secret}


@router.delete(
    "/tokens/{token_id}/",
    response={204: None, **PROBLEMS},
    auth=[PARTNER_SESSION],
    url_name="partner_token_revoke",
    operation_id="revokePartnerToken",
    summary="Revoke one of the organisation's API tokens",
)
def revoke_partner_token(request, token_id: int):
    """Refused from its next request on; revoking a revoked token changes nothing. Another organisation's: 404."""
    _requester, organisation = _organisation(request)
    with transaction.atomic():
        partner_token = (
            _tokens(organisation).select_for_update(of=("self",)).filter(pk=token_id).first()
            if 0 < token_id <= 2**63 - 1
            else None
        )
        if partner_token is None:
            raise not_found()
        api_token = partner_token.api_token
        if api_token.revoked_at is None:
            api_token.revoked_at = timezone.now()
            api_token.save(update_fields=["revoked_at"])
    return 204, None
