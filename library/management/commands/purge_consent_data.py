"""`manage.py purge_consent_data [--dry-run]`: delete consent scans and free text past retention (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from library.access.consent_retention import purge_consent_data


class Command(BaseCommand):
    help = (
        "Delete the scanned forms (files and rows) of consents that expired or were withdrawn more than "
        "CONSENT_RETENTION_DAYS days ago, blank their notes and reason for withdrawal, and delete scan-opening "
        "log rows older than that. Scope and dates stay, so films stay restricted. With --dry-run, only list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted; change nothing.")
        parser.add_argument("--days", type=int, default=None, help="Override CONSENT_RETENTION_DAYS (at least 1).")

    def handle(self, *args, dry_run=False, days=None, **options):
        days = settings.CONSENT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        report = purge_consent_data(days=days, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"Consents ended on or before {report.cutoff:%Y-%m-%d} ({days} days of retention).")
        for purge in report.purges:
            record = purge.record
            blanked = ", ".join(purge.blanked) or "nothing to blank"
            self.stdout.write(
                f"{record.label} (#{record.pk}, ended {purge.ended_on:%Y-%m-%d}): "
                f"{verb} {len(purge.files)} scan(s); {'would blank' if dry_run else 'blanked'} {blanked}"
            )
            for name, error in purge.failed:
                self.stderr.write(f"  not deleted: {name}: {error}")
        self.stdout.write(f"Scan-opening log: {verb} {report.access_rows} row(s) older than the cut-off.")
        summary = f"{len(report.purges)} record(s) {'to purge' if dry_run else 'purged'}."
        if dry_run:
            summary += " Dry run: nothing was changed."
        if report.failed:
            raise CommandError(f"{summary} {len(report.failed)} scan(s) could not be deleted; run again later.")
        self.stdout.write(self.style.SUCCESS(summary))
