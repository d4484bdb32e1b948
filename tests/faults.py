"""A TCP proxy the test owns, between the app and a service (PostgreSQL, Redis, S3).

Faults are injected by acting on the proxy, never on the machine's services:

- `kill()`: every open connection is cut and new ones are refused (the
  service is down);
- `pause()`: connections are accepted, or kept, but no byte goes either way
  (the service is black-holed: a dead host, a full network);
- `restore()`: traffic flows again, to new and, after a pause, kept connections.

One thread accepts; each connection gets a pair of threads copying bytes.
"""

import contextlib
import socket
import threading
import time

from tests.s3 import free_port


class TCPProxy:
    def __init__(self, target_host, target_port, *, host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.host = host
        self.port = free_port()
        self._flowing = threading.Event()
        self._flowing.set()
        self._refusing = False
        self._stopped = False
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None
        self._accepter = None

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    # -- life cycle ----------------------------------------------------------------

    def start(self):
        self._listen()
        return self

    def stop(self):
        self._stopped = True
        self._flowing.set()
        self._close_listener()
        self._cut_all()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- faults --------------------------------------------------------------------

    def kill(self):
        """The service is down: open connections are reset, new ones refused."""
        self._refusing = True
        self._close_listener()
        self._cut_all()

    def pause(self):
        """The service is black-holed: connections open (or stay open) but nothing answers."""
        self._flowing.clear()
        if self._refusing:
            self._refusing = False
            self._listen()

    def restore(self):
        """Traffic flows again."""
        if self._refusing:
            self._refusing = False
            self._listen()
        self._flowing.set()

    # -- plumbing ------------------------------------------------------------------

    def _listen(self):
        deadline = time.monotonic() + 5
        while True:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                listener.bind((self.host, self.port))
                break
            except OSError:
                listener.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        listener.listen(128)
        self._listener = listener
        self._accepter = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepter.start()

    def _close_listener(self):
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _cut_all(self):
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                # RST rather than FIN: the client sees a reset, as when a service dies.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            with contextlib.suppress(OSError):
                # A close() from this thread leaves a socket another thread is reading open until that
                # read returns; shutdown() wakes the reader, so the connection really ends.
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self, listener):
        while not self._stopped:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client):
        self._flowing.wait()
        if self._stopped or self._refusing:
            client.close()
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                # Each read is forwarded as it comes: with Nagle's algorithm on, a second small write
                # waits for the first's acknowledgement (about 40 ms a request).
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._sockets.update((client, upstream))
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source, destination):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._flowing.wait()
                if self._stopped:
                    break
                destination.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                destination.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def database_through_proxy(connect_timeout=1):
    """The test process's `default` connection reopened through a TCPProxy to its database; yields the proxy.

    Use with `transactional_db`: the connection is closed and reopened, so no
    test transaction can span it.
    """
    from django.db import connections

    connection = connections["default"]
    original = {key: connection.settings_dict[key] for key in ("HOST", "PORT", "OPTIONS")}
    with TCPProxy(original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432)) as proxy:
        connection.close()
        connection.settings_dict.update(
            HOST="127.0.0.1", PORT=proxy.port, OPTIONS={**original["OPTIONS"], "connect_timeout": connect_timeout}
        )
        try:
            yield proxy
        finally:
            # Leaving the block stops the proxy and cuts what it still holds open.
            connection.close()
            connection.settings_dict.update(original)


@contextlib.contextmanager
def bucket_through_proxy(s3_server, settings):
    """Every storage (media and private) reaches the session's S3 server through a TCPProxy; yields the proxy.

    `settings` is pytest-django's fixture, which puts STORAGES back after the test.
    """
    with TCPProxy("127.0.0.1", s3_server.port) as proxy:
        storages = s3_server.storage_settings(settings.STORAGES)
        for alias in ("default", "private"):
            storages[alias]["OPTIONS"]["endpoint_url"] = f"http://{proxy.address}"
        settings.STORAGES = storages
        yield proxy
