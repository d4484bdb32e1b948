"""HMAC-SHA256 signatures with a timestamp, so a receiver can reject forged and replayed events.

Header: `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
A receiver recomputes the HMAC over the raw body, compares in constant time,
rejects timestamps older than a few minutes, and ignores an `X-Webhook-Id`
it has already processed (see docs/webhooks.md).
"""

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def sign(secret, body, timestamp=None):
    timestamp = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret, body, header, now=None, tolerance=TOLERANCE_SECONDS):
    """True when `header` signs `body` with `secret` and is recent enough."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
