"""`manage.py rebuild_listing`: rewrite the API lists' read model (after a bulk import, or to repair it)."""

import time

from django.core.management.base import BaseCommand

from library.listing.build import refresh_all, refresh_missing


class Command(BaseCommand):
    help = "Rewrite the listing entries and cards of every film and guide (the API lists' read model)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only write the items that have no entry yet.")

    def handle(self, *args, missing=False, **options):
        started = time.monotonic()
        written = refresh_missing() if missing else refresh_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{written} items written in {time.monotonic() - started:.1f} s."))
