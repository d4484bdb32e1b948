"""One webhook POST over a connection to an address checked beforehand.

urllib resolves the host itself when it connects, after any check made on
an earlier resolution, and follows redirects to wherever they point. Here the
host is resolved once, every address is checked (`cms.webhooks.addresses`),
and the socket is opened to a checked address while the request carries the
name: in the Host header and, over HTTPS, in SNI and certificate verification.
Redirects are answers like any other: a 3xx is not followed.
"""

import http.client
import socket
import ssl

from cms.webhooks.addresses import AddressNotAllowedError, allowed_schemes, checked_addresses, split_endpoint


def open_socket(address, port, timeout):
    """The one place a delivery opens a socket (tests watch it)."""
    return socket.create_connection((address, port), timeout=timeout)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = open_socket(self._address, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        sock = open_socket(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, timeout):
    """POST `body` to `url`; the answer's status code.

    Raises AddressNotAllowedError before any socket is opened when the host is, or
    resolves to, an address webhooks may not reach; OSError (including
    timeouts and TLS errors) and http.client.HTTPException when delivery fails.
    """
    scheme, host, port, path = split_endpoint(url)
    if scheme not in allowed_schemes():
        raise AddressNotAllowedError(url)
    address = checked_addresses(host, port)[0]
    if scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, address, timeout, ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(host, port, address, timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
