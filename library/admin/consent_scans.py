"""Opening a scanned consent form in the admin: checked, logged, short-lived and never cached.

The forms are signed by the parents of minors. Only the editors who may edit
the record (its coordination's editors, with the register's "change"
permission) and national editors open one; anyone else gets Wagtail's refusal
(the log-in page when logged out, the dashboard with "permission denied"
otherwise), whatever ID they type.

Each opening writes a `ConsentScanAccess` row in the same transaction as the
answer that hands the file over: if the row cannot be written, no file is
served. The answer is never kept by a browser, a proxy or a CDN
(`Cache-Control: private, no-store`):

- on S3, a redirect to a URL signed for `SCAN_URL_SECONDS` that makes the
  bucket answer with the same `Cache-Control` and the original file name,
  once the bucket has said it holds the scan (`library.core.bucket.checked`: a
  missing scan is a 404, a bucket away a 503, and neither is logged);
- on local disk, the file itself, streamed in chunks (`library.core.ranged`).

The admin's link to this view is permanent; what it hands out is not.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from library.access.admin_visibility import coordination_scope
from library.core.bucket import checked
from library.core.ranged import content_disposition, ranged_response
from library.core.storage import is_s3
from library.models import ConsentForm
from library.models.consent import ConsentScanAccess

#: Lifetime of the signed URL of a scan on S3: long enough to follow the redirect, no more.
SCAN_URL_SECONDS = 60
NO_STORE = "private, no-store"
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def may_open_scans(user, record):
    """Whether `user` may open `record`'s scans: those who may edit the record (national editors: every one)."""
    if not (user.is_active and user.has_perm("library.change_consentrecord")):
        return False
    scope = coordination_scope(user)
    return scope is None or record.coordination_id in scope


def scan_content_type(name):
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def scan_filename(form):
    """The name the browser saves the scan under: the name it was uploaded with."""
    return form.original_filename or form.file.name.rsplit("/", 1)[-1]


def open_scan(request, pk):
    """The scan `pk`, shown in the browser, or saved when `?download=1`."""
    form = get_object_or_404(ConsentForm.objects.select_related("record"), pk=pk)
    if not form.file or not may_open_scans(request.user, form.record):
        raise PermissionDenied
    download = request.GET.get("download") == "1"
    if is_s3(form.file.storage):
        refused = checked(request, form.file.storage, form.file.name)  # a missing scan raises a 404
        if refused is not None:
            return refused  # the bucket is away: a 503, and nothing was opened
    with transaction.atomic():
        ConsentScanAccess.objects.create(
            user=request.user,
            user_label=request.user.get_username(),
            record=form.record,
            record_label=form.record.label,
            form=form,
            kind=ConsentScanAccess.Kind.DOWNLOAD if download else ConsentScanAccess.Kind.VIEW,
        )
        return _scan_response(request, form, attachment=download)


def _scan_response(request, form, attachment):
    storage, name = form.file.storage, form.file.name
    content_type = scan_content_type(name)
    filename = scan_filename(form)
    if is_s3(storage):
        parameters = {
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition(filename, attachment),
            "ResponseCacheControl": NO_STORE,
        }
        response = HttpResponseRedirect(storage.url(name, parameters=parameters, expire=SCAN_URL_SECONDS))
        response["Cache-Control"] = NO_STORE
        return response
    try:
        response = ranged_response(request, storage, name, filename, content_type, attachment)
    except FileNotFoundError:
        raise Http404 from None  # rolls the access row back with it: nothing was opened
    response["Cache-Control"] = NO_STORE
    return response
