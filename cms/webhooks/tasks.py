"""Background delivery of webhooks (django-tasks), retried with exponential backoff.

On backends that can defer (the database backend in production) a failed
attempt re-enqueues itself with `run_after`; on the immediate backend the
retry waits for `manage.py send_due_webhooks` (run it from cron).
"""

from django_tasks import task

from django.db import transaction

from cms.webhooks import delivery as deliveries
from cms.webhooks.models import WebhookDelivery


@task()
def deliver_webhook(delivery_id):
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING])
            .first()
        )
        if delivery is None:
            return None
        delivery = deliveries.attempt(delivery)
    if delivery.status == WebhookDelivery.Status.RETRYING and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status
