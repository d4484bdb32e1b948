"""Signed webhooks: events on publish, unpublish, delete and tier change; retries; the admin log."""

import datetime
import json
import time

import pytest

from django.core.management import call_command
from django.utils import timezone

from cms.webhooks.delivery import MAX_ATTEMPTS
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from cms.webhooks.signing import sign, verify
from library.models import FilmPage
from tests.library.api.catalogue import module_catalogue
from tests.recorder import start_recorder

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_receivers(settings):
    """The receivers these tests run listen on 127.0.0.1 over plain HTTP: allowed here, and only here."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS = ["127.0.0.1/32"]


@pytest.fixture
def receiver():
    recorder = start_recorder()
    yield recorder
    recorder.stop()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(name="Site public", url=f"{receiver.url}/hooks/")


def film(key):
    return FilmPage.objects.get(pk=catalogue_ids[key])


catalogue_ids = {}


@pytest.fixture(autouse=True)
def ids(catalogue):
    catalogue_ids.update({key: page.pk for key, page in catalogue.films.items()})


def events(receiver):
    return [json.loads(r.body) for r in receiver.requests]


def test_publish_posts_a_signed_event(receiver, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.method == "POST" and request.path == "/hooks/"
    assert request.headers["Content-Type"] == "application/json"
    assert verify(endpoint.secret, request.body, request.headers["X-Webhook-Signature"])
    assert not verify("another secret", request.body, request.headers["X-Webhook-Signature"])
    assert not verify(endpoint.secret, request.body + b" ", request.headers["X-Webhook-Signature"])
    event = json.loads(request.body)
    assert event["type"] == "page.published" == request.headers["X-Webhook-Event"]
    assert event["id"] == request.headers["X-Webhook-Id"]
    assert event["data"]["id"] == catalogue_ids["public"]
    assert event["data"]["type"] == "library.FilmPage"
    assert event["data"]["api_url"] == f"/api/v3/films/{catalogue_ids['public']}/"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 204)


def test_unpublish_and_delete_events(receiver, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("network").unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        film("internal").delete()
    types = [(e["type"], e["data"]["id"]) for e in events(receiver)]
    assert types[0] == ("page.unpublished", catalogue_ids["network"])
    # Wagtail unpublishes a live page before deleting it; the deletion is reported once.
    assert types[1:] == [("page.unpublished", catalogue_ids["internal"]), ("page.deleted", catalogue_ids["internal"])]


def test_consent_withdrawal_sends_a_tier_change(receiver, endpoint, django_capture_on_commit_callbacks):
    consent = film("public").consent
    with django_capture_on_commit_callbacks(execute=True):
        consent.withdrawn_on = timezone.localdate()
        consent.withdrawal_reason = "Demande d'une famille"
        consent.save()
    tier_events = {e["data"]["id"]: e for e in events(receiver) if e["type"] == "film.tier_changed"}
    assert catalogue_ids["public"] in tier_events  # and every other film sharing this consent record
    event = tier_events[catalogue_ids["public"]]
    assert (event["data"]["old_tier"], event["data"]["new_tier"]) == ("public", "internal")


def test_endpoint_event_filter_and_inactive_endpoints(receiver, endpoint, django_capture_on_commit_callbacks):
    endpoint.events = ["page.deleted"]
    endpoint.save()
    WebhookEndpoint.objects.create(name="Éteint", url=f"{receiver.url}/off/", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_failures_are_retried_with_backoff_then_given_up(receiver, endpoint, django_capture_on_commit_callbacks):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 500)
    delays = [delivery.next_attempt_at - timezone.now()]
    for _attempt in range(MAX_ATTEMPTS - 1):
        call_command("send_due_webhooks", verbosity=0)  # not due yet: nothing sent
        assert WebhookDelivery.objects.get().attempts == delivery.attempts
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        call_command("send_due_webhooks", verbosity=0)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - timezone.now())
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert delays[0] > datetime.timedelta(seconds=25)
    assert all(later > earlier * 3 for earlier, later in zip(delays, delays[1:], strict=False))
    # Every retry is the same event, signed afresh.
    assert len({r.headers["X-Webhook-Id"] for r in receiver.requests}) == 1


def test_recovers_after_a_failure(receiver, endpoint, django_capture_on_commit_callbacks):
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    call_command("send_due_webhooks", verbosity=0)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("succeeded", 2, "")


def test_unreachable_endpoint_is_logged(django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(name="Injoignable", url="http://127.0.0.1:9/hooks/")
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying" and delivery.response_status is None
    # A closed port, a timeout or a TLS error read the same: the log does not map what lies behind an address.
    assert delivery.last_error == "delivery failed"


def test_signatures_are_timestamped():
    body = b'{"id":"1"}'
    header = sign("s3cret", body, timestamp=time.time() - 600)
    assert not verify("s3cret", body, header)  # a replay ten minutes later
    assert verify("s3cret", body, sign("s3cret", body))
    assert not verify("s3cret", body, "garbage")


def test_admin_manages_endpoints_and_shows_the_log(
    client, catalogue, receiver, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        film("public").save_revision().publish()
    client.force_login(catalogue.users["national"].__class__.objects.create_superuser("admin-webhooks", password="x"))
    listing = client.get("/admin/webhook_endpoints/")
    assert listing.status_code == 200 and "Site public" in listing.content.decode()
    created = client.post(
        "/admin/webhook_endpoints/new/",
        {
            "name": "Portail",
            "url": "https://portail.example/hooks",
            "events": "[]",
            "is_active": "on",
            "secret": "abc",
        },
    )
    assert created.status_code == 302
    assert WebhookEndpoint.objects.filter(name="Portail").exists()
    log = client.get("/admin/webhook_deliveries/")
    assert log.status_code == 200 and "page.published" in log.content.decode()
    assert client.get("/admin/webhook_deliveries/new/").status_code in (302, 403)
