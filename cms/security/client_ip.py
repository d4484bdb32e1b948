"""The address of the client a request comes from, as login lockout and throttling count it.

With no trusted proxy (TRUSTED_PROXY_COUNT=0, the default) it is REMOTE_ADDR:
any X-Forwarded-For header is the client's own claim and is ignored. Behind
N trusted proxies, each appending the address it received the connection
from to TRUSTED_PROXY_HEADER, the client is the N-th entry from the right;
entries further left were written by the client and are never trusted.
"""

import ipaddress

from django.conf import settings


def _meta_key(header):
    return "HTTP_" + header.upper().replace("-", "_")


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get(_meta_key(getattr(settings, "TRUSTED_PROXY_HEADER", "X-Forwarded-For")), "")
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not entries:
        # No proxy wrote the header: the request reached the application directly.
        return remote
    # Fewer entries than proxies: the outer ones were bypassed; the left-most entry is the closest to the client.
    return _valid(entries[-min(count, len(entries))]) or remote
