"""The processing jobs' scratch space: one directory per job, cleaned even after a killed worker.

A job (a transcode, a PDF's cover) works in a directory of its own under
`LIBRARY_SCRATCH_DIR`. The directory holds a `.lock` file that the job keeps
locked (`flock`) for as long as it runs; the kernel lets go of the lock when
the process ends, however it ends. So a worker that was killed mid-transcode
leaves a directory nobody holds, and `clean_orphans()` (run when a worker
starts and by `library_maintenance`) deletes exactly those, never the
directory of a job still running in another worker on the same machine.

The space is bounded: a job says how much it needs, and it does not start
while the scratch space and that need would pass `LIBRARY_SCRATCH_MAX_BYTES`
(`ScratchFullError`; the caller runs the job later). A 20 GiB master copied from
S3 then waits for room rather than filling the disk.
"""

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from library.assets.media.errors import MediaError

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
#: A directory younger than this without its lock is being created, not abandoned.
CREATION_GRACE_SECONDS = 60


class ScratchFullError(MediaError):
    """The scratch space has no room for the job yet."""


def scratch_root():
    root = Path(settings.LIBRARY_SCRATCH_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def usage(root=None):
    """Bytes used under the scratch root (every job's files)."""
    total = 0
    for directory, _subdirs, files in os.walk(root or scratch_root()):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                total += os.lstat(os.path.join(directory, name)).st_size
    return total


def ensure_room(needed):
    limit = settings.LIBRARY_SCRATCH_MAX_BYTES
    used = usage()
    if used + needed > limit:
        raise ScratchFullError(
            _("%(needed)s needed, %(free)s free of %(limit)s")
            % {
                "needed": filesizeformat(needed),
                "free": filesizeformat(max(limit - used, 0)),
                "limit": filesizeformat(limit),
            }
        )


@contextlib.contextmanager
def job_directory(prefix, needed=0):
    """A fresh directory for one job, locked while the job runs and deleted after it."""
    ensure_room(needed)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch_root()))
    lock = open(path / LOCK_NAME, "w")  # noqa: SIM115 (held for the whole job)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield path
    finally:
        lock.close()
        shutil.rmtree(path, ignore_errors=True)


def _is_held(directory):
    """Whether a running job holds `directory`'s lock (or is creating it)."""
    try:
        handle = open(directory / LOCK_NAME)  # noqa: SIM115
    except FileNotFoundError:
        return time.time() - directory.stat().st_mtime < CREATION_GRACE_SECONDS
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def clean_orphans():
    """Delete the job directories no running job holds; returns their names."""
    removed = []
    for directory in sorted(scratch_root().iterdir()):
        if not directory.is_dir() or _is_held(directory):
            continue
        size = usage(directory)
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory.name)
        logger.warning("removed the scratch directory %s (%s) of a job that died", directory.name, size)
    return removed
