"""Failed logins lock an account and a client address for a cool-off (django-axes), behind a proxy too."""

import datetime

import pytest
from axes.models import AccessAttempt

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory, override_settings
from django.utils import translation

from cms.security.client_ip import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "le-bon-mot-de-passe"
ATTACKER, OTHER = "203.0.113.7", "198.51.100.20"  # documentation addresses: request metadata only, never dialled


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("camille", "camille@example.org", PASSWORD)


def attempt(client, username, password, ip="127.0.0.1", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def retry_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override("fr"):
        return translation.ngettext(
            "Too many attempts; try again in %(minutes)d minute.",
            "Too many attempts; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


def assert_locked_out(response):
    assert response.status_code == 429
    # What is left of the cool-off since the failure that locked: attempts since then take a few seconds on a busy machine.
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert cool_off - 30 <= int(response["Retry-After"]) <= cool_off
    html = response.content.decode()
    assert retry_message() in html
    assert "15" in retry_message()  # the default cool-off, in minutes
    assert 'lang="fr"' in html  # the admin's login page, with the message in place of the form's error


def test_thirty_bad_passwords_lock_the_account(client, editor):
    statuses = [attempt(client, "camille", f"essai-{n}", ip=ATTACKER).status_code for n in range(30)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=ATTACKER))


def test_the_account_is_locked_from_another_address_too(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "camille", f"essai-{n}", ip=ATTACKER)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=OTHER))


def test_an_address_is_locked_across_accounts(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"compte-{n}", "devine", ip=ATTACKER)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=ATTACKER))
    assert logged_in(attempt(client, "camille", PASSWORD, ip=OTHER))


def test_every_authenticate_call_is_guarded(editor):
    """A login endpoint other than the admin's (any authenticate() call) meets the same lockout."""
    request = RequestFactory().post("/another/login/", REMOTE_ADDR=ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert authenticate(request, username="camille", password=f"essai-{n}") is None
    assert authenticate(RequestFactory().post("/x/", REMOTE_ADDR=OTHER), username="camille", password=PASSWORD) is None


def test_unlocked_after_the_cool_off(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "camille", f"essai-{n}", ip=ATTACKER)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=ATTACKER))
    # The last failure was one cool-off and a minute ago.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )
    assert logged_in(attempt(client, "camille", PASSWORD, ip=ATTACKER))


def test_attempts_during_the_lock_out_do_not_extend_it(client, editor):
    """One request every few minutes must not keep an account locked for good; the wait shown is what is left."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "camille", f"essai-{n}", ip=ATTACKER)
    ten_minutes = datetime.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(tz=datetime.UTC) - ten_minutes)
    during = attempt(client, "camille", "encore-faux", ip=ATTACKER)
    assert during.status_code == 429
    left = settings.AXES_COOLOFF_TIME - ten_minutes
    assert abs(int(during["Retry-After"]) - left.total_seconds()) <= 2
    with translation.override("fr"):
        assert "réessayez dans 5 minutes" in during.content.decode()
    # Six more minutes: the cool-off counted from the last failure before the lock-out is over.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - ten_minutes - datetime.timedelta(minutes=6)
    )
    assert logged_in(attempt(client, "camille", PASSWORD, ip=ATTACKER))


def test_logging_into_an_own_account_does_not_wipe_the_count(client, editor):
    """An attacker holding one account cannot log into it to reset the failures counted against its address."""
    get_user_model().objects.create_user("complice", "complice@example.org", "le-sien", is_superuser=True)
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "camille", f"essai-{n}", ip=ATTACKER)
    assert logged_in(attempt(client, "complice", "le-sien", ip=ATTACKER))
    client.post("/admin/logout/")
    attempt(client, "camille", "encore-faux", ip=OTHER)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=OTHER))


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(client, editor):
    """With no proxy configured, X-Forwarded-For is the client's own claim: REMOTE_ADDR counts."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"compte-{n}", "devine", ip=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, editor):
    proxy = "127.0.0.1"
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"compte-{n}", "devine", ip=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=ATTACKER))
    # A value the attacker put in front of the proxy's own entry changes nothing.
    assert_locked_out(attempt(client, "camille", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=f"{OTHER}, {ATTACKER}"))
    # Another client behind the same proxy is not locked.
    assert logged_in(attempt(client, "camille", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=OTHER))


def _ip(remote="127.0.0.1", **meta):
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **meta))


def test_client_ip_reads_the_configured_header_and_proxy_count():
    assert _ip(HTTP_X_FORWARDED_FOR="192.0.2.1") == "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert _ip(HTTP_X_FORWARDED_FOR="192.0.2.1") == "192.0.2.1"
        assert _ip(HTTP_X_FORWARDED_FOR="192.0.2.66, 192.0.2.1") == "192.0.2.1"
        assert _ip() == "127.0.0.1"  # no header: the proxy was bypassed, its peer is the client
        assert _ip(HTTP_X_FORWARDED_FOR="not an address") == "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        # client -> CDN -> load balancer: the CDN wrote the client, the balancer wrote the CDN.
        assert _ip(HTTP_X_FORWARDED_FOR="192.0.2.66, 192.0.2.1, 198.51.100.3") == "192.0.2.1"
    with override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_HEADER="X-Real-IP"):
        assert _ip(HTTP_X_FORWARDED_FOR="192.0.2.1", HTTP_X_REAL_IP="2001:db8::5") == "2001:db8::5"
