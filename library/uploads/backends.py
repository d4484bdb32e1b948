"""The two places an upload can go, behind one small interface.

`S3Uploads` drives a multipart upload in the private bucket (create, sign
part URLs, list parts for resume, complete, abort); `LocalUploads` appends
chunks to a file next to the private storage root and renames it into place
at the end. Both can read the stored object back for the finalize checks:
the S3 one through ranged GETs, so only the bytes a probe needs cross the
network.
"""

import contextlib
import os
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _

from library.media.errors import MediaError
from library.storage import private_storage

MIB = 1024 * 1024
MIN_PART_SIZE = 8 * MIB
MAX_PARTS = 9000
PRESIGNED_EXPIRY = 6 * 3600
LOCAL_READ_SIZE = MIB


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


def get_backend():
    if private_storage._wrapped is empty:
        private_storage._setup()
    storage = private_storage._wrapped
    return S3Uploads(storage) if isinstance(storage, S3Storage) else LocalUploads(storage)


class S3Uploads:
    mode = "s3"

    def __init__(self, storage):
        self.storage = storage
        self.client = storage.connection.meta.client
        self.bucket = storage.bucket_name

    def object_key(self, name):
        return self.storage._normalize_name(clean_name(name))

    def _call(self, method, **params):
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **params)
        except (BotoCoreError, ClientError) as error:
            if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in (
                "NoSuchUpload",
                "NoSuchKey",
                "404",
            ):
                raise
            raise storage_unavailable(error) from error

    def create(self, session):
        response = self._call(
            "create_multipart_upload", Key=self.object_key(session.key), ContentType="application/octet-stream"
        )
        session.multipart_upload_id = response["UploadId"]

    def sign_parts(self, session, part_numbers):
        key = self.object_key(session.key)
        return {
            number: self.client.generate_presigned_url(
                "upload_part",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "UploadId": session.multipart_upload_id,
                    "PartNumber": number,
                },
                ExpiresIn=PRESIGNED_EXPIRY,
            )
            for number in part_numbers
        }

    def list_parts(self, session):
        parts, marker = [], 0
        while True:
            response = self._call(
                "list_parts",
                Key=self.object_key(session.key),
                UploadId=session.multipart_upload_id,
                PartNumberMarker=marker,
            )
            parts.extend(
                {"PartNumber": part["PartNumber"], "ETag": part["ETag"], "Size": part["Size"]}
                for part in response.get("Parts", [])
            )
            if not response.get("IsTruncated"):
                return parts
            marker = response["NextPartNumberMarker"]

    def complete(self, session):
        """Assemble the parts the server holds (listed by the server, not trusted from the browser)."""
        try:
            parts = self.list_parts(session)
        except ClientError as error:
            if self.exists(session):  # completed by an earlier finalize call that then failed
                return
            raise MediaError(_("This upload no longer exists on the storage; start it again."), code="gone") from error
        if not parts:
            raise MediaError(_("No part of the file arrived; start the upload again."), code="incomplete")
        self._call(
            "complete_multipart_upload",
            Key=self.object_key(session.key),
            UploadId=session.multipart_upload_id,
            MultipartUpload={"Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]},
        )

    def abort(self, session):
        if not session.multipart_upload_id:
            return
        with contextlib.suppress(ClientError):  # already completed or aborted
            self._call(
                "abort_multipart_upload", Key=self.object_key(session.key), UploadId=session.multipart_upload_id
            )

    def exists(self, session):
        try:
            self._call("head_object", Key=self.object_key(session.key))
        except ClientError:
            return False
        return True

    def stored_size(self, session):
        try:
            return self._call("head_object", Key=self.object_key(session.key))["ContentLength"]
        except ClientError as error:
            raise MediaError(_("The uploaded file cannot be found on the storage."), code="gone") from error

    def read_head(self, session, size):
        response = self._call("get_object", Key=self.object_key(session.key), Range=f"bytes=0-{size - 1}")
        return response["Body"].read()

    def probe_source(self, session):
        """A short-lived presigned GET URL: the probe's child process reads the object by ranges."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.object_key(session.key)}, ExpiresIn=600
        )

    def delete(self, session):
        with contextlib.suppress(ClientError):
            self._call("delete_object", Key=self.object_key(session.key))

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
