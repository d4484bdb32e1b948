"""The admin's catalogue import: a dry run in the request, then the import as a background task.

The import keeps the command's all-or-nothing transaction, so nothing it
writes is visible to other connections before it commits, progress
included. Progress is therefore written to the cache (Redis in production,
shared by the web and task workers), one entry per job, updated after each
row: the progress page reads it while the transaction is still open. The
database row of the job is only updated outside that transaction, when the
job starts and when it ends. Without Redis, a worker process other than
the web process (`TASKS_BACKEND=database` and no `REDIS_URL`) has its own
local cache: the page then shows the import as running, without its count,
until it ends.

The uploaded file is copied to the private storage for the task to read,
and deleted when the job ends, whatever the outcome, or when it is
cancelled; a dry run left without an answer is cancelled, and its file
deleted, once it is older than `ABANDONED_AFTER` (checked at each upload).

A worker that dies mid-import (killed, out of memory, the web process
restarted on the embedded default) rolls its transaction back and never
ends its job: `manage.py library_maintenance` marks a job running for
longer than `STALLED_AFTER` as failed, with the reason shown on its page,
and deletes its file. Should the worker only have been slow, its own end
(done or failed) overwrites that verdict: the job says what happened.

Files named in the `poster` and `video` columns are not imported from the
admin (they are not uploaded with the catalogue): each row notes the file it
left out, and the command `import_catalogue --files DIR` imports them.
"""

import datetime
import logging
import shutil
import tempfile
from pathlib import Path

from django_tasks import task

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from library.assets.processing import schedule
from library.assets.processing.files import local_copy
from library.importer import IGNORE_FILES, FileFormatError, import_catalogue
from library.models import CatalogueImport

logger = logging.getLogger(__name__)

ABANDONED_AFTER = datetime.timedelta(days=1)
STALLED_AFTER = datetime.timedelta(hours=2)
PROGRESS_TIMEOUT = 24 * 3600
CHECKING = "checking"
WRITING = "writing"


def progress_key(job_id):
    return f"library:catalogue-import:{job_id}:progress"


class CacheProgress:
    """A progress bar (tqdm's `update`/`close`) that writes rows done to the cache, outside any transaction."""

    def __init__(self, job_id, phase, total):
        self.job_id, self.phase, self.total, self.done = job_id, phase, total, 0
        self._write()

    def _write(self):
        cache.set(
            progress_key(self.job_id),
            {"phase": self.phase, "done": self.done, "total": self.total},
            timeout=PROGRESS_TIMEOUT,
        )

    def update(self, n=1):
        self.done += n
        self._write()

    def close(self):
        pass


def read_progress(job):
    """{"phase", "done", "total"} of a running job; None when the cache has no count (see the docstring)."""
    return cache.get(progress_key(job.pk))


def summary(report):
    """The report as stored on the job (JSON): counts and one entry per row."""
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "refused": report.skipped,
        "committed": report.committed,
        "lines": report.rows_by_line(),
    }


def dry_run(path, file_format):
    """Check every row and run it through the models, writing nothing; raise FileFormatError."""
    return import_catalogue(path, IGNORE_FILES, dry_run=True, file_format=file_format)


def store_checked(upload, file_format, report, user):
    """Keep the checked upload in the private storage, with its dry run, until the editor answers."""
    discard_abandoned()
    job = CatalogueImport(
        created_by=user,
        file_name=Path(upload.name).name[:255],
        file_format=file_format,
        rows_total=report.rows,
        report={"dry_run": summary(report)},
    )
    upload.seek(0)
    job.file.save(upload.name, upload, save=False)
    try:
        job.save()
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def start(job, *, skip_errors):
    """Queue the import of a checked job once; False if it was already started or cancelled."""
    claimed = CatalogueImport.objects.filter(pk=job.pk, status=CatalogueImport.Status.CHECKED).update(
        status=CatalogueImport.Status.QUEUED, skip_errors=skip_errors
    )
    if not claimed:
        return False
    transaction.on_commit(lambda: schedule(run_catalogue_import, job.pk))
    return True


