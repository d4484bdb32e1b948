"""Which endpoint URLs and addresses a webhook may be sent to (no server-side request forgery).

An endpoint must be an `https://` URL (`http://` only with WEBHOOKS_ALLOW_HTTP)
whose host resolves to public addresses only: loopback, private, link-local
(cloud metadata at 169.254.169.254), shared, multicast, reserved and
unspecified addresses are refused, IPv4 and IPv6 alike, including IPv4
addresses carried inside IPv6 ones (IPv4-mapped, NAT64, 6to4, Teredo). The URL
is checked when an endpoint is saved and its host resolved and checked again
before every delivery, which then connects to the address checked
(`cms.webhooks.transport`), so a DNS answer that changes in between is never used.

WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS lets the test suite reach a receiver it
runs on loopback; it is not read from the environment.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Cloud metadata services outside the ranges refused anyway (Alibaba's sits in shared 100.64/10, AWS's IPv6 in ULA).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressNotAllowedError(Exception):
    """The host of an endpoint is, or resolves to, an address webhooks may not reach."""


def _embedded_ipv4(address):
    """IPv4 addresses an IPv6 address carries (and routes to)."""
    if address.version != 6:
        return []
    embedded = [address.ipv4_mapped, address.sixtofour]
    if address.teredo:
        embedded.append(address.teredo[1])
    if address in NAT64:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in embedded if a is not None]


def _test_networks():
    return [ipaddress.ip_network(n) for n in getattr(settings, "WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS", ())]


def _public(address):
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and address not in METADATA_ADDRESSES
    )


def is_allowed(address):
    """True when a delivery may connect to `address` (an ipaddress object or a string)."""
    address = ipaddress.ip_address(address)
    if any(address in network for network in _test_networks()):
        return True
    return _public(address) and all(_public(inner) for inner in _embedded_ipv4(address))


def allowed_schemes():
    return ("https", "http") if getattr(settings, "WEBHOOKS_ALLOW_HTTP", False) else ("https",)


def resolve(host, port):
    """Every address `host` resolves to for TCP on `port` (the system resolver; tests may replace it)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def checked_addresses(host, port):
    """The addresses to connect to for `host`, all of them allowed; AddressNotAllowedError otherwise.

    One refused address refuses the host: a name that resolves to a public
    and a private address would otherwise reach the private one some of the time.
    Resolution errors (socket.gaierror) propagate: the host may exist later.
    """
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    else:
        addresses = [literal]
    if not addresses or not all(is_allowed(a) for a in addresses):
        raise AddressNotAllowedError(host)
    return [str(a) for a in dict.fromkeys(addresses)]


def split_endpoint(url):
    """(scheme, host, port, path with query) of an endpoint URL; ValueError when it cannot be one."""
    parts = urlsplit(url)
    port = parts.port  # ValueError on a port out of range
    if not parts.hostname:
        raise ValueError("no host")
    scheme = parts.scheme.lower()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def validate_endpoint_url(url):
    """Model validation of an endpoint URL, with a message an editor can act on."""
    try:
        scheme, host, port, _path = split_endpoint(url)
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    if scheme not in allowed_schemes():
        if "http" in allowed_schemes():
            message = _("The URL must start with https:// or http://.")
        else:
            message = _("The URL must start with https://.")
        raise ValidationError(message, code="scheme")
    if "@" in urlsplit(url).netloc:
        raise ValidationError(_("The URL must not contain a user name or password."), code="credentials")
    try:
        checked_addresses(host, port)
    except AddressNotAllowedError:
        raise ValidationError(
            _(
                "This address is not allowed: webhooks are only sent to public Internet addresses, "
                "never to local, private or cloud metadata addresses."
            ),
            code="address",
        ) from None
    except OSError:
        pass  # not resolvable (yet): checked again before each delivery
