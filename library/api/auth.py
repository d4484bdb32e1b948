"""Who is calling the library API: a partner's bearer token, an editor's session, or nobody.

Wagtail's `BearerTokenAuth` resolves the token; this subclass also refuses
revoked and expired partner tokens with a 401 (instead of silently falling
back to anonymous, which would hide a misconfigured portal), and loads the
token's partner row in the same query. Editors' sessions are accepted on the
read endpoints so they can preview what their permissions allow; those
responses are never cached publicly (see `cms.caching`).
"""

from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from library.access import Requester
from library.api.ratelimit import check_requests

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
        api_token = (
            APIToken.objects.select_related("user", "partner__organisation")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
            if APIToken.validate_token_format(token)
            else None
        )
        partner = getattr(api_token, "partner", None) if api_token else None
        user = api_token.user if api_token else None
        if user is None or not user.is_active or (partner is not None and not partner.is_valid):
            request.user = AnonymousUser()
            raise HttpError(401, str(_("This token is unknown, revoked or expired.")))
        request.user = user
        if partner is not None:
            check_requests(partner.organisation)
        self._touch_last_used(api_token)
        return api_token


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


#: The auth of every read endpoint: token first, then session, then anonymous.
READ_AUTH = [PartnerBearerAuth(), SessionOrAnonymous()]
#: `openapi_extra` of those endpoints: Ninja lists the token and the session; `{}` adds "or nothing at all".
READ_SECURITY = {"security": [{}]}


def requester_for(request):
    """The `library.access.Requester` of a request, built once and kept on it."""
    requester = getattr(request, "_library_requester", None)
    if requester is None:
        requester = Requester.from_request(request)
        request._library_requester = requester
    return requester