def cancel(job):
    """Drop a dry run the editor does not import: its file goes at once."""
    cancelled = CatalogueImport.objects.filter(pk=job.pk, status=CatalogueImport.Status.CHECKED).update(
        status=CatalogueImport.Status.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        job.discard_file()
    return bool(cancelled)


def discard_abandoned(now=None):
    """Cancel dry runs nobody answered within ABANDONED_AFTER, deleting their files."""
    limit = (now or timezone.now()) - ABANDONED_AFTER
    for job in CatalogueImport.objects.filter(status=CatalogueImport.Status.CHECKED, created_at__lt=limit):
        cancel(job)


def fail_stalled(now=None, after=None):
    """Mark failed the jobs running for longer than `after` (STALLED_AFTER): their worker died; return their ids."""
    after = STALLED_AFTER if after is None else after
    limit = (now or timezone.now()) - after
    minutes = int(after.total_seconds() // 60)
    failed = []
    stalled = CatalogueImport.objects.filter(status=CatalogueImport.Status.RUNNING, started_at__lt=limit)
    for job in stalled:
        with translation.override(settings.LANGUAGE_CODE):
            reason = ngettext(
                "The import had been running for more than %(minutes)s minute: its worker has most likely "
                "stopped. Nothing was imported; import the file again.",
                "The import had been running for more than %(minutes)s minutes: its worker has most likely "
                "stopped. Nothing was imported; import the file again.",
                minutes,
            ) % {"minutes": minutes}
        marked = CatalogueImport.objects.filter(pk=job.pk, status=CatalogueImport.Status.RUNNING).update(
            status=CatalogueImport.Status.FAILED, finished_at=timezone.now(), error=reason
        )
        if marked:
            job.discard_file()
            cache.delete(progress_key(job.pk))
            failed.append(job.pk)
    return failed


def _finish(job, status, *, error="", report=None):
    fields = {"status": status, "finished_at": timezone.now(), "error": error}
    if report is not None:
        fields["report"] = {**job.report, "result": summary(report)}
        fields["rows_done"] = report.rows
    CatalogueImport.objects.filter(pk=job.pk).update(**fields)


@task()
def run_catalogue_import(job_id):
    """Import a confirmed job's file; whatever happens, the job ends done or failed and its file is deleted."""
    claimed = CatalogueImport.objects.filter(pk=job_id, status=CatalogueImport.Status.QUEUED).update(
        status=CatalogueImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = CatalogueImport.objects.get(pk=job_id)
    directory = tempfile.mkdtemp(prefix="catalogue-import-")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            try:
                path = local_copy(job.file, directory, f"catalogue.{job.file_format}")
                report = import_catalogue(
                    path,
                    IGNORE_FILES,
                    skip_errors=job.skip_errors,
                    progress=CacheProgress(job.pk, CHECKING, job.rows_total),
                    write_progress=lambda total: CacheProgress(job.pk, WRITING, total),
                    file_format=job.file_format,
                )
            except FileFormatError as error:
                _finish(job, CatalogueImport.Status.FAILED, error=str(error))
                return "failed"
            except Exception:
                logger.exception("catalogue import %s failed", job_id)
                _finish(
                    job,
                    CatalogueImport.Status.FAILED,
                    error=_("The import stopped on an unexpected error. Nothing was imported."),
                )
                return "failed"
            if not report.committed:
                _finish(
                    job,
                    CatalogueImport.Status.FAILED,
                    report=report,
                    error=ngettext(
                        "%(count)s row was refused: nothing was imported.",
                        "%(count)s rows were refused: nothing was imported.",
                        report.skipped,
                    )
                    % {"count": report.skipped},
                )
                return "failed"
            _finish(job, CatalogueImport.Status.DONE, report=report)
            return "done"
    finally:
        job.discard_file()
        cache.delete(progress_key(job_id))
        shutil.rmtree(directory, ignore_errors=True)
