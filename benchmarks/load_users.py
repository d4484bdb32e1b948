"""The load benchmark's users: N threads, each a keep-alive HTTP connection, on a weighted mix of requests.

Run as its own process (`python -m benchmarks.load_users config.json out.json`)
by `benchmarks.bench_load`, so that the users' threads never compete for the
interpreter lock with the fault proxies of the benchmark process. Each user
is closed loop: it sends one request, reads the whole answer, records it and
sends the next (no think time), so 50 users are 50 requests in flight.

Each record is `[route, url index, start (epoch s), seconds, status, outcome
signature]`; the signature (`signature()`) is what "the same answer" means:
the status and the body with signed URLs' query strings removed (they change
every second), so the benchmark compares each answer with the baseline of its
URL. A request that fails in the client (timeout, reset) gets status 0 and
its error's name as signature.
"""

import hashlib
import http.client
import json
import random
import re
import socket
import sys
import threading
import time
from urllib.parse import urlsplit

_SIGNED_QUERY = re.compile(r"\?[^\"'\s<>]*X-Amz-Signature[^\"'\s<>]*")


def _unsign(text):
    return _SIGNED_QUERY.sub("", text)


def signature(status, content_type, location, body):
    """A short digest of what an answer means, stable across requests for the same content."""
    content_type = (content_type or "").split(";")[0].strip()
    if status in (301, 302, 303, 307, 308):
        parts = urlsplit(location or "")
        return f"{status} {parts.netloc}{parts.path}"
    if status == 304:
        return "304"
    if status == 503:
        return "503 problem" if content_type == "application/problem+json" else f"503 {content_type}"
    text = body.decode("utf-8", "replace")
    if content_type == "application/json":
        try:
            text = json.dumps(json.loads(_unsign(text)), sort_keys=True)
        except ValueError:
            return f"{status} bad-json"
    else:
        text = _unsign(text)
    return f"{status} {hashlib.sha1(text.encode()).hexdigest()[:16]}"  # noqa: S324 - a digest, not security


class User(threading.Thread):
    def __init__(self, number, config, records):
        super().__init__(daemon=True)
        self.rng = random.Random(config["seed"] + number)
        self.config = config
        self.records = records
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPConnection(
            self.config["host"], self.config["port"], timeout=self.config["timeout"]
        )

    def run(self):
        requests = self.config["requests"]
        weights = [request["weight"] for request in requests]
        extra = self.config.get("headers", {})
        end = self.config["start_at"] + self.config["seconds"]
        time.sleep(max(0.0, self.config["start_at"] - time.time()))
        self._connect()
        while time.time() < end:
            index = self.rng.choices(range(len(requests)), weights)[0]
            request = requests[index]
            started = time.time()
            clock = time.perf_counter()
            try:
                self.connection.request("GET", request["path"], headers={**request.get("headers", {}), **extra})
                response = self.connection.getresponse()
                body = response.read()
                status = response.status
                outcome = signature(status, response.getheader("Content-Type"), response.getheader("Location"), body)
                if (response.getheader("Connection") or "").lower() == "close":
                    self.connection.close()
                    self._connect()
            except (OSError, http.client.HTTPException) as error:
                status = 0
                outcome = "timeout" if isinstance(error, socket.timeout | TimeoutError) else type(error).__name__
                self.connection.close()
                self._connect()
            self.records.append([request["route"], index, started, time.perf_counter() - clock, status, outcome])


def main(config_path, output_path):
    with open(config_path) as file:
        config = json.load(file)
    records = []
    users = [User(number, config, records) for number in range(config["users"])]
    for user in users:
        user.start()
    for user in users:
        user.join(config["seconds"] + config["timeout"] + 30)
    with open(output_path, "w") as file:
        json.dump(records, file)


if __name__ == "__main__":
    main(*sys.argv[1:3])
