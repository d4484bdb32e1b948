"""Who is calling the API: a partner's bearer token, a partner's session, an editor's session, or nobody.

Wagtail's `BearerTokenAuth` resolves the token; `PartnerBearerAuth` applies
the project's token rule on top: a revoked or expired token, or one whose
user is no longer a member of its organisation, is refused with a 401
(instead of silently falling back to anonymous, which would hide a
misconfigured portal), and every accepted partner request counts against its
organisation's rate limit. A token with no partner row (made in Wagtail's
own token UI) serves editors only. The token's partner row and the
membership come in the same query. `apply_token_rule` puts that one class
in place of Wagtail's on every route of the API object, Wagtail's own v3
routes included, and refuses to start if one is left.

`PartnerSessionAuth` reads the partner space's session: the
`X-Session-Token` header that django-allauth's headless API (`/_allauth/app/`)
hands out at log-in. The session's user acts exactly as its organisation's
token would: the same access rule, the same rate limit, downloads logged to
the organisation. A session that is unknown or expired, whose account was
deactivated or whose organisation is no longer in force is refused with a
401 on its next request, never served as anonymous.

Editors' sessions are accepted on the library's read endpoints so they can
preview what their permissions allow; those responses are never cached
publicly (see `cms.caching`).
"""

from collections.abc import Sequence

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from library.access.rules import Requester, is_partner_account, partner_organisations, token_is_usable
from library.api.ratelimit import check_requests
from library.models import PartnerOrganisation

#: Marker returned for anonymous callers (Ninja needs a truthy auth result).
ANONYMOUS = "anonymous"


class PartnerBearerAuth(BearerTokenAuth):
    """`Authorization: Bearer <token>` for partner portals; 401 if the token is unusable."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise HttpError(401, str(_("Use an Authorization header of the form “Bearer <token>”.")))
        return self.authenticate(request, key.strip())

    def authenticate(self, request, token):
        api_token = find_token(token)
        if api_token is None or not token_is_usable(api_token):
            request.user = AnonymousUser()
            raise HttpError(401, str(_refusal(api_token)))
        request.user = api_token.user
        partner = getattr(api_token, "partner", None)
        if partner is not None:
            check_requests(partner.organisation)
        self._touch_last_used(api_token)
        return api_token


def _refusal(api_token):
    """Why a token is refused: a live token of no partner organisation is an editor's tool."""
    live = api_token is not None and api_token.revoked_at is None and api_token.user and api_token.user.is_active
    if live and getattr(api_token, "partner", None) is None:
        return _("This token was not issued to a partner organisation: only editors may use such a token.")
    return _("This token is unknown, revoked or expired.")


def find_token(token):
    """The unrevoked APIToken of a plaintext token, with its user, partner row and membership; None if unknown."""
    if not APIToken.validate_token_format(token):
        return None
    membership = PartnerOrganisation.members.through.objects.filter(
        partnerorganisation_id=OuterRef("partner__organisation_id"), user_id=OuterRef("user_id")
    )
    return (
        APIToken.objects.select_related("user", "partner__organisation")
        .annotate(in_organisation=Exists(membership))
        .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
        .first()
    )


#: The one instance every bearer-token route of the API object authenticates with.
PARTNER_BEARER = PartnerBearerAuth()


def apply_token_rule(api):
    """Make every route of `api` that reads a bearer token read it through `PartnerBearerAuth`.

    Wagtail's v3 routers give each operation its own `BearerTokenAuth()`,
    which knows nothing of expiry dates, organisations or rate limits, and
    Ninja lets an operation's auth override the API's and the router's. So,
    once every router is mounted, each operation's Wagtail token auth is
    swapped for the project's; `AllowAnonymous` and the session auth stay
    where they were. Ninja binds operations here, so call this last (Ninja
    refuses a router added afterwards).
    """
    for operation in bound_operations(api):
        operation.auth_callbacks = [
            PARTNER_BEARER if isinstance(callback, BearerTokenAuth) else callback
            for callback in operation.auth_callbacks
        ]
    left = [operation for operation in bound_operations(api) if reads_bare_bearer_token(operation)]
    if left:
        raise ImproperlyConfigured(f"Operations still on Wagtail's BearerTokenAuth: {left}")


def bound_operations(api):
    """Every operation of `api`, as Ninja bound them for its URLs.

    Ninja has no public API for this: it reads `_get_bound_routers()`, each
    bound router's `path_operations` and each operation's `auth_callbacks`.
    If a Ninja upgrade changes them, this raises at start-up instead of
    leaving routes on Wagtail's bare token auth.
    """
    try:
        path_views = [view for bound in api._get_bound_routers() for view in bound.path_operations.values()]
        operations = [operation for view in path_views for operation in view.operations]
    except (AttributeError, TypeError) as error:
        raise ImproperlyConfigured(f"Ninja's bound routers can no longer be walked: {error}") from error
    if not operations:
        raise ImproperlyConfigured("Ninja's bound routers hold no operation: the token rule cannot be applied.")
    for operation in operations:
        callbacks = getattr(operation, "auth_callbacks", None)
        if not isinstance(callbacks, Sequence) or isinstance(callbacks, str):
            raise ImproperlyConfigured(f"Ninja's operations no longer keep their auth in auth_callbacks: {operation}")
    return operations


def reads_bare_bearer_token(operation):
    """Whether an operation authenticates with Wagtail's `BearerTokenAuth` rather than the project's."""
    return any(
        isinstance(callback, BearerTokenAuth) and not isinstance(callback, PartnerBearerAuth)
        for callback in operation.auth_callbacks
    )


class PartnerSessionAuth(XSessionTokenAuth):
    """`X-Session-Token: <session token>` of a partner account logged in through `/_allauth/app/v1/auth/login`."""

    openapi_in = "header"
    openapi_name = "X-Session-Token"
    openapi_description = (
        "A partner account's session: `meta.session_token` of `POST /_allauth/app/v1/auth/login` "
        "(django-allauth's headless API, app client)."
    )

    def __call__(self, request):
        if not self.get_session_token(request):
            return None
        user = super().__call__(request)
        if user is None or not is_partner_account(user):
            request.user = AnonymousUser()
            raise HttpError(401, str(_("This session is unknown, expired or no longer allowed: log in again.")))
        check_requests(partner_organisations(user).first())
        return user


#: The one instance every route that takes a partner session authenticates with.
PARTNER_SESSION = PartnerSessionAuth()


class SessionOrAnonymous(APIKeyCookie):
    """Editors' sessions (for preview) or anonymous visitors; never fails.

    Documented in OpenAPI as the session cookie; `READ_SECURITY` adds the
    empty requirement that says anonymous calls are accepted too.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        request.user = AnonymousUser()
        return ANONYMOUS


#: The auth of every read endpoint: token first, then the partner's session, then an editor's, then anonymous.
READ_AUTH = [PARTNER_BEARER, PARTNER_SESSION, SessionOrAnonymous()]
#: The partner space's own routes: a partner's token or session, nothing else.
PARTNER_AUTH = [PARTNER_BEARER, PARTNER_SESSION]
#: `openapi_extra` of those endpoints: Ninja lists the token and the session; `{}` adds "or nothing at all".
READ_SECURITY = {"security": [{}]}


def requester_for(request):
    """The `library.access.rules.Requester` of a request, built once and kept on it."""
    requester = getattr(request, "_library_requester", None)
    if requester is None:
        requester = Requester.from_request(request)
        request._library_requester = requester
    return requester
