"""The database away: 503 with `Retry-After`, never the 500 "server error" page.

Django hands every exception no view caught to `handler500`, wherever it was
raised (a view, the session or authentication middleware, the API's token
check). A database that refuses connections, drops them or does not answer
within `DATABASE_CONNECT_TIMEOUT` / `DATABASE_STATEMENT_TIMEOUT` raises
`OperationalError` or `InterfaceError`: that is a service briefly away, not a
bug, so clients are told to come back (`503`, `Retry-After`), API clients as
`application/problem+json` like every other API error, people with a page in
their language. Anything else keeps Django's 500 page.

Cached anonymous API answers are served before any of this
(`cms.caching.APICacheMiddleware` answers from the cache without a query).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from wagtail.api.v3.errors import problem_response

logger = logging.getLogger("cms.unavailable")

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(error):
    """True for the errors of a database that is away, however deep they were wrapped."""
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request, detail=None):
    """503 with `Retry-After`; `detail` says what is away to API clients (by default, the catalogue)."""
    if request.path.startswith("/api/"):
        response = problem_response(
            status=503,
            title=_("Service unavailable"),
            detail=detail or _("The catalogue cannot be read just now. Try again in a few seconds."),
        )
    else:
        # No request context: its processors (user, Wagtail settings) would query the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """`handler500`: a 503 when the database is away, Django's 500 page otherwise."""
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
