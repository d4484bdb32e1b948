"""The backup's manifest: what the backup holds, with sizes and sha256, written last and checked first."""

import hashlib
import json
import os
from pathlib import Path

from django.core.management.base import CommandError

MANIFEST = "manifest.json"
FORMAT = 1
#: Bytes read or written at a time: files are streamed, never held whole in memory.
CHUNK_SIZE = 1024 * 1024
#: Problems listed in the error of a backup that fails its check (the count says how many more).
SHOWN_PROBLEMS = 10


class HashingWriter:
    """A file open for writing that counts and hashes what goes through it."""

    def __init__(self, path):
        self.file = open(path, "wb")  # noqa: SIM115 - closed by __exit__
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk):
        self.digest.update(chunk)
        self.size += len(chunk)
        self.file.write(chunk)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    @property
    def sha256(self):
        return self.digest.hexdigest()


def file_digest(path):
    """(size, sha256) of the file at `path`, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write(directory, manifest):
    """Write the manifest atomically (a temporary file renamed): a half-written manifest never exists."""
    path = Path(directory) / MANIFEST
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump({"format": FORMAT, **manifest}, file, indent=1, ensure_ascii=False)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def read(directory):
    """The manifest of the backup in `directory`, or a clear error when there is none."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CommandError(f"{directory} is not a directory.")
    path = directory / MANIFEST
    if not path.is_file():
        raise CommandError(
            f"{directory} has no {MANIFEST}: the backup did not finish (the manifest is written last) "
            "or this is not a backup directory. Nothing was restored; restore an earlier backup."
        )
    try:
        with open(path, encoding="utf-8") as file:
            manifest = json.load(file)
    except (OSError, ValueError) as error:
        raise CommandError(f"{path} cannot be read ({error}). Nothing was restored.") from None
    if manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is of format {manifest.get('format')!r}; this version reads format {FORMAT}.")
    return manifest


def verify(directory, manifest, local_path):
    """Check the size and sha256 of every file the manifest lists; raise a `CommandError` listing what fails.

    `local_path(alias, name)` is where a storage's file lies in the backup.
    """
    directory = Path(directory)
    expected = [(directory / manifest["database"]["file"], manifest["database"], "the database")]
    for alias, stored in manifest["storages"].items():
        expected.extend(
            (local_path(alias, entry["key"]), entry, f"{alias}:{entry['key']}") for entry in stored["files"]
        )
    problems = []
    for path, entry, label in expected:
        if not path.is_file():
            problems.append(f"{label} is missing")
            continue
        size, sha256 = file_digest(path)
        if size != entry["size"] or sha256 != entry["sha256"]:
            problems.append(f"{label} differs from the manifest (size {size}, expected {entry['size']})")
    if problems:
        shown = "\n  ".join(problems[:SHOWN_PROBLEMS])
        more = f"\n  ...and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        raise CommandError(f"The backup in {directory} is damaged; nothing was restored.\n  {shown}{more}")
    return len(expected)
