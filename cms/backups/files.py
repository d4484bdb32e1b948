"""Copy every file of a storage into a backup directory and back, streamed in chunks.

Two kinds of storage hold the site's files: an S3 bucket (`cms.storage.MediaS3Storage`, one prefix per
alias) and local disk (`FileSystemStorage`, the demo). Files are addressed by their storage name (the key
without the alias's prefix, the path below its root), which is what the rows store, so a backup can be
restored into another bucket or prefix, or from disk to a bucket.
"""

import mimetypes
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError

from cms.backups.manifest import CHUNK_SIZE, HashingWriter
from library.core.storage import is_s3

#: Storages left out: static files are built from the code by collectstatic, not data.
SKIPPED_ALIASES = ("staticfiles",)
#: What `_download` returns for a file deleted since it was listed.
_VANISHED = object()
#: Parts of a large file uploaded at once at restore (boto3's default is 10).
UPLOAD_CONCURRENCY = 4


def aliases():
    """The aliases of `STORAGES` whose files are backed up."""
    return [alias for alias in settings.STORAGES if alias not in SKIPPED_ALIASES]


def storage(alias):
    found = storages[alias]
    if not is_s3(found) and not isinstance(found, FileSystemStorage):
        raise CommandError(
            f"Storage {alias!r} ({type(found).__name__}) is neither S3 nor local disk: cannot back it up."
        )
    return found


def backend(alias):
    return settings.STORAGES[alias]["BACKEND"]


def local_path(root, name):
    """Where the file `name` lies under `root`; refuses a name that would leave it (`..`, absolute)."""
    # Split by hand: PurePosixPath would fold `a//b` into `a/b`, two S3 keys into one file.
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise CommandError(f"Refusing the file name {name!r}: it is not a plain relative path.")
    return Path(root, *parts)


def back_up(alias, root):
    """Copy every file of storage `alias` under `root`.

    Returns the manifest's entries and the names of files deleted between their listing and their copy
    (the site keeps running during a backup).
    """
    found = storage(alias)
    entries, vanished = [], []
    for name in _names(found):
        path = local_path(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with HashingWriter(path) as writer:
            content_type = _download(found, name, writer)
        if content_type is _VANISHED:
            path.unlink()
            vanished.append(name)
            continue
        entries.append({"key": name, "size": writer.size, "sha256": writer.sha256, "content_type": content_type})
    return entries, vanished


def restore(alias, root, entries):
    """Write every file of `entries` from `root` into storage `alias`, replacing a file of the same name."""
    found = storage(alias)
    for entry in entries:
        _upload(found, entry["key"], local_path(root, entry["key"]), entry.get("content_type"))


# --- S3 and local disk ------------------------------------------------------------


def _prefix(found):
    location = (found.location or "").strip("/")
    return f"{location}/" if location else ""


def _client(found):
    # The storage's own boto3 resource: its endpoint, keys and client configuration (cms.storage).
    return found.connection.meta.client


def _names(found):
    if is_s3(found):
        prefix = _prefix(found)
        paginator = _client(found).get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=found.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                if not item["Key"].endswith("/"):
                    yield item["Key"][len(prefix) :]
        return
    root = Path(found.location)
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            yield Path(directory, name).relative_to(root).as_posix()


def _download(found, name, writer):
    """Stream the file `name` into `writer`; returns its content type (S3 keeps one per object), or _VANISHED."""
    if is_s3(found):
        client = _client(found)
        try:
            answer = client.get_object(Bucket=found.bucket_name, Key=_prefix(found) + name)
        except client.exceptions.NoSuchKey:
            return _VANISHED
        for chunk in answer["Body"].iter_chunks(CHUNK_SIZE):
            writer.write(chunk)
        return answer.get("ContentType")
    try:
        file = open(found.path(name), "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return _VANISHED
    with file:
        while chunk := file.read(CHUNK_SIZE):
            writer.write(chunk)
    return None


def _upload(found, name, path, content_type):
    if is_s3(found):
        from boto3.s3.transfer import TransferConfig

        content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        # By file name, boto3 reads each part from the disk as it sends it (multipart above 8 MiB), so memory
        # stays small whatever the file's size; from a file object it would buffer up to ten parts.
        _client(found).upload_file(
            str(path),
            found.bucket_name,
            _prefix(found) + name,
            ExtraArgs={"ContentType": content_type},
            Config=TransferConfig(max_concurrency=UPLOAD_CONCURRENCY),
        )
        return
    target = Path(found.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.restoring")
    with open(path, "rb") as source, open(temporary, "wb") as copy:
        while chunk := source.read(CHUNK_SIZE):
            copy.write(chunk)
    os.replace(temporary, target)
