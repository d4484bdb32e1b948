"""The two places an upload can go, behind one small interface.

`S3Uploads` drives a multipart upload in the private bucket (create, sign
part URLs, list parts for resume, complete, abort); `LocalUploads` appends
chunks to a file next to the private storage root and renames it into place
at the end. Both can read the stored object back for the finalize checks:
the S3 one through ranged GETs, so only the bytes a probe needs cross the
network.

boto3 is imported only by the S3 backend: a worker that stores on local
disk never loads it.
"""

import contextlib
import os
from pathlib import Path

from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError
from library.core.storage import is_s3, private_storage

MIB = 1024 * 1024
MIN_PART_SIZE = 8 * MIB
MAX_PARTS = 9000
PRESIGNED_EXPIRY = 6 * 3600
LOCAL_READ_SIZE = MIB
MISSING_CODES = ("NoSuchUpload", "NoSuchKey", "404")


def storage_unavailable(error):
    return MediaError(
        _("The file storage cannot be reached right now; nothing was saved. Try again in a few minutes."),
        code="storage_unavailable",
    )


def part_size_for(size):
    """Parts of at least 8 MiB, few enough to stay under S3's 10,000-part limit."""
    size_needed = -(-size // MAX_PARTS)
    if size_needed <= MIN_PART_SIZE:
        return MIN_PART_SIZE
    return -(-size_needed // MIB) * MIB


def upload_gone():
    return MediaError(_("This upload no longer exists on the storage; start it again."), code="gone")


def get_backend():
    if private_storage._wrapped is empty:
        private_storage._setup()
    storage = private_storage._wrapped
    return S3Uploads(storage) if is_s3(storage) else LocalUploads(storage)


@contextlib.contextmanager
def _unless_gone():
    """Ignore a missing upload or object: deleting what is already gone succeeds."""
    try:
        yield
    except MediaError as error:
        if error.code != "gone":
            raise


class S3Uploads:
    """Multipart uploads in the private bucket, through `S3Api` (botocore's signer, no boto3 client)."""

    mode = "s3"

    def __init__(self, storage):
        from library.assets.uploads.s3api import S3Api

        self.storage = storage
        self.bucket = storage.bucket_name
        # One per storage object, so connections are kept alive between requests.
        if getattr(storage, "_upload_api", None) is None:
            storage._upload_api = S3Api(storage)
        self.api = storage._upload_api

    def object_key(self, name):
        from storages.utils import clean_name

        return self.storage._normalize_name(clean_name(name))

    def _call(self, method, *args, **params):
        """Call the S3 API; a missing upload or object raises `upload_gone()`, any other failure 503."""
        from library.assets.uploads.s3api import S3Error

        try:
            return getattr(self.api, method)(*args, **params)
        except S3Error as error:
            if error.code in MISSING_CODES:
                raise upload_gone() from error
            raise storage_unavailable(error) from error

    def create(self, session):
        session.multipart_upload_id = self._call(
            "create_multipart_upload", self.object_key(session.key), "application/octet-stream"
        )

    def sign_parts(self, session, part_numbers):
        key = self.object_key(session.key)
        return {
            number: self.api.presign(
                "PUT",
                key,
                {"partNumber": str(number), "uploadId": session.multipart_upload_id},
                expires=PRESIGNED_EXPIRY,
            )
            for number in part_numbers
        }

    def list_parts(self, session):
        parts, marker = [], 0
        while marker is not None:
            page, marker = self._call(
                "list_parts", self.object_key(session.key), session.multipart_upload_id, marker=marker
            )
            parts.extend(page)
        return parts

    def complete(self, session):
        """Assemble the parts the server holds (listed by the server, not trusted from the browser).

        Returns the object's size, the sum of those parts (so no request on
        the assembled object is needed to know it), or None when an earlier
        finalize call had already completed it.
        """
        try:
            parts = self.list_parts(session)
        except MediaError as error:
            if error.code == "gone" and self.exists(session):  # completed by an earlier finalize that then failed
                return None
            raise
        if not parts:
            raise MediaError(_("No part of the file arrived; start the upload again."), code="incomplete")
        size = sum(part["Size"] for part in parts)
        if size != session.size:  # refused before assembling: nothing to read back, only parts to abort
            return size
        self._call(
            "complete_multipart_upload",
            self.object_key(session.key),
            session.multipart_upload_id,
            [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts],
        )
        return size

    def abort(self, session):
        if not session.multipart_upload_id:
            return
        with _unless_gone():  # already completed or aborted
            self._call("abort_multipart_upload", self.object_key(session.key), session.multipart_upload_id)

    def exists(self, session):
        try:
            self._call("head_object", self.object_key(session.key))
        except MediaError as error:
            if error.code == "gone":
                return False
            raise
        return True

    def stored_size(self, session):
        try:
            return self._call("head_object", self.object_key(session.key))
        except MediaError as error:
            if error.code == "gone":
                raise MediaError(_("The uploaded file cannot be found on the storage."), code="gone") from error
            raise

    def read_head(self, session, size):
        return self._call("get_range", self.object_key(session.key), 0, size - 1)

    def probe_source(self, session):
        """A short-lived presigned GET URL: the probe's child process reads the object by ranges."""
        return self.api.presign("GET", self.object_key(session.key), expires=600)

    def delete(self, session):
        with _unless_gone():
            self._call("delete_object", self.object_key(session.key))

    def place(self, session):
        """The object is already at its final key: nothing to move."""


class LocalUploads:
    mode = "local"

    def __init__(self, storage):
        self.storage = storage
        self.root = Path(storage.location)

    def partial_path(self, session):
        return self.root / "uploads-in-progress" / f"{session.pk}.part"

    def final_path(self, session):
        return Path(self.storage.path(session.key))

    def create(self, session):
        path = self.partial_path(session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def received(self, session):
        path = self.partial_path(session)
        return path.stat().st_size if path.exists() else 0

    def append(self, session, offset, stream, length, limit):
        """Append `length` bytes read from `stream` at `offset`, 1 MiB at a time.

        The offset must be where the file ends: a resumed upload first asks
        how much arrived, so a mismatch means two tabs or a replayed chunk.
        """
        path = self.partial_path(session)
        current = self.received(session)
        if offset != current:
            return current, False
        if current + length > limit:
            raise MediaError(_("The file is larger than announced."), code="too_large")
        written = 0
        with open(path, "ab") as handle:
            while written < length:
                chunk = stream.read(min(LOCAL_READ_SIZE, length - written))
                if not chunk:
                    break
                handle.write(chunk)
                written += len(chunk)
        return current + written, True

    def complete(self, session):
        if not self.partial_path(session).exists() and not self.final_path(session).exists():
            raise MediaError(_("This upload no longer exists; start it again."), code="gone")

    def current_path(self, session):
        final = self.final_path(session)
        return final if final.exists() else self.partial_path(session)

    def stored_size(self, session):
        return self.current_path(session).stat().st_size

    def read_head(self, session, size):
        with open(self.current_path(session), "rb") as handle:
            return handle.read(size)

    def probe_source(self, session):
        return str(self.current_path(session))

    def place(self, session):
        """Rename the finished file to its key: same filesystem, so atomic and instant."""
        final = self.final_path(session)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = self.partial_path(session)
        if partial.exists():
            os.replace(partial, final)

    def abort(self, session):
        self.partial_path(session).unlink(missing_ok=True)

    def delete(self, session):
        self.partial_path(session).unlink(missing_ok=True)
        self.final_path(session).unlink(missing_ok=True)
