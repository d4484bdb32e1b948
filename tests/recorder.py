"""A real HTTP server on loopback that records the requests it gets (webhook receivers, CDN purges)."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Recorder:
    server: object = None
    requests: list = field(default_factory=list)
    status: int = 204
    headers: dict = field(default_factory=dict)  # sent with every answer, e.g. a redirect's Location

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def start_recorder():
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def _record(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorder.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
            self.send_response(recorder.status)
            for name, value in recorder.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PURGE = do_GET = _record  # noqa: N815 - http.server's naming

        def log_message(self, *args):
            pass

    recorder.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=recorder.server.serve_forever, daemon=True).start()
    return recorder
