"""`manage.py restore <directory>`: check a backup, put back its files, then its database (cms/backups)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.backups import database
from cms.backups.procedure import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: every hash is checked first, then the files and the "
        "database replace the site's; the caches are cleared. See docs/deployment.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory written by `manage.py backup`.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )
        parser.add_argument(
            "--rebuild-listing",
            action="store_true",
            help="Rewrite the API lists' read model after the restore even when it is not needed.",
        )

    def handle(self, *args, directory, interactive=True, rebuild_listing=False, **options):
        target = database.describe(connection.settings_dict)
        if interactive:
            answer = input(f"This replaces the content of {target} and of the media storages. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        restore(directory, self.stdout.write, rebuild_listing=rebuild_listing)
        self.stdout.write(self.style.SUCCESS(f"Restored {directory} into {target}."))
