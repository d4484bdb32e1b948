"""Slow clients (slowloris) against the supported deployment, and against gunicorn alone.

A thousand connections each send one header line every 5 s and never finish
their request. Behind nginx configured as `docs/nginx/passeurs-cms.conf`
says (the file itself, with a plain loopback `listen` instead of TLS),
gunicorn as `docs/deployment.md` runs it (gthread, fewer workers) never
sees them: other clients keep being answered within a second. Straight at
gunicorn's sync workers the same attack takes every worker, and other
clients get nothing, which is why the front is part of the deployment.

Everything is a real process on loopback: gunicorn with the production
settings against the test database, nginx from Debian
(`scripts/system-deps.sh`) with its own configuration, logs and pid file in
the test's directory; the system's nginx service is never used.
"""

import json
import os
import pwd
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from django.db import connections

from library.core.tiers import ConsentScope, Tier
from tests.factories import build_coordinations, build_home, make_consent, make_film
from tests.paths import PROJECT
from tests.s3 import free_port

pytestmark = pytest.mark.django_db(transaction=True)

#: The site configuration the deployment guide points to; the test serves it.
NGINX_SITE = PROJECT / "docs" / "nginx" / "passeurs-cms.conf"
#: What nginx.conf must allow for the slow clients held plus the requests proxied (the guide says so).
NGINX_WORKER_CONNECTIONS = 4096

SLOW_CLIENTS = 1000
LINE_EVERY = 5.0
ATTACK_SECONDS = 20.0
PROBE_EVERY = 0.5
#: What a normal client asks meanwhile: a probe that asks no service, and an API list read from PostgreSQL.
PROBES = ("/health/live/", "/api/v3/films/?limit=5")
#: Within this, a normal client is answered while the attack goes on behind nginx.
ANSWERED_WITHIN = 1.0


@pytest.fixture
def catalogue(transactional_db):
    """Two public films, so that the API list the normal client reads has rows to read."""
    home = build_home()
    _, (coordination,) = build_coordinations(home, {"title": "Coordination Alpha", "slug": "alpha", "region": "Test"})
    consent = make_consent(coordination, ConsentScope.PUBLIC)
    for title in ("Film public", "Autre film public"):
        make_film(coordination, title, Tier.PUBLIC, consent)


@pytest.fixture(autouse=True)
def enough_file_descriptors():
    """A thousand sockets here, and as many in nginx (which inherits the limit): 1,024 is a common default."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3 * NGINX_WORKER_CONNECTIONS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raise_to = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (raise_to, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- The processes --------------------------------------------------------------------------------


def _database_url():
    settings = connections["default"].settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def _stop(process, seconds=10):
    """SIGTERM to the process group, then SIGKILL if it is still there after `seconds`."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=seconds)


def _wait_until_answering(base, process, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()[-5000:]
        answer = probe(base, "/health/live/", timeout=2)
        if answer.status == 200:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"{base}/health/live/ did not answer 200 within {seconds} s (last: {answer.status}):\n"
        + log_path.read_text()[-5000:]
    )


@contextmanager
def gunicorn(folder, worker_class, *, trusted_proxies):
    """`gunicorn cms.wsgi` as docs/deployment.md runs it, with 2 workers, on a free loopback port.

    Production settings, with what they require from the environment, and no
    TLS redirect (TLS is not what is tested). Yields the base URL.
    """
    port = free_port()
    threads = ["--threads", "4"] if worker_class == "gthread" else []
    command = [
        *(str(Path(sys.executable).parent / "gunicorn"), "cms.wsgi"),
        *("--workers", "2", "--worker-class", worker_class, *threads),
        *("--timeout", "30", "--graceful-timeout", "2", "--bind", f"127.0.0.1:{port}"),
    ]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "PYTHONPATH": str(PROJECT),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "slow-clients-test-key-slow-clients-test-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": _database_url(),
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "TRUSTED_PROXY_COUNT": str(trusted_proxies),
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "WARNING",
    }
    log_path = folder / f"gunicorn-{worker_class}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_answering(base, process, log_path)
            yield base
        finally:
            _stop(process)


def nginx_site(front_port, upstream_port):
    """docs/nginx/passeurs-cms.conf with plain HTTP on `front_port` and gunicorn on `upstream_port`.

    Only those lines change; each must be found exactly once, so that the
    guide's file and what is tested cannot drift apart unnoticed.
    """
    text = NGINX_SITE.read_text()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{front_port};"),
        ("server_name cms.example.org;", "server_name 127.0.0.1;"),
    ):
        assert text.count(old) == 1, f"{NGINX_SITE.name} no longer has `{old}` once: update the test with it"
        text = text.replace(old, new)
    text, certificates = re.subn(r"^\s*ssl_\w+ .*;\n", "", text, flags=re.MULTILINE)
    assert certificates == 2, f"{NGINX_SITE.name}: expected ssl_certificate and ssl_certificate_key"
    return text


@contextmanager
def nginx(folder, upstream):
    """Debian's nginx serving `nginx_site` in front of `upstream`, in the foreground, all its files in `folder`."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    assert binary, "nginx is required (scripts/system-deps.sh installs it from Debian)"
    port = free_port()
    root = folder / "nginx"
    root.mkdir()
    (root / "passeurs-cms.conf").write_text(nginx_site(port, int(upstream.rsplit(":", 1)[1])))
    temp_paths = "\n".join(
        f"    {kind}_temp_path {root / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"""
