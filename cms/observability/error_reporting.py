"""Error reports through Sentry (`SENTRY_DSN`), off by default, without secrets or personal data.

Reports say what broke and where, tagged with the request id of the log
line. They must not carry what lets someone act as a partner or an editor,
nor the personal data of the consent register: sentry-sdk is told not to send
personal data (`send_default_pii=False`: no user, no address, no cookies, no
request body), and `scrub` removes what still could: credential headers,
cookies, query strings (preview tokens, URL signatures) and local variables.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

#: Request headers never sent, whatever their case.
SECRET_HEADERS = {"authorization", "cookie", "x-session-token", "x-csrftoken", "proxy-authorization"}
REDACTED = "[removed]"


def scrub(event, hint=None):
    request = event.get("request") or {}
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            headers[name] = REDACTED
    for field in ("cookies", "data", "env"):
        request.pop(field, None)
    if request.get("query_string"):
        request["query_string"] = REDACTED
    if "url" in request:
        request["url"] = request["url"].split("?", 1)[0]
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def start(dsn, *, environment, release=None):
    """Start reporting when a DSN is set; called once from the settings."""
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=scrub,
    )
