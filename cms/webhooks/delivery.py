"""Creating and sending deliveries: one row per endpoint and event, retried with backoff."""

import datetime
import http.client
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cms.webhooks import transport
from cms.webhooks.addresses import AddressNotAllowedError
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from cms.webhooks.signing import sign

#: Attempts before a delivery is marked failed; delays between them grow 4× (30 s, 2 min, 8 min, 32 min).
MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 30
TIMEOUT_SECONDS = 10
#: What the log says when no answer came. Deliberately the same for a closed port, a timeout, a TLS or DNS
#: error: the log must not let an administrator map what lies behind an address.
DELIVERY_FAILED = "delivery failed"
REFUSED = "refused: address not allowed"


def backoff(attempts):
    return datetime.timedelta(seconds=BASE_DELAY_SECONDS * 4 ** (attempts - 1))


def emit(event_type, data):
    """Record a delivery for every endpoint that wants `event_type`; send them after commit."""
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id, event_type=event_type, payload=payload)
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if endpoint.wants(event_type)
    ]
    if deliveries:
        from cms.webhooks.tasks import deliver_webhook

        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in ids])
    return deliveries


def attempt(delivery):
    """POST the event once; update the log; schedule a retry or give up.

    Only a 2xx answer delivers; a redirect is not followed and counts as a failure.
    """
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "PasseursImages-Webhooks/1.0",
        "X-Webhook-Id": str(delivery.event_id),
        "X-Webhook-Event": delivery.event_type,
        "X-Webhook-Signature": sign(delivery.endpoint.secret, body),
    }
    delivery.attempts += 1
    delivery.response_status = None
    try:
        status = transport.post(delivery.endpoint.url, body, headers, TIMEOUT_SECONDS)
    except AddressNotAllowedError:
        _failed(delivery, REFUSED)
    except (OSError, ValueError, http.client.HTTPException):
        _failed(delivery, DELIVERY_FAILED)
    else:
        delivery.response_status = status
        if 200 <= status < 300:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.last_error = ""
        else:
            _failed(delivery, f"HTTP {status}")
    delivery.save()
    return delivery


def _failed(delivery, message):
    delivery.last_error = message
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)


def due_deliveries(now=None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING], next_attempt_at__lte=now
    )
