from django.core.management.base import BaseCommand

from cms.webhooks.delivery import due_deliveries
from cms.webhooks.tasks import deliver_webhook


class Command(BaseCommand):
    help = "Retry webhook deliveries whose backoff delay has passed."

    def handle(self, *args, **options):
        ids = list(due_deliveries().values_list("pk", flat=True))
        for pk in ids:
            deliver_webhook.enqueue(pk)
        self.stdout.write(f"{len(ids)} deliveries re-enqueued.")
