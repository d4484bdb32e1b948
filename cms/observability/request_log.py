"""One line per request, with a request id that follows the request everywhere.

`RequestLogMiddleware` runs first: it takes the id a trusted proxy sent
(`X-Request-ID`, when it looks like an id) or makes one, puts it in a context
variable that every log record of the request carries (`RequestIdFilter`)
and that error reports are tagged with, answers it in `X-Request-ID`, and
logs the request once it is answered on `cms.requests`: method, path, status
and duration. The query string is left out: it can carry preview tokens and
URL signatures. No address is logged: partners' and visitors' addresses are
personal data the access line does not need.
"""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("cms.requests")

#: The id of the request being served in this thread or task ("-" outside a request).
request_id = contextvars.ContextVar("request_id", default="-")
#: What an id sent by a proxy may look like: anything else is replaced.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def incoming_id(request):
    sent = request.headers.get("X-Request-ID", "")
    return sent if VALID_ID.match(sent) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so formatters and handlers can print it."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        identifier = incoming_id(request)
        token = request_id.set(identifier)
        request.request_id = identifier
        started = time.monotonic()
        try:
            _tag_error_reports(identifier)
            response = self.get_response(request)
            response["X-Request-ID"] = identifier
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "http_method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _tag_error_reports(identifier):
    """The same id on any error report sent while this request is served (when reporting is on)."""
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is a runtime dependency
        return
    if sentry_sdk.get_client().is_active():
        sentry_sdk.get_isolation_scope().set_tag("request_id", identifier)
