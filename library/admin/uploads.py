"""JSON endpoints of the uploader (library/static/library/js/uploader.js).

Every endpoint answers JSON, errors included (`{"error": ..., "code": ...}`
with a 4xx/5xx status), so the uploader can show the message next to the
file. A session belongs to the editor who started it; anybody else gets a
404. Nothing here reads a request body into memory: chunks are copied from
the request stream 1 MiB at a time.
"""

import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from library.access.asset_policies import video_permission_policy
from library.assets.media.errors import MediaError
from library.assets.uploads import finalize as flow
from library.assets.uploads.backends import get_backend, part_size_for
from library.models import UploadSession

LOCAL_CHUNK_SIZE = 8 * 1024 * 1024
STATUS_BY_CODE = {
    "too_large": 413,
    "storage_unavailable": 503,
    "database": 503,
    "gone": 410,
    "state": 409,
    "forbidden": 403,
}


def error_response(error):
    return JsonResponse(
        {"error": str(error), "code": error.code, "line": error.line}, status=STATUS_BY_CODE.get(error.code, 400)
    )


def _json_body(request, limit=64 * 1024):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise MediaError(_("The request is too large."), code="invalid")
    try:
        data = json.loads(request.read(length) or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise MediaError(_("The request is not valid JSON."), code="invalid") from error
    if not isinstance(data, dict):
        raise MediaError(_("The request is not valid JSON."), code="invalid")
    return data


def _collections_for(user):
    return video_permission_policy.collections_user_has_permission_for(user, "add")


def describe(session):
    data = {
        "id": str(session.pk),
        "mode": session.mode,
        "state": session.state,
        "filename": session.original_filename,
        "size": session.size,
        "error": session.error,
        "urls": {
            "parts": reverse("library_uploads:parts", args=[session.pk]),
            "chunk": reverse("library_uploads:chunk", args=[session.pk]),
            "finalize": reverse("library_uploads:finalize", args=[session.pk]),
            "abort": reverse("library_uploads:abort", args=[session.pk]),
            "status": reverse("library_uploads:status", args=[session.pk]),
        },
    }
    if session.mode == UploadSession.Mode.S3:
        data["part_size"] = part_size_for(session.size)
    else:
        data["chunk_size"] = LOCAL_CHUNK_SIZE
    if session.video_id:
        data["video"] = {
            "id": session.video_id,
            "status": session.video.status,
            "edit_url": reverse("library_videos:edit", args=[session.video_id]),
        }
    return data


def _open_session(request, session_id):
    session = get_object_or_404(UploadSession.objects.select_related("video"), pk=session_id, user=request.user)
    if session.state != UploadSession.State.OPEN:
        raise MediaError(
            _("This upload is already finished (%(state)s).") % {"state": session.get_state_display()}, code="state"
        )
    return session


@require_POST
def create(request):
    try:
        data = _json_body(request)
        collections = _collections_for(request.user)
        collection_id = data.get("collection")
        if collection_id:
            collection = collections.filter(pk=collection_id).first()
        else:
            collection = collections.filter(depth=1).first() or collections.order_by("path").first()
        if collection is None:
            raise MediaError(_("You may not add videos to this collection."), code="forbidden")
        size = data.get("size")
        session = flow.start(
            user=request.user,
            collection=collection,
            filename=data.get("filename"),
            size=size if isinstance(size, int) and not isinstance(size, bool) else -1,
            title=str(data.get("title") or "")[:255],
        )
    except MediaError as error:
        return error_response(error)
    return JsonResponse(describe(session), status=201)


@require_GET
def status(request, session_id):
    """What the storage holds: for resuming after a dropped connection or a closed tab."""
    session = get_object_or_404(UploadSession.objects.select_related("video"), pk=session_id, user=request.user)
    data = describe(session)
    if session.state == UploadSession.State.OPEN:
        backend = get_backend()
        try:
            if session.mode == UploadSession.Mode.S3:
                data["parts"] = [{"number": p["PartNumber"], "size": p["Size"]} for p in backend.list_parts(session)]
            else:
                data["received"] = backend.received(session)
        except MediaError as error:  # includes a multipart upload that vanished (expired, aborted elsewhere)
            return error_response(error)
    return JsonResponse(data)


@require_POST
def parts(request, session_id):
    try:
        session = _open_session(request, session_id)
        if session.mode != UploadSession.Mode.S3:
            raise MediaError(_("This upload goes through the server, not to S3."), code="state")
        numbers = _json_body(request).get("parts") or []
        limit = -(-session.size // part_size_for(session.size))
        if not isinstance(numbers, list) or not numbers or len(numbers) > 100:
            raise MediaError(_("Ask for 1 to 100 parts at a time."), code="invalid")
        if any(not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= limit for n in numbers):
            raise MediaError(_("Part numbers go from 1 to %(limit)d.") % {"limit": limit}, code="invalid")
        urls = get_backend().sign_parts(session, numbers)
    except MediaError as error:
        return error_response(error)
    return JsonResponse({"urls": {str(number): url for number, url in urls.items()}})


@require_http_methods(["PUT"])
def chunk(request, session_id):
    try:
        session = _open_session(request, session_id)
        if session.mode != UploadSession.Mode.LOCAL:
            raise MediaError(_("This upload goes straight to S3."), code="state")
        try:
            offset = int(request.GET.get("offset", ""))
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise MediaError(_("The chunk has no valid offset or length."), code="invalid") from error
        if length <= 0 or length > LOCAL_CHUNK_SIZE or offset < 0:
            raise MediaError(_("Chunks are 1 byte to 8 MiB long."), code="invalid")
        received, accepted = get_backend().append(session, offset, request, length, session.size)
    except MediaError as error:
        return error_response(error)
    UploadSession.objects.filter(pk=session.pk).update(received=received)
    return JsonResponse({"received": received}, status=200 if accepted else 409)


@require_POST
def finalize(request, session_id):
    try:
        session = _open_session(request, session_id)
        flow.finalize(session)
    except MediaError as error:
        return error_response(error)
    session.refresh_from_db()
    return JsonResponse(describe(session))


@require_POST
def abort(request, session_id):
    try:
        session = _open_session(request, session_id)
        flow.abort(session)
    except MediaError as error:
        return error_response(error)
    return JsonResponse(describe(session))
