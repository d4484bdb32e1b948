"""`manage.py backup <directory>`: the database, then every storage's files, then a manifest (cms/backups)."""

from django.core.management.base import BaseCommand

from cms.backups.procedure import back_up


class Command(BaseCommand):
    help = (
        "Back up the database and every file of the media storages into a new directory, with a manifest "
        "(sizes and sha256) written last. See docs/deployment.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory that does not exist yet, or is empty.")

    def handle(self, *args, directory, **options):
        back_up(directory, self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {directory}."))
