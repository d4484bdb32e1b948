"""django-axes for partner log-ins: who an attempt is counted against, and the 429 a locked-out client gets.

allauth authenticates partners with an `email` credential, which axes does
not read by itself: `attempted_username` gives it the address (lower-cased,
so `Ana@x.fr` and `ana@x.fr` share one count), or the admin's user name.
A locked-out client on the headless API (`/_allauth/`) gets allauth's JSON
error form with status 429 and `Retry-After`; the admin's pages keep their
own answer (`cms.security.lockout`).
"""

import math

from django.http import JsonResponse

from cms.security.lockout import STATUS, lockout_response, time_left
from cms.security.messages import too_many_attempts

HEADLESS_PREFIX = "/_allauth/"


def attempted_username(request, credentials=None):
    credentials = credentials or {}
    username = credentials.get("username") or credentials.get("email")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) and "@" in username else username


def partner_lockout_response(request, original_response=None, credentials=None):
    if not request.path.startswith(HEADLESS_PREFIX):
        return lockout_response(request, original_response, credentials)
    wait = time_left(request, credentials)
    message = too_many_attempts(wait)
    response = JsonResponse(
        {"status": STATUS, "errors": [{"message": message, "code": "too_many_login_attempts"}]}, status=STATUS
    )
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response
