"""The two procedures, in their order (see the package's docstring for why this order)."""

import io
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from cms.backups import database, files, manifest, references

FILES_DIRECTORY = "files"


def back_up(directory, out):
    """Write a backup of the database, then of every storage's files, then the manifest, into `directory`."""
    directory = Path(directory)
    _prepare(directory)
    started_at = timezone.now()
    out(f"Database: {database.describe(connection.settings_dict)}")
    dumped = database.dump(connection.settings_dict, directory)
    size, sha256 = manifest.file_digest(directory / dumped["file"])
    stored = {}
    for alias in files.aliases():
        try:
            entries, vanished = files.back_up(alias, _files_root(directory, alias))
        except CommandError:
            raise
        except Exception as error:  # botocore's or the disk's: the message is what the operator needs
            raise CommandError(
                f"The backup stopped while copying storage {alias} ({error}). {directory} has no manifest: "
                "restore refuses it. Delete it and run the backup again."
            ) from error
        stored[alias] = {"backend": files.backend(alias), "files": entries, "vanished": vanished}
        out(f"Storage {alias}: {len(entries)} files, {_megabytes(sum(entry['size'] for entry in entries))}")
        if vanished:
            out(f"Storage {alias}: {len(vanished)} file(s) deleted while the backup ran: {', '.join(vanished[:5])}")
    _check_references(stored, out)
    manifest.write(
        directory,
        {
            "started_at": started_at.isoformat(),
            "finished_at": timezone.now().isoformat(),
            "database": {**dumped, "size": size, "sha256": sha256},
            "signed_urls": _signed_urls(),
            "storages": stored,
        },
    )
    return stored


def restore(directory, out, *, rebuild_listing=False):
    """Check the backup in `directory`, then put back the files, then the database; then clear the caches."""
    directory = Path(directory)
    backup = manifest.read(directory)
    missing = [alias for alias in backup["storages"] if alias not in settings.STORAGES]
    if missing:
        raise CommandError(f"The backup holds storages this site does not configure: {', '.join(missing)}.")
    checked = manifest.verify(
        directory, backup, lambda alias, name: files.local_path(_files_root(directory, alias), name)
    )
    out(f"Backup of {backup['finished_at']} checked: {checked} files match the manifest.")
    for alias, stored in backup["storages"].items():
        try:
            files.restore(alias, _files_root(directory, alias), stored["files"])
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(
                f"The restore stopped while writing storage {alias} ({error}). The database was not touched; "
                "run the restore again once the storage answers."
            ) from error
        out(f"Storage {alias}: {len(stored['files'])} files restored")
    connections.close_all()
    database.restore(connection.settings_dict, directory / backup["database"]["file"], backup["database"]["engine"])
    out(f"Database restored: {database.describe(connection.settings_dict)}")
    for alias in settings.CACHES:
        caches[alias].clear()
    out("Caches cleared.")
    _check_references(backup["storages"], out)
    # Listing cards keep storage names, not URLs, when URLs are signed, so they stay true after a restore;
    # when URLs are not signed the cards keep the URLs themselves, which depend on where the files now are.
    if rebuild_listing or not _signed_urls() or backup.get("signed_urls") != _signed_urls():
        call_command("rebuild_listing", stdout=io.StringIO())
        out("Listing read model rebuilt.")
    if getattr(settings, "SEARCH_BACKEND_URL", ""):
        out("The search index lives outside the database: run `manage.py update_index` now.")


def _check_references(stored, out):
    held = {alias: {entry["key"] for entry in entries["files"]} for alias, entries in stored.items()}
    absent = references.missing(held)
    out(references.warning(absent) or "Every file the rows name is in the backup.")


def _prepare(directory):
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CommandError(f"{directory} is not an empty directory: a backup goes into a new one.")
    # The backup holds personal data (consent forms, accounts): readable by its owner only.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _files_root(directory, alias):
    return directory / FILES_DIRECTORY / alias


def _signed_urls():
    from library.models.renditions import rendition_urls_expire

    return rendition_urls_expire()


def _megabytes(size):
    return f"{size / 1024**2:.1f} MiB"
