"""Import a legacy catalogue (one CSV row per film); see docs/catalogue-import.md.

Two passes. The first reads and checks every row and collects every problem
with its line number. If any row is bad, nothing is imported unless
`skip_errors` is set. The second pass writes all good rows in one
transaction, each row in its own savepoint: a row the models still refuse
(say, a tier wider than its consent allows) is reported like a bad row, and
either skipped (`skip_errors`) or the cause of a full rollback. A dry run
does both passes and rolls everything back, storing no file; so does a run
with bad rows and no `skip_errors`, so that the models' own refusals of the
other rows are reported at once too.

The report also keeps one entry per row (`ImportReport.lines`): its line,
legacy_id, title, outcome (created, updated, unchanged or refused) and the
reasons or notes, which the admin's dry run shows row by row.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from library.importer.rows import IGNORE_FILES, FileFormatError, Lookups, parse_row
from library.importer.sources import read_rows
from library.importer.writer import Writer

__all__ = ["IGNORE_FILES", "FileFormatError", "ImportReport", "import_catalogue"]

REFUSED = "refused"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (line, legacy_id, message)
    committed: bool = False
    lines: dict = field(default_factory=dict)  # line -> {line, legacy_id, title, outcome, messages, notes}

    @property
    def skipped(self):
        return len({line for line, _legacy_id, _message in self.errors})

    def note_row(self, row, title):
        self.lines[row.line] = {
            "line": row.line,
            "legacy_id": row.legacy_id,
            "title": title,
            "outcome": REFUSED if row.errors else "",
            "messages": list(row.errors),
            "notes": list(row.notes),
        }

    def refuse(self, line, messages):
        entry = self.lines[line]
        entry["outcome"] = REFUSED
        entry["messages"].extend(messages)

    def rows_by_line(self):
        """One entry per row, in the file's order (JSON-ready: the admin stores it)."""
        return [self.lines[line] for line in sorted(self.lines)]


class _RollbackError(Exception):
    """Raised inside the transaction to undo a dry run or a failed import."""


def _validation_messages(error):
    if hasattr(error, "message_dict"):
        return [f"{name}: {'; '.join(messages)}" for name, messages in error.message_dict.items()]
    return list(error.messages)


def check_rows(path, files_dir, report, progress=None, file_format=None):
    """First pass: every row parsed and checked; duplicates of legacy_id refused."""
    lookups = Lookups()
    good, seen = [], {}
    for line, record in read_rows(path, file_format):
        row = parse_row(line, record, lookups, files_dir)
        if row.legacy_id in seen:
            row.error(
                "legacy_id",
                _("“%(value)s” already used on line %(line)s") % {"value": row.legacy_id, "line": seen[row.legacy_id]},
            )
        elif row.legacy_id:
            seen[row.legacy_id] = line
        report.rows += 1
        report.note_row(row, (record.get("title") or "").strip())
        for message in row.errors:
            report.errors.append((line, row.legacy_id, message))
        if not row.errors:
            good.append(row)
        if progress:
            progress.update(1)
    return good


def import_catalogue(
    path,
    files_dir=None,
    dry_run=False,
    skip_errors=False,
    progress=None,
    write_progress=None,
    file_format=None,
):
    """Run the import; return an ImportReport. Raise FileFormatError for an unreadable file.

    `progress` follows the checking pass (one step per row read);
    `write_progress(total)`, if given, returns the bar of the writing pass.
    `file_format` ("csv" or "xlsx") defaults to what the file's name says;
    `files_dir=IGNORE_FILES` leaves the poster and video columns out.
    """
    report = ImportReport()
    rows = check_rows(path, files_dir, report, progress, file_format)
    if progress:
        progress.close()
    bar = write_progress(len(rows)) if write_progress else None
    # With bad rows and no --skip-errors nothing will be kept, but the good rows
    # still go through the models (files aside) so their own errors are reported too.
    rehearsal = dry_run or bool(report.errors and not skip_errors)
    writer = Writer(dry_run=rehearsal)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        outcome = writer.write(row)
                except ValidationError as error:
                    messages = _validation_messages(error)
                    for message in messages:
                        report.errors.append((row.line, row.legacy_id, message))
                    report.refuse(row.line, messages)
                else:
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    report.lines[row.line]["outcome"] = outcome
                if bar:
                    bar.update(1)
            if rehearsal or (report.errors and not skip_errors):
                raise _RollbackError
            writer.after_commit()
    except _RollbackError:
        writer.discard_files()
        if not dry_run:
            report.created = report.updated = report.unchanged = 0
            for entry in report.lines.values():
                if entry["outcome"] != REFUSED:
                    entry["outcome"] = ""  # it would have been written, but nothing was
        return report
    except BaseException:
        writer.discard_files()
        raise
    finally:
        if bar:
            bar.close()
    report.committed = True
    return report
