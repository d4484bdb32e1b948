"""Load benchmark: 50 concurrent users on a mix of the API's reads, without and with the server cache, then under faults.

One server as deployed (docs/deployment.md), sized for this machine's 2
cores: gunicorn gthread, 4 workers × 4 threads, `--timeout 30`, with
`cms.settings.base` read from the environment as production reads it
(PostgreSQL with `DATABASE_CONN_MAX_AGE=60` and `DATABASE_STATEMENT_TIMEOUT=15000`,
Redis as the resilient cache, media on S3 through `cms.storage.MediaS3Storage`,
tasks queued in the database). PostgreSQL, Redis and the S3 server
(`rclone serve s3`, `tests/s3.py`) are each reached through a `TCPProxy`
(`tests/faults.py`) that this benchmark kills (connections reset, new ones
refused: the service is down) or pauses (nothing goes through: black-holed).

The catalogue is `benchmarks/generate_catalogue.py`'s, smaller than
bench_api's (1,000 films, 200 guides by default), plus films with a video,
renditions and a subtitle track, guides with a PDF, all in the bucket, and a
partner organisation with a bearer token, so downloads and the embed player
are real.

The users (`benchmarks/load_users.py`, a process of its own) are 50 threads,
each a keep-alive connection sending its next request as soon as the last is
answered, on a weighted mix: film and guide lists (anonymous and a partner's),
details, search, suggestions, the embed player, oEmbed, a partner's film and
guide downloads, and conditional requests (`If-None-Match`). Every answer is
compared with its URL's baseline (`load_users.signature`). Phases: (a)
`Cache-Control: no-cache` on every request (the server cache is skipped), (b)
the same mix with the cache, (c) for each fault, the cached mix for 10 s
normal, 20 s with the fault, 10 s after.

Rerun alone: `.venv/bin/python -m benchmarks.run bench_load`
(BENCH_LOAD_FILMS, BENCH_LOAD_GUIDES, BENCH_LOAD_SECONDS, BENCH_LOAD_FAULT_SECONDS,
BENCH_LOAD_FAULTS change the sizes, durations and the faults run).
"""

import contextlib
import datetime
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from tests.faults import TCPProxy
from tests.s3 import ACCESS_KEY, BUCKET, REGION, SECRET_KEY, start_s3_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FILMS = int(os.environ.get("BENCH_LOAD_FILMS", 1_000))
GUIDES = int(os.environ.get("BENCH_LOAD_GUIDES", 200))
VIDEO_FILMS = 24
USERS = 50
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", 30))
FAULT_SECONDS = int(os.environ.get("BENCH_LOAD_FAULT_SECONDS", 20))
AROUND_SECONDS = FAULT_SECONDS // 2  # normal traffic before and after each fault
CLIENT_TIMEOUT = 10  # seconds a user waits for an answer; the longest designed wait is S3 black-holed (~6 s)
RECOVERY_GOAL = 2.0
DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "cms_bench_load")
REDIS_DB = int(os.environ.get("BENCH_LOAD_REDIS_DB", 8))
WORKERS, THREADS = 4, 4
MASTER_BYTES = 256 * 1024
FAULTS = [
    ("PostgreSQL down", "database", "kill"),
    ("PostgreSQL black-holed", "database", "pause"),
    ("Redis down", "redis", "kill"),
    ("Redis black-holed", "redis", "pause"),
    ("S3 down", "s3", "kill"),
    ("S3 black-holed", "s3", "pause"),
]
if os.environ.get("BENCH_LOAD_FAULTS"):
    FAULTS = [fault for fault in FAULTS if fault[1] + ":" + fault[2] in os.environ["BENCH_LOAD_FAULTS"].split(",")]
DOWNLOAD_ROUTES = ("film download", "guide download")


def _environment(database_port, redis_port, s3_port, base_url):
    """The settings of `cms.settings.base`, as a production environment file gives them."""
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-only-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{database_port}/{DATABASE}",
        "DATABASE_CONN_MAX_AGE": "60",
        "DATABASE_STATEMENT_TIMEOUT": "15000",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/{REDIS_DB}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "WAGTAILADMIN_BASE_URL": base_url,
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        # One partner token is all 50 users' partner traffic: its per-minute budget is not what is measured.
        "LIBRARY_API_REQUESTS_PER_MINUTE": "100000000",
    }