# Workers run as the test's user (ignored, with a notice, when the test is not root).
user {pwd.getpwuid(os.geteuid()).pw_name};
worker_processes 1;
pid {root / "nginx.pid"};
error_log {root / "error.log"} warn;
events {{ worker_connections {NGINX_WORKER_CONNECTIONS}; }}
http {{
    access_log {root / "access.log"};
{temp_paths}
    include {root / "passeurs-cms.conf"};
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-p", str(root), "-e", str(root / "error.log"), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_answering(base, process, root / "error.log", seconds=20)
        yield base
    finally:
        _stop(process)


# --- The clients -----------------------------------------------------------------------------------


@dataclass
class Answer:
    path: str
    status: object  # the HTTP status, or "timeout" / the error's name
    seconds: float


def probe(base, path, *, timeout):
    """One GET as a normal client makes it, on a new connection; never raises."""
    headers = {"Accept-Language": "fr", "Cache-Control": "no-cache"}  # no-cache: the API answers from PostgreSQL
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except TimeoutError:
        status = "timeout"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        status = "timeout" if isinstance(reason, TimeoutError) else type(reason).__name__
    return Answer(path, status, time.monotonic() - started)


class Slowloris:
    """`SLOW_CLIENTS` connections sending one header line every `LINE_EVERY` seconds, never the blank line.

    One thread and a selector: a connection the server closes (nginx's
    client_header_timeout) is opened again, so the count held stays the same.
    """

    def __init__(self, base):
        host, port = base.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.selector = selectors.DefaultSelector()
        self.closed_by_server = 0
        self.lines_sent = 0
        self.opened = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slowloris", daemon=True)
        self.error = None

    def __enter__(self):
        for _ in range(SLOW_CLIENTS):
            self._open()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        self._thread.join(timeout=10)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()

    @property
    def held(self):
        return len(self.selector.get_map())

    def _open(self):
        sock = socket.create_connection(self.address, timeout=5)
        sock.sendall(b"GET /health/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ)
        self.opened += 1

    def _reopen(self, sock):
        self.selector.unregister(sock)
        sock.close()
        self.closed_by_server += 1
        self._open()

    def _run(self):
        try:
            next_line = time.monotonic() + LINE_EVERY
            while not self._stopping.is_set():
                for key, _ in self.selector.select(timeout=max(0.0, min(0.2, next_line - time.monotonic()))):
                    try:
                        closed = key.fileobj.recv(4096) == b""
                    except (BlockingIOError, InterruptedError):
                        closed = False
                    except OSError:
                        closed = True
                    if closed:
                        self._reopen(key.fileobj)
                if time.monotonic() >= next_line:
                    next_line += LINE_EVERY
                    for key in list(self.selector.get_map().values()):
                        try:
                            key.fileobj.send(f"X-Slow-{self.lines_sent}: 1\r\n".encode())
                            self.lines_sent += 1
                        except OSError:
                            self._reopen(key.fileobj)
        except Exception as error:
            self.error = error


def probe_during(base, seconds, *, timeout):
    """Every PROBE_EVERY seconds for `seconds`, each of PROBES once; all the answers."""
    answers = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        answers += [probe(base, path, timeout=timeout) for path in PROBES]
        time.sleep(max(0.0, PROBE_EVERY - (time.monotonic() - started)))
    return answers


def report(label, answers):
    slowest = max(answers, key=lambda answer: answer.seconds)
    print(f"{label}: {len(answers)} answers, slowest {slowest.seconds:.3f} s ({slowest.path}, {slowest.status})")


# --- The tests -------------------------------------------------------------------------------------


def test_behind_nginx_other_clients_are_answered_within_a_second(catalogue, tmp_path):
    with gunicorn(tmp_path, "gthread", trusted_proxies=1) as upstream, nginx(tmp_path, upstream) as front:
        films = probe(front, "/api/v3/films/?limit=5", timeout=10)
        assert films.status == 200
        with urllib.request.urlopen(front + "/api/v3/films/?limit=5", timeout=10) as answer:
            assert len(json.load(answer)["items"]) == 2
        with Slowloris(front) as attack:
            answers = probe_during(front, ATTACK_SECONDS, timeout=5)
            held = attack.held
        report("behind nginx", answers)
    assert attack.error is None
    assert attack.opened >= SLOW_CLIENTS and held == SLOW_CLIENTS
    assert attack.lines_sent >= SLOW_CLIENTS * int(ATTACK_SECONDS // LINE_EVERY - 1)
    # nginx, not gunicorn, let them go: each first connection hit client_header_timeout (15 s) once.
    assert attack.closed_by_server >= SLOW_CLIENTS
    assert len(answers) >= ATTACK_SECONDS / PROBE_EVERY
    assert [answer for answer in answers if answer.status != 200] == []
    assert max(answer.seconds for answer in answers) < ANSWERED_WITHIN


@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
def test_straight_at_gunicorn_other_clients_get_nothing(catalogue, tmp_path, worker_class):
    """Without the front, 1,000 slow clients hold 2 sync workers, and 2 gthread workers' 8 threads, for good."""
    with gunicorn(tmp_path, worker_class, trusted_proxies=0) as server:
        assert probe(server, "/health/live/", timeout=10).status == 200
        with Slowloris(server) as attack:
            time.sleep(1)  # the workers have taken their first slow clients; the others wait behind them
            answers = [probe(server, path, timeout=2) for path in PROBES for _ in range(2)]
        report(f"{worker_class} workers alone", answers)
    assert attack.error is None
    assert [answer.status for answer in answers] == ["timeout"] * len(answers)
