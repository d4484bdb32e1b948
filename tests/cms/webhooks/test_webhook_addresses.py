"""Webhooks reach public addresses only: no request forgery towards the server's own network.

Every address below other than 127.0.0.1 is refused before a socket opens:
names resolve through a test resolver (no DNS query) and `transport.open_socket`
fails the test if it is called. Real deliveries go to a receiver this module
runs on 127.0.0.1, allowed by WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS only where a
test says so.
"""

import socket

import pytest

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.webhooks import addresses, delivery, transport
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.recorder import start_recorder

pytestmark = pytest.mark.django_db

REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.170.2",
    "100.100.100.200",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - an address refused, never bound
    "224.0.0.251",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2001:db8::1",
]
TEST_NAMES = {
    "metadata.test": ["169.254.169.254"],
    "intranet.test": ["10.0.0.5"],
    "mapped.test": ["::ffff:192.168.0.1"],
    "linklocal6.test": ["fe80::1%2"],
    "localhost.test": ["127.0.0.1", "::1"],
    "mixed.test": ["93.184.216.34", "10.0.0.1"],  # one public answer does not excuse a private one
    "public.test": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
}


@pytest.fixture
def resolver(monkeypatch):
    """Names resolve from TEST_NAMES only; every resolution is recorded."""
    asked = []

    def resolve(host, port):
        asked.append(host)
        if host not in TEST_NAMES:
            raise socket.gaierror(socket.EAI_NONAME, "unknown test name")
        return list(TEST_NAMES[host])

    monkeypatch.setattr(addresses, "resolve", resolve)
    return asked


@pytest.fixture
def sockets(monkeypatch):
    """Records every socket a delivery opens, and opens it (tests allow only 127.0.0.1)."""
    opened = []
    real = transport.open_socket

    def open_socket(address, port, timeout):
        opened.append((address, port))
        assert address == "127.0.0.1", f"a delivery tried to connect to {address}"
        return real(address, port, timeout)

    monkeypatch.setattr(transport, "open_socket", open_socket)
    return opened


@pytest.fixture
def receiver():
    recorder = start_recorder()
    yield recorder
    recorder.stop()


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS = ["127.0.0.1/32"]


def deliver(url):
    endpoint = WebhookEndpoint.objects.create(name="Cible", url=url)
    pending = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="page.published", payload={"id": "1", "type": "page.published"}
    )
    return delivery.attempt(pending)


def _url_host(address):
    return f"[{address}]" if ":" in address else address


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_refused_addresses_are_never_connected_to(address, settings, sockets, resolver):
    settings.WEBHOOKS_ALLOW_HTTP = True
    assert not addresses.is_allowed(address)
    for url in (f"https://{_url_host(address)}/hooks", f"http://{_url_host(address)}:8080/hooks"):
        sent = deliver(url)
        assert (sent.status, sent.last_error, sent.response_status) == (
            "retrying",
            "refused: address not allowed",
            None,
        )
    assert sockets == [] and resolver == []  # literal addresses: refused without a lookup


@pytest.mark.parametrize(
    "name", ["metadata.test", "intranet.test", "mapped.test", "linklocal6.test", "localhost.test", "mixed.test"]
)
def test_names_resolving_to_refused_addresses_are_never_connected_to(name, sockets, resolver):
    sent = deliver(f"https://{name}/hooks")
    assert sent.last_error == "refused: address not allowed"
    assert sockets == [] and resolver == [name]


def test_public_addresses_are_allowed(resolver):
    assert addresses.is_allowed("93.184.216.34") and addresses.is_allowed("2606:4700::1111")
    assert addresses.checked_addresses("public.test", 443) == ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]


