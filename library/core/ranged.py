"""File responses for private files: a short-lived signed URL on S3, a ranged stream on disk.

On S3 the object is asked for first (`library.core.bucket.checked`), so no
URL is handed out that cannot load: a missing object is a 404 and a bucket
away a 503 with `Retry-After`.

Django's `FileResponse` ignores `Range`, so resuming a 2 GB master on local
disk would restart it from zero; `ranged_response` answers one byte range
with 206 and reads the file in fixed-size chunks (constant memory).
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse

from library.core.bucket import checked
from library.core.storage import is_s3

#: Signed URLs never live longer than this, whatever AWS_QUERYSTRING_EXPIRE says.
MAX_SIGNED_URL_SECONDS = 300
CHUNK_SIZE = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def content_disposition(filename, attachment=True):
    """RFC 6266: an ASCII `filename` fallback and the exact name in `filename*` (RFC 5987)."""
    kind = "attachment" if attachment else "inline"
    fallback = _UNSAFE.sub("_", filename.encode("ascii", "ignore").decode()).strip() or "download"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def signed_url_seconds():
    return min(getattr(settings, "AWS_QUERYSTRING_EXPIRE", MAX_SIGNED_URL_SECONDS), MAX_SIGNED_URL_SECONDS)


def deliver(request, storage, name, filename, content_type, attachment=True, started=None):
    """Serve `name` from `storage`: 302 to a signed URL on S3, a ranged stream otherwise.

    `started`, when given, is called once the transfer is known to start
    (on S3: the object is there and the bucket answers), before the answer
    is made: a download is counted and logged there, so a 503 counts for
    nothing. It may raise (a quota's 429).
    """
    if is_s3(storage):
        refused = checked(request, storage, name)
        if refused is not None:
            return refused
        if started is not None:
            started()
        parameters = {"ResponseContentType": content_type}
        if attachment:
            parameters["ResponseContentDisposition"] = content_disposition(filename)
        url = storage.url(name, parameters=parameters, expire=signed_url_seconds())
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    if started is not None:
        started()
    return ranged_response(request, storage, name, filename, content_type, attachment)


def _chunks(handle, start, length):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK_SIZE, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def ranged_response(request, storage, name, filename, content_type, attachment=True):
    size = storage.size(name)
    start, end = 0, size - 1
    status = 200
    header = request.headers.get("Range", "")
    if header:
        match = _RANGE.match(header.strip())
        if not match or (not match[1] and not match[2]):
            return _unsatisfiable(size)
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # "bytes=-N": the last N bytes
            start = max(size - int(match[2]), 0)
        if start >= size or start > end:
            return _unsatisfiable(size)
        status = 206
    length = end - start + 1
    response = StreamingHttpResponse(
        _chunks(storage.open(name, "rb"), start, length), status=status, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition(filename, attachment)
    response["Cache-Control"] = "private, no-store"
    return response


def _unsatisfiable(size):
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response
