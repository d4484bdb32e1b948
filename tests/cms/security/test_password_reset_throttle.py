"""Password-reset requests are throttled per address and per client, so the form cannot flood mailboxes."""

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import translation

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
DONE = "/admin/password_reset/done/"


@pytest.fixture
def editors():
    users = get_user_model().objects
    return [users.create_user(f"editeur{n}", f"editeur{n}@example.org", "x", is_superuser=True) for n in range(3)]


def ask(client, email, ip="127.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_one_address_gets_a_limited_number_of_mails(client, editors):
    limit = settings.PASSWORD_RESET_LIMIT
    # From many clients, so that only the per-address limit applies.
    answers = [ask(client, "editeur0@example.org", ip=f"192.0.2.{n}") for n in range(limit + 5)]
    # Every answer is the ordinary one: no sign of whether a mail went out.
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, DONE)}
    assert len(mail.outbox) == limit
    assert {m.to[0] for m in mail.outbox} == {"editeur0@example.org"}


def test_one_client_is_stopped_with_a_retry_time(client, editors):
    limit = settings.PASSWORD_RESET_LIMIT
    statuses = [ask(client, f"personne{n}@example.org", ip="203.0.113.7").status_code for n in range(limit)]
    assert statuses == [302] * limit
    refused = ask(client, "editeur1@example.org", ip="203.0.113.7")
    assert refused.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert minutes * 60 - 60 < int(refused["Retry-After"]) <= minutes * 60
    with translation.override("fr"):
        message = translation.ngettext(
            "Too many attempts; try again in %(minutes)d minute.",
            "Too many attempts; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    assert message in refused.content.decode()
    assert mail.outbox == []
    # Another client may still ask.
    assert ask(client, "editeur1@example.org", ip="198.51.100.20").status_code == 302
    assert [m.to[0] for m in mail.outbox] == ["editeur1@example.org"]


def test_the_address_is_counted_whatever_its_case(client, editors):
    for n in range(settings.PASSWORD_RESET_LIMIT + 2):
        ask(client, "EDITEUR2@example.org" if n % 2 else "editeur2@Example.org", ip=f"192.0.2.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_client_is_counted(client, editors):
    for n in range(settings.PASSWORD_RESET_LIMIT):
        client.post(RESET, {"email": f"personne{n}@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(RESET, {"email": "x@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(RESET, {"email": "x@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_the_reset_page_still_works(client, editors):
    assert client.get(RESET).status_code == 200
    assert ask(client, "editeur0@example.org").status_code == 302
    assert len(mail.outbox) == 1 and "/admin/password_reset/confirm/" in mail.outbox[0].body
