"""`manage.py import_catalogue FILE.csv|FILE.xlsx [--files DIR] [--dry-run] [--skip-errors]`.

Columns and rules: docs/catalogue-import.md. A file named `.xlsx` is read as
an XLSX workbook (its first sheet), any other as CSV.
"""

from pathlib import Path

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from library.importer import FileFormatError, import_catalogue
from library.importer.sources import count_rows


class Command(BaseCommand):
    help = "Import a legacy film catalogue from a CSV or XLSX file (one row per film); idempotent on legacy_id."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="The CSV file (UTF-8, comma-separated, with a header row) or XLSX workbook."
        )
        parser.add_argument(
            "--files", type=Path, dest="files_dir", help="Directory that poster and video paths are relative to."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and simulate everything, write nothing.")
        parser.add_argument(
            "--skip-errors", action="store_true", help="Import the good rows even if some rows are bad."
        )

    def handle(self, *args, file, files_dir, dry_run, skip_errors, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        if files_dir is not None and not files_dir.is_dir():
            raise CommandError(_("No such directory: %(path)s") % {"path": files_dir})
        hidden = options["verbosity"] == 0
        try:
            total = count_rows(file)
        except FileFormatError as error:
            raise CommandError(str(error)) from None
        checking = tqdm(total=total, unit="ligne", desc="Vérification", disable=hidden, file=self.stderr)

        def writing(total):
            return tqdm(total=total, unit="film", desc="Écriture", disable=hidden, file=self.stderr)

        try:
            report = import_catalogue(
                file,
                files_dir,
                dry_run=dry_run,
                skip_errors=skip_errors,
                progress=checking,
                write_progress=writing,
            )
        except FileFormatError as error:
            raise CommandError(str(error)) from None
        finally:
            checking.close()

        for line, legacy_id, message in sorted(report.errors):
            self.stderr.write(
                _("Line %(line)s (%(legacy_id)s): %(message)s")
                % {"line": line, "legacy_id": legacy_id or "—", "message": message}
            )
        summary = _(
            "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s with errors."
        ) % {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        }
        if dry_run:
            self.stdout.write(_("Dry run, nothing written. %(summary)s") % {"summary": summary})
        elif report.committed:
            self.stdout.write(self.style.SUCCESS(_("Imported. %(summary)s") % {"summary": summary}))
        if report.errors and not skip_errors:
            raise CommandError(
                _("%(count)s bad rows: nothing was imported. Fix them, or use --skip-errors to import the rest.")
                % {"count": report.skipped}
            )