# --- Set-up -----------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(sql, database="postgres"):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", database, "-c", sql], check=True, capture_output=True
    )


def _setup_django(s3_port, base_url):
    # The benchmark process itself reaches every service directly; only the server goes through the proxies.
    os.environ.update(_environment(5432, 6379, s3_port, base_url))
    os.environ["TASKS_BACKEND"] = "immediate"  # what the catalogue's writes queue runs at once
    import django

    django.setup()


def _build_catalogue():
    """The catalogue, films and guides with files in the bucket, a partner and its token; returns the ids."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command

    from benchmarks.generate_catalogue import generate
    from library.core.groups import PARTNERS_GROUP
    from library.core.tiers import ConsentScope, Tier
    from library.listing.build import refresh_all
    from library.models import CoordinationPage, FilmPage, GuidePage
    from search.documents import rebuild
    from tests.factories import (
        make_consent,
        make_film,
        make_guide,
        make_partner,
        make_pdf,
        make_token,
        make_user,
        make_video,
    )

    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    cache.clear()
    call_command("migrate", verbosity=0)
    print("  migrated", flush=True)
    started = time.monotonic()
    generate(films=FILMS, guides=GUIDES, listing=False)
    coordinations = list(CoordinationPage.objects.order_by("path"))
    consent = make_consent(coordinations[0], ConsentScope.PUBLIC, label="Autorisation de diffusion")
    rng = random.Random(11)
    video_films = []
    for number in range(VIDEO_FILMS):
        video = make_video(
            f"Vidéo {number}",
            data=rng.randbytes(MASTER_BYTES),
            renditions=("720p", "360p"),
            tracks=("fr",),
            original_filename=f"film-{number}.mp4",
        )
        video_films.append(
            make_film(coordinations[number % 7], f"Atelier vidéo {number}", Tier.PUBLIC, consent, video=video)
        )
    pdf_guides = [
        make_guide(
            coordinations[number % 7],
            f"Livret d'atelier {number}",
            Tier.PUBLIC,
            document=make_pdf(f"Livret {number}", filename=f"livret-{number}.pdf"),
            films=video_films[number : number + 2],
        )
        for number in range(8)
    ]
    user = make_user("portail-charge", Group.objects.get_or_create(name=PARTNERS_GROUP)[0], email="")
    organisation = make_partner(coordinations[1], user, name="Cinéma de la charge")
    organisation.download_rate_per_hour = 10**9  # the quota is not what is measured
    organisation.save()
    token = make_token(user, organisation)
    print("  catalogue written", flush=True)
    refresh_all()
    rebuild()
    _psql("VACUUM ANALYZE", DATABASE)
    # Anonymous users see the public tier: its films are the ones the mix asks for.
    films = list(
        FilmPage.objects.filter(live=True, effective_tier=Tier.PUBLIC).order_by("pk").values_list("pk", "title")
    )
    guides = list(
        GuidePage.objects.filter(live=True, effective_tier=Tier.PUBLIC).order_by("pk").values_list("pk", flat=True)
    )
    return {
        "seconds": time.monotonic() - started,
        "films": films,
        "guides": guides,
        "video_films": [film.pk for film in video_films],
        "pdf_guides": [(guide.pk, guide.documents.get().document_id) for guide in pdf_guides],
        "token": token,
    }


def _requests(catalogue, base_url):
    """The mix: `{route, path, headers, weight}`; weights are per cent of requests."""
    rng = random.Random(3)
    bearer = {"Authorization": f"Bearer {catalogue['token']}"}
    film_ids = [pk for pk, _title in catalogue["films"]]
    words = sorted(
        {word.lower() for _pk, title in catalogue["films"][:200] for word in title.split() if len(word) > 4}
    )
    mix = []

    def add(route, weight, paths, headers=None):
        for path in paths:
            mix.append({"route": route, "path": path, "headers": headers or {}, "weight": weight / len(paths)})

    add(
        "films list",
        16,
        [
            "/api/v3/films/?limit=20",
            "/api/v3/films/?limit=20&offset=40",
            "/api/v3/films/?theme=citoyennete&ordering=title&limit=20",
            "/api/v3/films/?has_captions=true&year_min=2010&limit=20",
        ],
    )
    add("guides list", 4, ["/api/v3/guides/?limit=20", "/api/v3/guides/?theme=ecologie&limit=20"])
    add("partner list", 5, ["/api/v3/films/?limit=20", "/api/v3/films/?ordering=-date&limit=20"], bearer)
    add("film detail", 10, [f"/api/v3/films/{pk}/" for pk in rng.sample(film_ids, 12) + catalogue["video_films"][:4]])
    add("guide detail", 5, [f"/api/v3/guides/{pk}/" for pk in rng.sample(catalogue["guides"], 8)])
    add("search", 10, [f"/api/v3/search/?{urlencode({'q': word})}" for word in rng.sample(words, 8)])
    add("suggest", 10, [f"/api/v3/search/suggest/?{urlencode({'q': word[:3]})}" for word in rng.sample(words, 8)])
    add("embed", 8, [f"/embed/films/{pk}/" for pk in catalogue["video_films"][:8]])
    add(
        "oembed",
        7,
        [
            f"/api/oembed/?{urlencode({'url': f'{base_url}/embed/films/{pk}/', 'format': 'json'})}"
            for pk in catalogue["video_films"][:8]
        ],
    )
    add(
        "film download",
        6,
        [f"/api/v3/films/{pk}/download/?rendition=360p" for pk in catalogue["video_films"][:8]],
        bearer,
    )
    add(
        "guide download",
        4,
        [f"/api/v3/guides/{pk}/download/?document={document}" for pk, document in catalogue["pdf_guides"]],
        bearer,
    )
    return mix


def _conditional(port, mix):
    """Conditional requests (15 %): the lists and details above with the ETag their first answer carried."""
    paths = [request["path"] for request in mix if request["route"] in ("films list", "film detail")][:10]
    for path in paths:
        _status, headers, _body = _get(port, path, {"Cache-Control": "no-cache"})
        route = "conditional list" if "?" in path else "conditional detail"
        mix.append({"route": route, "path": path, "headers": {"If-None-Match": headers["ETag"]}, "weight": 1.5})


def _get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _baselines(port, mix):
    """Each URL's answer signature, asked twice (uncached) to make sure it is stable."""
    from benchmarks.load_users import signature

    signatures = []
    for request in mix:
        seen = set()
        for _ in range(2):
            status, headers, body = _get(port, request["path"], {**request["headers"], "Cache-Control": "no-cache"})
            seen.add(signature(status, headers.get("Content-Type"), headers.get("Location"), body))
        if len(seen) != 1 or next(iter(seen)).split()[0] not in ("200", "302", "304"):
            raise RuntimeError(f"unstable or failing baseline for {request['path']}: {seen}")
        signatures.append(seen.pop())
        if request["route"].startswith("conditional"):
            # A full 200 is a correct answer to a conditional request too, when its content is the same:
            # without Redis, image URLs are signed afresh (`library.core.signed_urls`), so the ETag changes.
            status, headers, body = _get(port, request["path"], {"Cache-Control": "no-cache"})
            request["full"] = signature(status, headers.get("Content-Type"), headers.get("Location"), body)
    return signatures


