"""`manage.py personal_data export|erase --email X`: what the system holds about a person, out or gone."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from library.access import personal_data


class Command(BaseCommand):
    help = (
        "export: print as JSON everything held about an e-mail address (user accounts, partner memberships, "
        "contact fields, downloads, API token names, consent scan openings, log-in records). "
        "erase: deactivate and anonymise the accounts, revoke their tokens, end their sessions, blank contact "
        "fields; download counts are kept without the person. --dry-run lists what erase would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--email", required=True, help="The person's e-mail address.")
        parser.add_argument("--dry-run", action="store_true", help="erase: list what would change, change nothing.")

    def handle(self, *args, action, email, dry_run=False, **options):
        try:
            if action == "export":
                data = personal_data.export(email)
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
                return
            lines = personal_data.erase(email, dry_run=dry_run)
        except ValidationError:
            raise CommandError(f"Not an e-mail address: {email!r}.") from None
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write(f"Nothing is held about {email}.")
        elif dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Erased what was held about {email}."))
