"""Benchmark of the library API against Wagtail's stock endpoints and the framework's floor.

One run, one server: gunicorn (2 sync workers) on loopback serving the
project with `benchmarks.settings` (PostgreSQL, DEBUG off), a generated
catalogue of 5,000 films and 1,000 guides, and wrk from Debian (installed
with apt-get when missing) driving every URL in turn, so each goal is a
ratio measured under the same conditions:

- SQL queries of the lists for limit = 5, 20, 50 (in process, test client);
- requests/s of `/api/v3/films/?limit=20` uncached (`Cache-Control: no-cache`
  skips the server cache) against stock v2 (`fields=*`), stock v3 and a
  constant-JSON view;
- single-client p50 latency of the films list against the floor view;
- the first films-list request after deleting every image rendition against
  a warm one (renditions are never generated while answering);
- 304 answers and cached anonymous hits against the floor view;
- publishing a film changes the ETag of the lists that contained it.

Rerun alone: `.venv/bin/python -m benchmarks.run bench_api`
(BENCH_FILMS / BENCH_GUIDES / BENCH_SECONDS change the sizes and durations).
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FILMS = int(os.environ.get("BENCH_FILMS", 5_000))
GUIDES = int(os.environ.get("BENCH_GUIDES", 1_000))
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
DATABASE = "cms_bench_api"
MEDIA_DIR = "/tmp/cms-bench-api-media"
ENV = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "BENCH_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "BENCH_REDIS_URL": "redis://127.0.0.1:6379/7",
    "BENCH_MEDIA_ROOT": MEDIA_DIR,
}

FILMS_URL = "/api/v3/films/?limit=20"
URLS = {
    "floor": "/bench/floor/",
    "v2": "/api/v2/pages/?type=library.FilmPage&fields=*&limit=20",
    "v3": "/api/v3/pages/?type=library.FilmPage&limit=20",
    "films": FILMS_URL,
}
NO_CACHE = {"Cache-Control": "no-cache"}


def _setup():
    os.environ.update(ENV)
    import django

    django.setup()


def _psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, capture_output=True)


def _psql_database(sql):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", DATABASE, "-c", sql], check=True, capture_output=True
    )


def _build_catalogue():
    from django.core.management import call_command

    from benchmarks.generate_catalogue import generate

    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    from django.core.cache import cache

    cache.clear()
    shutil.rmtree(MEDIA_DIR, ignore_errors=True)
    call_command("migrate", verbosity=0)
    from library.listing.build import refresh_all

    started = time.monotonic()
    generate(films=FILMS, guides=GUIDES, listing=False)
    generated = time.monotonic()
    refresh_all()  # what `manage.py rebuild_listing` does after a bulk import
    listing_seconds = time.monotonic() - generated
    _psql_database("VACUUM ANALYZE")  # planner statistics of the new rows, as autovacuum keeps them
    return generated - started, listing_seconds


def _ensure_wrk():
    if shutil.which("wrk"):
        return
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(port):
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cms.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, URLS["floor"])
            return process
        except OSError:
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("gunicorn did not start")


def _stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def _wrk(port, path, headers=None, connections=4, threads=2, seconds=SECONDS):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p50[2]]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": float(p50[1]) * factor,
        "errors": int(non2xx[1]) if non2xx else 0,
        "command": " ".join(command),
    }


def _query_counts():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    lists = {
        "films": "/api/v3/films/",
        "guides": "/api/v3/guides/",
        "films filtered": "/api/v3/films/?theme=citoyennete&has_captions=true&year_min=2010&ordering=title",
        "films in English": "/api/v3/films/?locale=en",
    }
    counts = {}
    for name, url in lists.items():
        counts[name] = {}
        client.get(url, {"limit": 1}, HTTP_CACHE_CONTROL="no-cache")
        for limit in (5, 20, 50):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"limit": limit}, HTTP_CACHE_CONTROL="no-cache")
            assert response.status_code == 200, response.content[:300]
            counts[name][limit] = len(queries)
    v2 = {}
    for limit in (5, 20):
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v2/pages/", {"type": "library.FilmPage", "fields": "*", "limit": limit})
        v2[limit] = len(queries)
    return counts, (v2[20] - v2[5]) / 15


def _recount_cost(runs=60):
    """Median in-process time of the films list with its total kept, and recounted on every request."""
    from django.test import Client

    from library.listing import counts

    client = Client()

    def timed(before=None):
        samples = []
        for _ in range(runs):
            if before:
                before()
            started = time.perf_counter()
            client.get(FILMS_URL, HTTP_CACHE_CONTROL="no-cache")
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000

    timed()
    return {"kept": timed(), "recounted": timed(counts.changed)}


def _cold_renditions(port, rounds=3):
    """The first list request after deleting every rendition, against warm ones (no-cache).

    Three rounds (delete, first request, make the renditions again as the
    background tasks do); the medians are reported.
    """
    from wagtail.images import get_image_model

    from library.listing.build import refresh_all
    from library.models import LibraryRendition
    from library.models.renditions import NAMED_RENDITIONS

    warm, cold, created, statuses = [], [], 0, set()
    for _ in range(rounds):
        for _ in range(15):
            started = time.perf_counter()
            _get(port, FILMS_URL, NO_CACHE)
            warm.append(time.perf_counter() - started)
        LibraryRendition.objects.all().delete()
        started = time.perf_counter()
        status, _headers, _body = _get(port, FILMS_URL, NO_CACHE)
        cold.append(time.perf_counter() - started)
        statuses.add(status)
        created = max(created, LibraryRendition.objects.count())
        for image in get_image_model().objects.all():  # what the background tasks do
            image.get_renditions(*NAMED_RENDITIONS.values())
        refresh_all()
    return statistics.median(warm), statistics.median(cold), created, "/".join(map(str, sorted(statuses)))


def _etag_after_publish(port):
    from library.models import FilmPage

    urls = [FILMS_URL, "/api/v3/films/?limit=20&ordering=-date", "/api/v3/films/"]
    before = {url: _get(port, url)[1].get("ETag") for url in urls}
    first_id = int(re.search(rb'"id":\s*(\d+)', _get(port, FILMS_URL)[2])[1])
    film = FilmPage.objects.get(pk=first_id)
    film.synopsis = film.synopsis + " (révisé)"
    film.save_revision().publish()
    after = {url: _get(port, url)[1].get("ETag") for url in urls}
    return all(before[url] and after[url] and before[url] != after[url] for url in urls)


def run():
    _setup()
    _ensure_wrk()
    generation_seconds, listing_seconds = _build_catalogue()
    counts, v2_extra_per_item = _query_counts()
    recount = _recount_cost()
    port = _free_port()
    server = _start_server(port)
    try:
        for path in URLS.values():  # warm both workers and their connections
            for _ in range(4):
                _get(port, path, NO_CACHE)
        results = {name: _wrk(port, path, NO_CACHE if name == "films" else None) for name, path in URLS.items()}
        etag = _get(port, FILMS_URL)[1]["ETag"]
        results["304"] = _wrk(port, FILMS_URL, {"If-None-Match": etag})
        results["cached"] = _wrk(port, FILMS_URL)
        single = {
            "floor": _wrk(port, URLS["floor"], connections=1, threads=1),
            "films": _wrk(port, FILMS_URL, NO_CACHE, connections=1, threads=1),
        }
        warm, cold, created, cold_status = _cold_renditions(port)
        etag_changes = _etag_after_publish(port)
    finally:
        _stop(server)
    return _report(
        (generation_seconds, listing_seconds),
        counts,
        v2_extra_per_item,
        recount,
        results,
        single,
        (warm, cold, created, cold_status),
        etag_changes,
    )


def _report(seconds, counts, v2_extra, recount, results, single, renditions, etag_changes):
    generation_seconds, listing_seconds = seconds
    warm, cold, created, cold_status = renditions
    films = results["films"]["rps"]
    floor = results["floor"]["rps"]
    ratios = [
        ("films ÷ stock v2 (fields=*)", films / results["v2"]["rps"], 10, "≥"),
        ("films ÷ stock v3 pages", films / results["v3"]["rps"], 2, "≥"),
        ("films ÷ floor", films / floor, 0.08, "≥"),
        ("films p50 ÷ floor p50 (1 client)", single["films"]["p50_ms"] / single["floor"]["p50_ms"], 10, "≤"),
        ("first request after deleting renditions ÷ warm", cold / warm, 1.5, "≤"),
        ("304 ÷ floor", results["304"]["rps"] / floor, 0.5, "≥"),
        ("cached anonymous hit ÷ floor", results["cached"]["rps"] / floor, 0.5, "≥"),
    ]
    lines = [
        "## bench_api: library API against stock Wagtail endpoints",
        "",
        f"Catalogue: {FILMS:,} films, {GUIDES:,} guides, 21 coordinations (generated in {generation_seconds:.0f} s by "
        "`benchmarks/generate_catalogue.py`, then the lists' read model written in "
        f"{listing_seconds:.0f} s, {(FILMS + GUIDES) / listing_seconds:.0f} items/s, as `manage.py rebuild_listing` "
        "does after a bulk import). Server: gunicorn, 2 sync workers, 127.0.0.1, `benchmarks.settings` "
        f"(PostgreSQL, DEBUG off, Redis cache shared by the workers). Load: wrk, {SECONDS} s per URL, 2 threads × 4 "
        "connections; `Cache-Control: no-cache` makes `/api/v3/films/` skip the server cache (uncached figures).",
        "",
        "### SQL queries per list request (anonymous, server cache bypassed)",
        "",
        "| list | limit=5 | limit=20 | limit=50 | constant and ≤ 8 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, by_limit in counts.items():
        ok = len(set(by_limit.values())) == 1 and max(by_limit.values()) <= 8
        lines.append(f"| {name} | {by_limit[5]} | {by_limit[20]} | {by_limit[50]} | {'yes' if ok else 'NO'} |")
    lines += [
        "",
        f"Stock v2 `fields=*` for comparison: {v2_extra:.1f} extra queries per item.",
        "",
        "How a list is read (`library/listing/`): the page's ids come from a narrow read model (one row per film "
        "or guide: the columns the access rule and the orderings read) in index order, the items from cards "
        "serialised per language when an item changes; the access rule and the tier are applied at request time. "
        "The total is kept in the cache until the read model changes or the day changes; a request after a "
        "change counts it again in the same query as its page, so the query count is the same either way. "
        f"In process (Django test client, no server cache), the films list takes {recount['kept']:.2f} ms with the "
        f"total kept and {recount['recounted']:.2f} ms when it is recounted.",
        "",
        "### Throughput and latency",
        "",
        "| URL | requests/s | p50 (ms) | non-2xx/3xx |",
        "| --- | --- | --- | --- |",
    ]
    labels = {
        "floor": "constant JSON view (floor)",
        "v2": f"stock v2 `{URLS['v2']}`",
        "v3": f"stock v3 `{URLS['v3']}`",
        "films": f"`{FILMS_URL}` uncached",
        "304": f"`{FILMS_URL}` with If-None-Match (304)",
        "cached": f"`{FILMS_URL}` anonymous, server cache hit",
    }
    for name, label in labels.items():
        r = results[name]
        lines.append(f"| {label} | {r['rps']:.1f} | {r['p50_ms']:.2f} | {r['errors']} |")
    lines += [
        f"| single client: floor | {single['floor']['rps']:.1f} | {single['floor']['p50_ms']:.2f} | |",
        f"| single client: films uncached | {single['films']['rps']:.1f} | {single['films']['p50_ms']:.2f} | |",
        "",
        "### Goals (ratios)",
        "",
        "| goal | measured | target | met |",
        "| --- | --- | --- | --- |",
    ]
    for label, value, target, sense in ratios:
        met = value >= target if sense == "≥" else value <= target
        lines.append(f"| {label} | {value:.2f} | {sense} {target} | {'yes' if met else 'NO'} |")
    lines += [
        f"| renditions created while answering the cold request | {created} | 0 | {'yes' if created == 0 else 'NO'} |",
        f"| publishing a film changes the ETag of every list containing it | {'yes' if etag_changes else 'no'} | yes | "
        f"{'yes' if etag_changes else 'NO'} |",
        "",
        f"Cold request (renditions deleted; median of 3 rounds): {cold * 1000:.1f} ms (HTTP {cold_status}); "
        f"warm median {warm * 1000:.1f} ms. "
        "A list request reads cards only: deleting renditions queues the rewrite of the cards that show them, "
        "which queues the missing renditions for the background task; nothing is generated while answering.",
        "",
        "Commands:",
        "",
        "```",
        ".venv/bin/python -m benchmarks.run bench_api",
        *[results[name]["command"] for name in ("floor", "v2", "v3", "films", "304", "cached")],
        "```",
        "",
    ]
    return "\n".join(lines)
