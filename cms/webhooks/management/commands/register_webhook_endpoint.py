"""Create or update a webhook endpoint from a script (`make demo` registers the public site with it).

The signing secret is read from the environment variable named by --secret-env
(CMS_WEBHOOK_SECRET by default), never from the command line, where other
users of the machine could read it; the receiver is given the same variable.
The URL is validated as the admin form does: a URL webhooks may not reach
is refused with the same message.
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.webhooks.models import WebhookEndpoint


class Command(BaseCommand):
    help = "Create or update the webhook endpoint named --name, signed with the secret from the environment."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The endpoint's name (the row updated if it exists).")
        parser.add_argument("--url", required=True, help="Where the signed events are posted.")
        parser.add_argument(
            "--secret-env", default="CMS_WEBHOOK_SECRET", help="Environment variable holding the signing secret."
        )

    def handle(self, *args, name, url, secret_env, **options):
        secret = os.environ.get(secret_env, "")
        if len(secret) < 32:
            raise CommandError(f"Set {secret_env} to a secret of at least 32 characters.")
        endpoint = WebhookEndpoint.objects.filter(name=name).first() or WebhookEndpoint(name=name)
        endpoint.url, endpoint.secret, endpoint.events, endpoint.is_active = url, secret, [], True
        try:
            endpoint.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        endpoint.save()
        self.stdout.write(f"Webhook endpoint {name!r} sends every event to {url}.")
