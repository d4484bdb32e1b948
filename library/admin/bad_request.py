"""Admin requests that a view cannot serve because of what was sent get a 4xx with a message, not a 500.

Some Wagtail and wagtail-localize views read a form field with
`request.POST[...]` / `request.FILES[...]` (the page copy view's parent page,
localize's PO file upload) or delete an object without asking whether
anything still points at it (the multiple upload's delete button, the
admin pages API's delete action, on a document a guide uses or a
coordination its partners and consent records belong to). The admin's own
screens always send those fields, and their delete screens say when an item
is in use; a forged or replayed request, or an item that came into use in
another tab, raised an exception Django answers with a 500.

`AdminBadRequestMiddleware` turns exactly these exception classes, raised
by a view under the admin's URL, into an answer:

- `MultiValueDictKeyError` (a field missing from the request): 400;
- `RequestRefusedError` (a project view checked a field and found it unusable,
  `library.admin.checked_posts`): 400 with its message;
- `ProtectedError` / `RestrictedError` (deleting an item in use; raised
  before anything is deleted, the request's transaction is untouched): 409.

Both mean "this request cannot be served as sent", whatever the view. Any
other exception still reaches Django's handler: it is a bug to fix, not to
hide. Requests that do not expect HTML (the admin API, the multiple upload's
XHR calls) get JSON in Wagtail's shape (`success`, `error_message`).
"""

from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

TEMPLATE = "library/admin/bad_request.html"


class RequestRefusedError(Exception):
    """Raised by a project view that checked what was sent and found it unusable; answered with a 400 and its message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _answer(exception):
    """(status, message) for an exception that means the request cannot be served as sent, else None."""
    if isinstance(exception, RequestRefusedError):
        return 400, exception.message
    if isinstance(exception, MultiValueDictKeyError):
        field = exception.args[0] if exception.args else ""
        return 400, _("This form is missing a field (%(field)s). Reload the page and try again.") % {"field": field}
    if isinstance(exception, ProtectedError | RestrictedError):
        return 409, _("This item is in use and cannot be deleted: remove it from where it is used first.")
    return None


def _expects_json(request, api_prefix):
    return (
        request.path_info.startswith(api_prefix)
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or not request.accepts("text/html")
    )


class AdminBadRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    @cached_property
    def api_prefix(self):
        """The admin API (`/admin/api/main/...`), the parent of its pages endpoint."""
        return reverse("wagtailadmin_api:pages:listing").rstrip("/").rsplit("/", 1)[0] + "/"

    def process_exception(self, request, exception):
        if not request.path_info.startswith(self.admin_prefix):
            return None
        answer = _answer(exception)
        if answer is None:
            return None
        status, message = answer
        if _expects_json(request, self.api_prefix):
            return JsonResponse({"success": False, "error_message": message}, status=status)
        title = _("Request refused")
        context = {"message": message, "page_title": title, "header_title": title}
        return TemplateResponse(request, TEMPLATE, context, status=status)
