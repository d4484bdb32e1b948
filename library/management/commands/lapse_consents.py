"""`manage.py lapse_consents`: narrow films whose consent expired or was withdrawn (run daily from cron)."""

from django.core.management.base import BaseCommand

from library.access.consent_lapse import lapse_consents
from library.access.privacy import sync_all_restrictions


class Command(BaseCommand):
    help = (
        "Narrow the stored tier of every film whose consent expired or was withdrawn, update page privacy "
        "and the search index, and alert the coordination's editors; then bring every film's and guide's page "
        "restriction back to its tier. Safe to run as often as wanted."
    )

    def handle(self, *args, **options):
        lapses = lapse_consents()
        for lapse in lapses:
            self.stdout.write(f"{lapse.film.title} (#{lapse.film.pk}): {lapse.old} → {lapse.new}")
        resynced = sync_all_restrictions()
        self.stdout.write(
            self.style.SUCCESS(f"{len(lapses)} film(s) narrowed, {resynced} page restriction(s) resynced.")
        )