def _start_server(port, environment, log_path):
    log = open(log_path, "ab")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cms.wsgi:application",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--timeout",
            "30",
            "--graceful-timeout",
            "30",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if _get(port, "/health/live/")[0] == 200:
                return process
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"gunicorn did not start (see {log_path})")


def _stop(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- What must not be lost --------------------------------------------------------------------


def _snapshot(s3_client):
    """Row counts that must not change (or change only by the downloads answered), and every object's sha256."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from library.models import ConsentRecord, DownloadEvent, FilmPage, GuidePage, Video, VideoRendition

    counts = {
        "films": FilmPage.objects.count(),
        "guides": GuidePage.objects.count(),
        "videos": Video.objects.count(),
        "video renditions": VideoRendition.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "consent records": ConsentRecord.objects.count(),
        "download events": DownloadEvent.objects.count(),
    }
    hashes = {}
    for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            digest = hashlib.sha256()
            for chunk in s3_client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].iter_chunks(1 << 16):
                digest.update(chunk)
            hashes[item["Key"]] = digest.hexdigest()
    return counts, hashes


# --- Load -------------------------------------------------------------------------------------


def _load(port, mix, seconds, headers, workdir, name, during=None, users=USERS):
    """Run the users for `seconds`; `during(start_at)` runs meanwhile (the fault script). Returns the records."""
    config_path = Path(workdir) / f"{name}.json"
    output_path = Path(workdir) / f"{name}-records.json"
    start_at = time.time() + 1.5  # the users' process starts and connects first
    config = {
        "host": "127.0.0.1",
        "port": port,
        "users": users,
        "seconds": seconds,
        "timeout": CLIENT_TIMEOUT,
        "seed": 17,
        "start_at": start_at,
        "headers": headers,
        "requests": [{key: request[key] for key in ("route", "path", "headers", "weight")} for request in mix],
    }
    config_path.write_text(json.dumps(config))
    users = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.load_users", str(config_path), str(output_path)], cwd=ROOT
    )
    events = during(start_at) if during else {}
    users.wait(timeout=seconds + CLIENT_TIMEOUT + 60)
    if users.returncode:
        raise RuntimeError(f"the users' process failed ({users.returncode})")
    return json.loads(output_path.read_text()), events


def _service_times(port, mix, workdir, seconds=3):
    """Per route, one user alone for `seconds`, server cache bypassed: what a request of it costs the server."""
    times = {}
    for route in sorted({request["route"] for request in mix}):
        requests = [request for request in mix if request["route"] == route]
        records, _ = _load(port, requests, seconds, {"Cache-Control": "no-cache"}, workdir, "alone", users=1)
        times[route] = statistics.median(r[3] for r in records) * 1000
    return times


def _percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _classify(record, baselines, mix):
    route, index, _started, _seconds, status, outcome = record
    if outcome == baselines[index]:
        return "correct"
    if outcome == mix[index].get("full"):
        return "full answer"
    if status == 503 and outcome == "503 problem":
        return "503 problem"
    if status == 503 and route == "embed" and outcome == "503 text/html":
        return "503 page"  # the embed player is a page: a French 503 page with Retry-After (cms/unavailable.py)
    if status == 0:
        return "timeout" if outcome == "timeout" else "connection error"
    if status >= 500:
        return "error"
    return "wrong"


def _unexpected(records, baselines, mix):
    """The answers neither correct nor 503, by route and what they were: `[(route, status, outcome, count)]`."""
    counts = {}
    for record in records:
        if _classify(record, baselines, mix) in ("correct", "full answer", "503 problem", "503 page"):
            continue
        expected = baselines[record[1]].split()[0]
        if record[4] in (0, 503):
            outcome = record[5]
        elif str(record[4]) == expected:
            outcome = f"{expected} with another body"
        else:
            outcome = f"{record[4]} instead of {expected}"
        key = (record[0], outcome)
        counts[key] = counts.get(key, 0) + 1
    return sorted(((route, outcome, count) for (route, outcome), count in counts.items()), key=lambda i: -i[2])


def _summary(records, baselines, mix, window=None):
    """Latency percentiles and outcomes of the records (those started within `window`, if given)."""
    if window:
        records = [r for r in records if window[0] <= r[2] < window[1]]
    latencies = [r[3] for r in records]
    outcomes = {}
    for record in records:
        kind = _classify(record, baselines, mix)
        outcomes[kind] = outcomes.get(kind, 0) + 1
    span = (max(r[2] + r[3] for r in records) - min(r[2] for r in records)) if records else 0
    by_route = {}
    for record in records:
        by_route.setdefault(record[0], []).append(record[3])
    return {
        "requests": len(records),
        "rps": len(records) / span if span else 0,
        "p50": _percentile(latencies, 0.50) * 1000,
        "p95": _percentile(latencies, 0.95) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "max": max(latencies, default=0) * 1000,
        "outcomes": outcomes,
        "status_500": sum(1 for r in records if r[4] == 500),
        "unexpected": _unexpected(records, baselines, mix),
        "routes": {
            route: (len(values), _percentile(values, 0.5) * 1000, _percentile(values, 0.95) * 1000)
            for route, values in sorted(by_route.items())
        },
    }


def _recovery(records, baselines, mix, restored_at):
    """Per route: seconds from the restore to the end of the first correct answer to a request sent after it."""
    first = {}
    for route, index, started, seconds, _status, outcome in sorted(records, key=lambda r: r[2] + r[3]):
        correct = outcome == baselines[index] or outcome == mix[index].get("full")
        if started >= restored_at and correct and route not in first:
            first[route] = started + seconds - restored_at
    return first


def _fault_script(proxies, proxy_name, action):
    def during(start_at):
        proxy = proxies[proxy_name]
        time.sleep(max(0.0, start_at + AROUND_SECONDS - time.time()))
        began = time.time()
        getattr(proxy, action)()
        time.sleep(max(0.0, began + FAULT_SECONDS - time.time()))
        proxy.restore()
        return {"began": began, "restored": time.time()}

    return during


def _downloads_answered(records):
    return sum(1 for r in records if r[0] in DOWNLOAD_ROUTES and r[4] == 302)


def run():
    load_before = os.getloadavg()
    s3 = start_s3_server()
    workdir = tempfile.mkdtemp(prefix="cms-bench-load-")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = None
    proxies = {}
    try:
        _setup_django(s3.port, base_url)
        catalogue = _build_catalogue()
        proxies = {
            "database": TCPProxy("127.0.0.1", 5432).start(),
            "redis": TCPProxy("127.0.0.1", 6379).start(),
            "s3": TCPProxy("127.0.0.1", s3.port).start(),
        }
        environment = _environment(proxies["database"].port, proxies["redis"].port, proxies["s3"].port, base_url)
        server = _start_server(port, environment, Path(workdir) / "gunicorn.log")
        mix = _requests(catalogue, base_url)
        _conditional(port, mix)
        baselines = _baselines(port, mix)
        s3_client = s3.client()
        phases = {"alone": _service_times(port, mix, workdir)}
        records, _ = _load(port, mix, SECONDS, {"Cache-Control": "no-cache"}, workdir, "uncached")
        phases["uncached"] = _summary(records, baselines, mix)
        records, _ = _load(port, mix, SECONDS, {}, workdir, "cached")
        phases["cached"] = _summary(records, baselines, mix)
        faults = []
        for label, proxy_name, action in FAULTS:
            before = _snapshot(s3_client)
            records, events = _load(
                port,
                mix,
                2 * AROUND_SECONDS + FAULT_SECONDS,
                {},
                workdir,
                f"{proxy_name}-{action}",
                during=_fault_script(proxies, proxy_name, action),
            )
            time.sleep(1)  # the last downloads' rows are written before their answers end; a margin all the same
            after = _snapshot(s3_client)
            faults.append(
                {
                    "label": label,
                    "all": _summary(records, baselines, mix),
                    "during": _summary(records, baselines, mix, (events["began"], events["restored"])),
                    "recovery": _recovery(records, baselines, mix, events["restored"]),
                    "routes": sorted({request["route"] for request in mix}),
                    "before": before,
                    "after": after,
                    "downloads": _downloads_answered(records),
                    "downloads_given_up": sum(1 for r in records if r[0] in DOWNLOAD_ROUTES and r[4] == 0),
                }
            )
    finally:
        if server is not None:
            _stop(server)
        for proxy in proxies.values():
            proxy.stop()
        s3.stop()
    phases["load average"] = (load_before, os.getloadavg())
    report = _report(catalogue, mix, phases, faults)
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(s3.root, ignore_errors=True)
    return report


# --- Report -----------------------------------------------------------------------------------


def _outcomes_text(outcomes):
    return ", ".join(f"{kind} {count}" for kind, count in sorted(outcomes.items(), key=lambda item: -item[1]))


def _errors(summary):
    return sum(summary["outcomes"].get(kind, 0) for kind in ("error", "wrong", "timeout", "connection error"))


def _not_correct(summary):
    """Without faults, anything but the baseline answer (a 503 included) is an error."""
    outcomes = summary["outcomes"]
    return summary["requests"] - outcomes.get("correct", 0) - outcomes.get("full answer", 0)


def _lost(fault):
    """What differs between before and after, beyond one download event per download answered."""
    (counts_before, hashes_before), (counts_after, hashes_after) = fault["before"], fault["after"]
    problems = []
    for name, count in counts_before.items():
        expected = count + (fault["downloads"] if name == "download events" else 0)
        if counts_after[name] != expected:
            problem = f"{name}: {counts_after[name]} instead of {expected}"
            if name == "download events" and 0 < counts_after[name] - expected <= fault["downloads_given_up"]:
                problem += (
                    f" (the client gave up on {fault['downloads_given_up']} downloads at its timeout: the server "
                    "answered some of them later, and logged them)"
                )
            problems.append(problem)
    changed = [key for key, digest in hashes_before.items() if hashes_after.get(key) != digest]
    if changed:
        problems.append(f"{len(changed)} objects missing or changed")
    return problems


def _report(catalogue, mix, phases, faults):
    uncached, cached = phases["uncached"], phases["cached"]
    weights = {}
    for request in mix:
        weights[request["route"]] = weights.get(request["route"], 0) + request["weight"]
    total_weight = sum(weights.values())
    lines = [
        "## bench_load: 50 concurrent users on a mix, with and without the server cache, and under faults",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC. Catalogue: {FILMS:,} films and {GUIDES:,} "
        f"guides from `benchmarks/generate_catalogue.py` (smaller than bench_api's 5,000/1,000: the load, not the "
        f"size, is measured here), plus {VIDEO_FILMS} public films with a video ({MASTER_BYTES // 1024} KiB master, "
        "720p and 360p renditions, a French track) and 8 guides with a PDF, every file in an S3 bucket "
        f"(`rclone serve s3`, `tests/s3.py`); built in {catalogue['seconds']:.0f} s. A partner organisation with a "
        "bearer token makes the downloads.",
        "",
        f"Server: gunicorn gthread, {WORKERS} workers × {THREADS} threads (docs/deployment.md's 2 × cores workers "
        "on this machine's 2 cores), `--timeout 30`, `cms.settings.base` from the environment: DEBUG off, "
        "PostgreSQL with `DATABASE_CONN_MAX_AGE=60`, `DATABASE_CONNECT_TIMEOUT=3`, "
        "`DATABASE_STATEMENT_TIMEOUT=15000`; Redis as the resilient cache (`REDIS_TIMEOUT=0.25`, "
        "`REDIS_RETRY_SECONDS=5`); media on S3 (`cms.storage.MediaS3Storage`, `library/core/bucket.py`: connect 1 s, "
        "read 2 s, two attempts); tasks queued in PostgreSQL. PostgreSQL, Redis and S3 are each reached through a "
        "`TCPProxy` (`tests/faults.py`) in the benchmark's process: `kill()` resets connections and refuses new "
        "ones (down), `pause()` passes no byte either way (black-holed), `restore()` lets traffic flow again.",
        "",
        f"Users: {USERS} threads in a process of their own (`benchmarks/load_users.py`), each a keep-alive "
        "connection (http.client) sending its next request as soon as the last is answered (closed loop, no "
        f"think time: {USERS} requests in flight), client timeout {CLIENT_TIMEOUT} s. The mix, per cent of requests: "
        + ", ".join(f"{route} {weight * 100 / total_weight:.0f}" for route, weight in weights.items())
        + f" ({len(mix)} URLs). 'partner list' and the downloads send the partner's bearer token (never cached); "
        "the downloads are answered by a redirect to a signed URL once the bucket answered the object's HEAD "
        "(the client does not follow it). Every answer is compared with its URL's baseline, taken before the "
        "load: its status and body, signed URLs' query strings removed (`load_users.signature`). A conditional "
        "request answered 200 with the same content as its URL's plain answer is a 'full answer', not an error "
        "(without Redis, image URLs are signed afresh for each answer, `library/core/signed_urls.py`, so the "
        "ETag changes). An answer is "
        "an error when it is a 5xx other than a 503 problem+json, a wrong answer (another status or body), a "
        "client timeout or a connection error.",
        "",
        "The machine's load average (1, 5, 15 min) was "
        + " / ".join(f"{value:.1f}" for value in phases["load average"][0])
        + " when the benchmark started and "
        + " / ".join(f"{value:.1f}" for value in phases["load average"][1])
        + " when it ended (2 cores: above 2, other work was waiting for them too).",
        "",
        "### Without faults",
        "",
        "| phase | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | outcomes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, label in (
        ("uncached", "(a) server cache bypassed (`Cache-Control: no-cache`)"),
        ("cached", "(b) with the cache"),
    ):
        s = phases[name]
        lines.append(
            f"| {label}, {SECONDS} s | {s['requests']:,} | {s['rps']:.0f} | {s['p50']:.0f} | {s['p95']:.0f} | "
            f"{s['p99']:.0f} | {s['max']:.0f} | {_outcomes_text(s['outcomes'])} |"
        )
    alone = phases["alone"]
    cost = {route: weights[route] / total_weight * alone[route] for route in alone}
    lines += [
        "",
        "Per route: requests / p50 / p95 (ms) under load; alone: the median of one user by itself for 3 s, "
        "server cache bypassed (what one request costs); share: the route's part of the uncached mix's cost "
        "(its weight × alone).",
        "",
        "| route | (a) uncached | (b) cached | alone (ms) | share of the cost |",
        "| --- | --- | --- | --- | --- |",
    ]
    for route in uncached["routes"]:
        a = uncached["routes"][route]
        b = cached["routes"].get(route, (0, float("nan"), float("nan")))
        lines.append(
            f"| {route} | {a[0]:,} / {a[1]:.0f} / {a[2]:.0f} | {b[0]:,} / {b[1]:.0f} / {b[2]:.0f} | "
            f"{alone.get(route, float('nan')):.1f} | {cost.get(route, 0) / sum(cost.values()):.0%} |"
        )
    lines += [
        "",
        f"### Under faults ({AROUND_SECONDS} s normal, {FAULT_SECONDS} s fault, {AROUND_SECONDS} s after; the mix with the cache)",
        "",
        "| fault | requests | HTTP 500 | other errors | max latency (ms) | during the fault: outcomes | 503 share | "
        "slowest route back (s) | nothing lost |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fault in faults:
        during = fault["during"]
        share = (during["outcomes"].get("503 problem", 0) + during["outcomes"].get("503 page", 0)) / max(
            1, during["requests"]
        )
        recovery = fault["recovery"]
        missing = [route for route in fault["routes"] if route not in recovery]
        slowest = max(recovery.values(), default=float("nan"))
        back = f"{slowest:.2f}" + (f" (never: {', '.join(missing)})" if missing else "")
        lost = _lost(fault)
        lines.append(
            f"| {fault['label']} | {fault['all']['requests']:,} | {fault['all']['status_500']} | "
            f"{_errors(fault['all'])} | {fault['all']['max']:.0f} | {_outcomes_text(during['outcomes'])} | "
            f"{share:.0%} | {back} | {'yes' if not lost else 'NO: ' + '; '.join(lost)} |"
        )
    lines += ["", "Answers neither correct nor 503 (route: what came × how many):", ""]
    for fault in faults:
        unexpected = fault["all"]["unexpected"]
        text = "; ".join(f"{route}: {outcome} × {count}" for route, outcome, count in unexpected[:8]) or "none"
        lines.append(f"- {fault['label']}: {text}")
    lines += [
        "",
        "Recovery per route (seconds from the restore to the end of the first correct answer to a request sent "
        "after it; under this load a request waits its turn, so this includes the queue):",
        "",
    ]
    routes = sorted({request["route"] for request in mix})
    lines += ["| fault | " + " | ".join(routes) + " |", "| --- |" + " --- |" * len(routes)]
    for fault in faults:
        cells = [f"{fault['recovery'][route]:.2f}" if route in fault["recovery"] else "never" for route in routes]
        lines.append(f"| {fault['label']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "'Nothing lost': before and after each fault, the rows of films, guides, videos, video renditions, images, "
        "documents and consent records are counted, download events must have grown by exactly the downloads "
        "answered 302 meanwhile (none lost, none recorded for a refusal), and every object in the bucket is read "
        "back and its sha256 compared.",
        "",
    ]
    worst_500 = sum(f["all"]["status_500"] for f in faults)
    worst_errors = sum(_errors(f["all"]) for f in faults)
    worst_latency = max((f["all"]["max"] for f in faults), default=0)
    recoveries = [value for f in faults for value in f["recovery"].values()]
    never = sum(1 for f in faults for route in f["routes"] if route not in f["recovery"])
    worst_recovery = max(recoveries, default=float("nan"))
    lost = [f["label"] for f in faults if _lost(f)]
    goals = [
        ("p95, 50 users, server cache bypassed", f"{uncached['p95']:.0f} ms", "≤ 300 ms", uncached["p95"] <= 300),
        ("p95, 50 users, with the cache", f"{cached['p95']:.0f} ms", "≤ 100 ms", cached["p95"] <= 100),
        (
            "answers other than the baseline without faults (both phases; a 503 counts)",
            f"{_not_correct(uncached) + _not_correct(cached)}",
            "0",
            _not_correct(uncached) + _not_correct(cached) == 0,
        ),
        ("HTTP 500 under faults", f"{worst_500}", "0", worst_500 == 0),
        (
            "answers under faults neither correct nor 503 (wrong, 5xx, timeouts)",
            f"{worst_errors}",
            "0",
            worst_errors == 0,
        ),
        (
            "longest request under faults vs the client timeout",
            f"{worst_latency / 1000:.1f} s",
            f"< {CLIENT_TIMEOUT} s",
            worst_latency / 1000 < CLIENT_TIMEOUT,
        ),
        (
            "recovery: restore to first correct answer, slowest route",
            f"{worst_recovery:.2f} s" + (f" ({never} never)" if never else ""),
            f"≤ {RECOVERY_GOAL:.0f} s",
            worst_recovery <= RECOVERY_GOAL and not never,
        ),
        (
            "nothing lost (counts, download events, object hashes)",
            "yes" if not lost else "no: " + ", ".join(lost),
            "yes",
            not lost,
        ),
    ]
    lines += ["### Goals", "", "| goal | measured | target | met |", "| --- | --- | --- | --- |"]
    for label, measured, target, met in goals:
        lines.append(f"| {label} | {measured} | {target} | {'yes' if met else 'NO'} |")
    lines += [
        "",
        "What the figures come from:",
        "",
        f"- Latency under a closed loop of {USERS} users is the queue: each user waits for the {USERS - 1} "
        "requests ahead of it, so p95 follows the mix's average cost (the 'alone' and 'share' columns) divided by "
        "the cores the server gets. Here the server shares 2 cores with PostgreSQL, Redis, the S3 server, the "
        "three proxies (Python threads copying every byte) and the users' process, and what the cache cannot "
        "serve (search, suggestions, the embed player, the partner's lists and downloads: about half the mix) "
        "costs the same in phase (b) as in (a).",
        "- PostgreSQL black-holed: the workers keep their connections (`DATABASE_CONN_MAX_AGE=60`), and a query "
        "sent on an open connection waits as long as the database is silent: libpq has no read timeout, "
        "`statement_timeout` is counted by the server that never got the query, and TCP keepalives or "
        "`tcp_user_timeout` only end a connection whose packets go unacknowledged, which a host that is up but "
        "hung (as the proxy's pause is) still acknowledges. `DATABASE_CONNECT_TIMEOUT` bounds new connections "
        "only. So requests wait for the database to come back, up to the length of the fault, instead of "
        "answering 503 after 3 s.",
        "- Redis away: every answer is made afresh, image URLs are signed for each answer instead of reused "
        "from the cache, so the server does phase (a)'s work and more, and conditional requests get full "
        "answers (a new ETag) until the cache is used again (`REDIS_RETRY_SECONDS`).",
        "",
        "Commands:",
        "",
        "```",
        ".venv/bin/python -m benchmarks.run bench_load",
        "BENCH_LOAD_SECONDS=5 BENCH_LOAD_FAULT_SECONDS=6 BENCH_LOAD_FAULTS=database:pause "
        ".venv/bin/python -m benchmarks.run bench_load   # a short trial of one fault",
        "```",
        "",
    ]
    return "\n".join(lines)