def test_loopback_is_refused_without_the_test_allowance(settings, receiver, sockets):
    """Even with plain HTTP allowed, a receiver listening on loopback gets nothing."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    sent = deliver(f"{receiver.url}/hooks/")
    assert sent.last_error == "refused: address not allowed"
    assert receiver.requests == [] and sockets == []


def test_only_https_unless_http_is_allowed(settings, receiver, sockets):
    settings.WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS = ["127.0.0.1/32"]
    settings.WEBHOOKS_ALLOW_HTTP = False
    assert deliver(f"{receiver.url}/hooks/").last_error == "refused: address not allowed"
    assert deliver(f"ftp://127.0.0.1:{receiver.server.server_address[1]}/hooks").last_error == (
        "refused: address not allowed"
    )
    assert receiver.requests == [] and sockets == []
    settings.WEBHOOKS_ALLOW_HTTP = True
    assert deliver(f"{receiver.url}/hooks/").status == "succeeded"
    assert len(receiver.requests) == 1


def test_a_delivery_connects_to_the_address_it_checked(loopback_allowed, monkeypatch, receiver, sockets):
    """The host is resolved once; a second answer (DNS rebinding) is never used; the request carries the name."""
    port = receiver.server.server_address[1]
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    asked = []

    def resolve(host, port):
        asked.append(host)
        return next(answers)

    monkeypatch.setattr(addresses, "resolve", resolve)
    sent = deliver(f"http://hooks.test:{port}/hooks/?source=cms")
    assert (sent.status, sent.response_status) == ("succeeded", 204)
    assert asked == ["hooks.test"] and sockets == [("127.0.0.1", port)]
    request = receiver.requests[0]
    assert (request.path, request.headers["Host"]) == ("/hooks/?source=cms", f"hooks.test:{port}")


def test_redirects_are_not_followed(loopback_allowed, receiver, sockets):
    elsewhere = start_recorder()
    try:
        receiver.status = 307
        receiver.headers = {"Location": f"{elsewhere.url}/stolen/"}
        sent = deliver(f"{receiver.url}/hooks/")
        assert (sent.status, sent.response_status, sent.last_error) == ("retrying", 307, "HTTP 307")
        assert len(receiver.requests) == 1 and elsewhere.requests == []
        assert len(sockets) == 1
    finally:
        elsewhere.stop()


def test_a_closed_port_and_a_timeout_read_the_same(loopback_allowed, monkeypatch, sockets):
    monkeypatch.setattr(delivery, "TIMEOUT_SECONDS", 0.5)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) and never answers
    closed = socket.create_server(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        timed_out = deliver(f"http://127.0.0.1:{silent.getsockname()[1]}/hooks/")
        refused = deliver(f"http://127.0.0.1:{closed_port}/hooks/")
    finally:
        silent.close()
    assert (timed_out.last_error, timed_out.response_status) == ("delivery failed", None)
    assert (refused.last_error, refused.response_status) == ("delivery failed", None)


def _french(message):
    with translation.override("fr"):
        return str(message)


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://169.254.169.254/latest/meta-data/", "scheme"),
        ("ftp://portail.example/hooks", "scheme"),
        ("https://169.254.169.254/latest/meta-data/", "address"),
        ("https://[::ffff:127.0.0.1]/hooks", "address"),
        ("https://10.0.0.8/hooks", "address"),
        ("https://metadata.test/hooks", "address"),
        ("https://user:secret@portail.example/hooks", "credentials"),
    ],
)
def test_the_endpoint_form_refuses_urls_webhooks_may_not_reach(url, error, resolver, sockets):
    endpoint = WebhookEndpoint(name="Cible", url=url)
    with pytest.raises(ValidationError) as raised:
        endpoint.full_clean()
    assert [e.code for e in raised.value.error_dict["url"]] == [error]
    assert sockets == []


def test_the_admin_shows_a_french_error(client, resolver, sockets):
    client.force_login(get_user_model().objects.create_superuser("admin-ssrf", password="x"))
    answer = client.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Métadonnées", "url": "https://169.254.169.254/", "events": "[]", "is_active": "on", "secret": "s"},
    )
    assert answer.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    message = _french(
        addresses._(
            "This address is not allowed: webhooks are only sent to public Internet addresses, "
            "never to local, private or cloud metadata addresses."
        )
    )
    assert message in answer.content.decode().replace("&#x27;", "'")
    # A name that does not resolve (yet) is accepted; it is checked before every delivery.
    created = client.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Portail", "url": "https://portail.example/hooks", "events": "[]", "is_active": "on", "secret": "s"},
    )
    assert created.status_code == 302 and WebhookEndpoint.objects.filter(name="Portail").exists()
