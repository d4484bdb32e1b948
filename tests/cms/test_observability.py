"""What operators read: one JSON line per request with its id, and error reports without secrets.

Error reports go through the real sentry-sdk to a Sentry ingest stand-in on
loopback (an HTTP server of the test that keeps the envelopes it receives).
"""

import gzip
import http.server
import json
import logging
import threading
import uuid

import pytest
import sentry_sdk

from django.test import Client

from cms.observability.error_reporting import start as start_error_reporting
from cms.observability.json_format import JSONFormatter
from cms.observability.request_log import RequestIdFilter
from tests.s3 import free_port

try:  # sentry-sdk compresses with Brotli when it is installed, with gzip otherwise
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "cms.requests"]


def test_each_request_gets_an_id_and_one_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="cms.requests"):
        response = client.get("/health/live/?token=secret-preview-token")
    identifier = response["X-Request-ID"]
    assert len(identifier) == 32
    [record] = request_lines(caplog)
    assert (record.http_method, record.path, record.status, record.request_id) == (
        "GET",
        "/health/live/",
        200,
        identifier,
    )
    assert record.duration_ms >= 0
    assert "secret-preview-token" not in record.getMessage()


def test_every_line_of_a_request_carries_its_id_as_json(client, caplog):
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(self.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JSONFormatter())
    requests_logger = logging.getLogger("cms.requests")
    requests_logger.addHandler(handler)
    try:
        with caplog.at_level(logging.INFO, logger="cms.requests"):
            response = client.get("/health/live/")
    finally:
        requests_logger.removeHandler(handler)
    [line] = [json.loads(text) for text in seen]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["logger"], line["status"], line["path"]) == (
        "INFO",
        "cms.requests",
        200,
        "/health/live/",
    )
    assert line["message"] == "GET /health/live/ 200"


def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(client):
    sent = "abc12345-proxy"
    assert client.get("/health/live/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    for strange in ("short", "x" * 65, "id with spaces", "<script>alert(1)</script>"):
        answered = client.get("/health/live/", HTTP_X_REQUEST_ID=strange)["X-Request-ID"]
        assert answered != strange
        assert len(answered) == 32


class Ingest(http.server.BaseHTTPRequestHandler):
    """Keeps every envelope posted to it, as a Sentry server would receive it."""

    envelopes = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.envelopes.append(body.decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    Ingest.envelopes = []
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start_error_reporting(f"http://public-key@127.0.0.1:{port}/1", environment="test")
    try:
        yield Ingest.envelopes
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: reporting off again for the rest of the run
        server.shutdown()


def events(envelopes):
    """The error events of the envelopes (each envelope: a header line, then item header and payload lines)."""
    found = []
    for envelope in envelopes:
        lines = envelope.split("\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_an_error_report_has_the_request_id_and_no_secret(sentry_ingest, monkeypatch):
    secret_token = f"partner-token-{uuid.uuid4().hex}"

    def broken(request):
        raise RuntimeError("the view broke")

    monkeypatch.setattr("cms.health.JsonResponse", broken)
    response = Client(raise_request_exception=False).get(
        f"/health/live/?token={secret_token}",
        HTTP_AUTHORIZATION=f"Bearer {secret_token}",
        HTTP_X_SESSION_TOKEN=secret_token,
        HTTP_COOKIE=f"sessionid={secret_token}",
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    [event] = events(sentry_ingest)
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert event["exception"]["values"][-1]["value"] == "the view broke"
    assert secret_token not in json.dumps(event)
    assert "user" not in event or not event["user"].get("ip_address")


def test_a_logged_request_shows_no_query_string(caplog):
    from django.test import RequestFactory

    request = RequestFactory().get("/api/v3/preview/films/?token=secret-preview-token")
    record = logging.makeLogRecord({"msg": "Internal Server Error", "request": request})
    line = json.loads(JSONFormatter().format(record))
    assert line["request"] == "GET /api/v3/preview/films/"
