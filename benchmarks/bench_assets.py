"""Asset benchmarks: server memory during a large upload, upload throughput, processing speed.

1. Peak RSS of the Django process (gunicorn, one gthread worker) while a
   large video is uploaded through the admin's upload API, in both storage
   modes: S3 (parts go straight to an rclone S3 server with presigned URLs;
   we count the bytes that cross Django) and local disk (8 MiB chunks
   through Django).
2. Upload throughput on loopback: our S3 path (6 parallel parts, as the
   browser uploader sends them) against a plain boto3 `upload_file` of the
   same file to the same server.
3. Processing time of a 1080p video into the 720p and 360p renditions, as a
   ratio to the video's duration.

Sizes are configurable for a quick run:
`BENCH_ASSETS_UPLOAD_MB` (default 2048) and `BENCH_ASSETS_VIDEO_SECONDS`
(default 60). Run: `.venv/bin/python -m benchmarks.run bench_assets`.
"""

import concurrent.futures
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
UPLOAD_MB = int(os.environ.get("BENCH_ASSETS_UPLOAD_MB", "2048"))
VIDEO_SECONDS = float(os.environ.get("BENCH_ASSETS_VIDEO_SECONDS", "60"))
PARALLEL_PARTS = 6  # what uploader.js sends at once (Chromium's six connections per host)
MIB = 1024 * 1024


def _setup_django(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ["ENV_FILE"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _session_cookies():
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)
    return {"sessionid": session.session_key, "csrftoken": csrf}, csrf


def _make_master(path, megabytes):
    """A valid short MP4 padded to the wanted size: finalize probes it like any master."""
    from library.assets.media.generate import make_test_video

    make_test_video(path, seconds=2, width=320, height=240)
    with open(path, "ab") as handle:
        chunk = os.urandom(MIB)
        for _ in range(max(0, megabytes - 1)):
            handle.write(chunk)
    return path.stat().st_size


class RssSampler(threading.Thread):
    """Peak RSS of the worker itself, and separately of its short-lived children (the probe)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.children_peak = 0
        self.running = True

    def rss(self):
        return self.process.memory_info().rss

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.rss())
            for child in self.process.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    self.children_peak = max(self.children_peak, child.memory_info().rss)
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


class Server:
    """gunicorn serving the project, one gthread worker (what a small production host runs)."""

    def __init__(self, workdir, extra_env):
        self.port = _free_port()
        env = {**os.environ, **extra_env, "TASKS_BACKEND": "dummy", "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "900",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "gunicorn.log", "ab"),  # noqa: SIM115
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/admin/login/", timeout=30)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_pid(self):
        children = psutil.Process(self.process.pid).children()
        return children[0].pid if children else self.process.pid

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def _free_port():
    from tests.s3 import free_port

    return free_port()


def _api(session, csrf):
    session.headers["X-CSRFToken"] = csrf
    return session


def upload_s3(server_url, cookies, csrf, path, size):
    """What uploader.js does in S3 mode; returns (seconds, bytes sent to Django)."""
    http = _api(requests.Session(), csrf)
    http.cookies.update(cookies)
    sent_to_django = 0

    def post(url, payload):
        nonlocal sent_to_django
        body = requests.models.complexjson.dumps(payload)
        sent_to_django += len(body)
        response = http.post(server_url + url, data=body, headers={"Content-Type": "application/json"}, timeout=600)
        response.raise_for_status()
        return response.json()

    started = time.perf_counter()
    upload = post("/admin/library/uploads/", {"filename": "master.mp4", "size": size})
    part_size = upload["part_size"]
    count = -(-size // part_size)
    numbers = list(range(1, count + 1))
    urls = {}
    for index in range(0, count, 100):
        urls.update(
            {
                int(k): v
                for k, v in post(upload["urls"]["parts"], {"parts": numbers[index : index + 100]})["urls"].items()
            }
        )

    local = threading.local()

    def put(number):
        if not hasattr(local, "http"):
            local.http = requests.Session()  # keep-alive, as a browser does
        with open(path, "rb") as handle:
            handle.seek((number - 1) * part_size)
            body = handle.read(part_size)
        local.http.put(urls[number], data=body, timeout=600).raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(PARALLEL_PARTS) as pool:
        list(pool.map(put, numbers))
    parts_done = time.perf_counter()
    result = post(upload["urls"]["finalize"], {})
    finished = time.perf_counter()
    assert result["state"] == "completed", result
    return finished - started, sent_to_django, {"parts": parts_done - started, "finalize": finished - parts_done}


def warm_up(server_url, cookies, csrf, mode, workdir):
    """One small upload, complete: loads every code path (views, boto3 models, probe) before measuring."""
    from library.assets.media.generate import make_test_video

    small = workdir / "warm.mp4"
    make_test_video(small, seconds=1, width=160, height=120)
    if mode == "s3":
        upload_s3(server_url, cookies, csrf, small, small.stat().st_size)
    else:
        upload_local(server_url, cookies, csrf, small, small.stat().st_size)


def upload_local(server_url, cookies, csrf, path, size):
    http = _api(requests.Session(), csrf)
    http.cookies.update(cookies)
    started = time.perf_counter()
    response = http.post(
        server_url + "/admin/library/uploads/",
        json={"filename": "master.mp4", "size": size},
        timeout=60,
    )
    response.raise_for_status()
    upload = response.json()
    chunk = upload["chunk_size"]
    offset = 0
    with open(path, "rb") as handle:
        while offset < size:
            body = handle.read(chunk)
            result = http.put(
                f"{server_url}{upload['urls']['chunk']}?offset={offset}",
                data=body,
                headers={"Content-Type": "application/octet-stream"},
                timeout=600,
            )
            result.raise_for_status()
            offset = result.json()["received"]
    final = http.post(server_url + upload["urls"]["finalize"], timeout=600)
    final.raise_for_status()
    return time.perf_counter() - started


def finalize_probe_bytes(s3, key):
    """Bytes finalize's probe reads back from S3 (its child process, through a presigned URL)."""
    from library.assets.media.isolation import probe_isolated
    from tests.s3 import BUCKET

    url = s3.client().generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=600)
    _info, bytes_read = probe_isolated(url)
    return bytes_read + 8192  # plus the signature check's first 8 KiB


def _s3_env(s3):
    from tests.s3 import ACCESS_KEY, BUCKET, REGION, SECRET_KEY

    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3.endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def measure_upload(workdir, env, mode, cookies, csrf, upload):
    """`upload(server_url)` under a fresh, warmed-up worker; returns (RSS after start, after warm-up, peak),
    what `upload` returned, and the peak RSS of the worker's short-lived children (the probe)."""
    server = Server(workdir, env)
    try:
        sampler = RssSampler(server.worker_pid())
        cold = sampler.rss()
        warm_up(server.url, cookies, csrf, mode, workdir)
        baseline = sampler.rss()
        sampler.start()
        outcome = upload(server.url)
        return (cold, baseline, sampler.stop()), outcome, sampler.children_peak
    finally:
        server.stop()


def timed_upload_file(s3, master, key):
    from tests.s3 import BUCKET

    os.sync()
    started = time.perf_counter()
    s3.client().upload_file(str(master), BUCKET, key)
    return time.perf_counter() - started


def _empty_bucket(s3):
    """Delete every object, so the next upload does not compete with writing back the last one's pages."""
    from tests.s3 import BUCKET

    client = s3.client()
    for key in s3.list_keys():
        client.delete_object(Bucket=BUCKET, Key=key)
    os.sync()


def compare_throughput(workdir, s3, master, size, cookies, csrf):
    """Ours and `upload_file` in A-B-B-A order on one warmed-up worker, each started on a synced disk.

    The server writes to disk: whichever upload follows another would
    otherwise pay for the kernel writing back the previous 2 GiB.
    """
    server = Server(workdir, _s3_env(s3))
    plain, ours, phases = [], [], []
    try:
        warm_up(server.url, cookies, csrf, "s3", workdir)
        for first_plain in (True, False, False, True):
            _empty_bucket(s3)
            if first_plain:
                plain.append(timed_upload_file(s3, master, "boto3/master.mp4"))
            else:
                elapsed, _sent, phase = upload_s3(server.url, cookies, csrf, master, size)
                ours.append(elapsed)
                phases.append(phase)
    finally:
        server.stop()
    return plain, ours, phases


def bench_uploads(workdir):
    """Both S3 modes of the test server, then local disk.

    With rclone's default the first read of a freshly assembled object waits
    for the server to hash the whole file for its ETag; finalize has to read
    the object and `upload_file` does not, so that cost lands on our side
    only. The second server answers reads without hashing, as S3 does (S3
    stores the ETag when the object is written): the throughput goal is
    judged there, and both figures are reported.
    """
    from tests.s3 import BUCKET, start_s3_server

    master = workdir / "master.mp4"
    size = _make_master(master, UPLOAD_MB)
    cookies, csrf = _session_cookies()
    result = {"size": size}
    s3 = start_s3_server()
    try:
        os.sync()
        rss, (ours, sent, result["phases"]), result["child_peak"] = measure_upload(
            workdir, _s3_env(s3), "s3", cookies, csrf, lambda url: upload_s3(url, cookies, csrf, master, size)
        )
        result["s3"] = (*rss, ours, sent)
        keys = [key for key in s3.list_keys("private/videos/") if key.endswith("/original")]
        largest = max(keys, key=lambda key: s3.client().head_object(Bucket=BUCKET, Key=key)["ContentLength"])
        result["probe_bytes"] = finalize_probe_bytes(s3, largest)
        result["plain"] = timed_upload_file(s3, master, "boto3/master.mp4")
        # What any reader of a freshly assembled object waits for on this server.
        started = time.perf_counter()
        s3.client().head_object(Bucket=BUCKET, Key="boto3/master.mp4")
        result["first_read"] = time.perf_counter() - started
    finally:
        s3.stop()
        shutil.rmtree(s3.root, ignore_errors=True)

    s3 = start_s3_server(etag_hash="")
    try:
        result["plain_nohash"], result["ours_nohash"], result["phases_nohash"] = compare_throughput(
            workdir, s3, master, size, cookies, csrf
        )
    finally:
        s3.stop()
        shutil.rmtree(s3.root, ignore_errors=True)

    local_env = {"PRIVATE_MEDIA_ROOT": str(workdir / "private"), "MEDIA_ROOT": str(workdir / "media")}
    rss, local, _children = measure_upload(
        workdir, local_env, "local", cookies, csrf, lambda url: upload_local(url, cookies, csrf, master, size)
    )
    result["local"] = (*rss, local, size)
    return result


def bench_processing(workdir):
    from library.assets.media.generate import make_test_video
    from library.assets.media.transcode import RENDITIONS, transcode

    source = workdir / "1080p.mp4"
    started = time.perf_counter()
    make_test_video(source, seconds=VIDEO_SECONDS, width=1920, height=1080, fps=25)
    generation = time.perf_counter() - started
    outputs = {spec: workdir / f"{spec.name}.mp4" for spec in RENDITIONS}
    started = time.perf_counter()
    results, poster = transcode(source, outputs)
    elapsed = time.perf_counter() - started
    return elapsed, results, generation, poster is not None


def _seconds(values, digits=1):
    return " and ".join(f"{value:.{digits}f} s" for value in values)


def run():
    workdir = Path(tempfile.mkdtemp(prefix="bench-assets-"))
    try:
        _setup_django(workdir)
        uploads = bench_uploads(workdir)
        processing, results, generation, poster = bench_processing(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    size, plain, phases, first_read = uploads["size"], uploads["plain"], uploads["phases"], uploads["first_read"]
    probe_bytes, child_peak = uploads["probe_bytes"], uploads["child_peak"]
    plain_nohash, ours_nohash, phases_nohash = (
        uploads["plain_nohash"],
        uploads["ours_nohash"],
        uploads["phases_nohash"],
    )
    parts_nohash = [phase["parts"] for phase in phases_nohash]
    finalize_nohash = [phase["finalize"] for phase in phases_nohash]
    mib = size / MIB
    s3_cold, s3_base, s3_peak, ours, sent = uploads["s3"]
    local_cold, local_base, local_peak, local, _ = uploads["local"]
    lines = [
        "## Assets: uploads and processing",
        "",
        f"Upload of a {mib:,.0f} MiB master (`BENCH_ASSETS_UPLOAD_MB={UPLOAD_MB}`), gunicorn with one gthread worker "
        "(4 threads), SQLite, on loopback; the browser's part is played by `requests` (6 parallel parts on kept-alive connections in S3 mode, "
        "8 MiB chunks in local mode, as `uploader.js` sends them).",
        "",
        "Worker RSS is read after start (one admin page served), after a warm-up (one small upload done from "
        "start to finish, which loads the upload views and, on S3, the SigV4 signer: one-time costs of the "
        "process), and at its peak during the large upload (sampled every 20 ms).",
        "",
        "| storage | worker RSS after start | after warm-up | peak during upload | goal | time | throughput |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| S3 (presigned multipart) | {s3_cold / MIB:.0f} MiB | {s3_base / MIB:.0f} MiB | {s3_peak / MIB:.0f} MiB "
        f"| < 150 MiB | {ours:.1f} s | {mib / ours:.0f} MiB/s |",
        f"| local disk (chunks through Django) | {local_cold / MIB:.0f} MiB | {local_base / MIB:.0f} MiB "
        f"| {local_peak / MIB:.0f} MiB | < 150 MiB | {local:.1f} s | {mib / local:.0f} MiB/s |",
        "",
        f"Goal of 150 MiB: {'met' if max(s3_peak, local_peak) < 150 * MIB else 'not met'} in absolute terms. The "
        f"large upload itself adds {max(0, s3_peak - s3_base) / MIB:.0f} MiB (S3) and "
        f"{max(0, local_peak - local_base) / MIB:.0f} MiB (local disk) to the warmed-up worker, whatever the file's "
        f"size; the rest is the process: {s3_cold / MIB:.0f} MiB for the project's code after start. The worker "
        "loads neither PyAV (the probe runs in a child process) nor a boto3 client (the upload API signs with "
        "botocore's SigV4 signer and sends its few S3 requests with urllib3).",
        "",
        f"- S3 mode, bytes of the file sent to Django: **0** (request bodies to Django: {sent:,} bytes of JSON); "
        f"bytes read back from S3 at finalize to check the signature and probe the container "
        "(the probe runs in a child process, so FFmpeg never loads in the web worker): "
        f"{probe_bytes:,} ({probe_bytes / size:.4%} of the file); peak RSS of that short-lived child: "
        f"{child_peak / MIB:.0f} MiB.",
        "- Throughput against a plain boto3 `upload_file` of the same file to the same server, finalize "
        "included (goal ≥ 0.8), on the two settings of the test server:",
        f"  - **reads answered without hashing** (`rclone serve s3 --etag-hash ''`; S3 stores an object's ETag "
        "when it is written, so reading a fresh object costs nothing extra there), in A-B-B-A order on one "
        "worker, the disk synced and the bucket emptied before each upload: `upload_file` "
        f"{_seconds(plain_nohash)}, ours {_seconds(ours_nohash)}: ratio of the totals "
        f"**{sum(plain_nohash) / sum(ours_nohash):.2f}**. Of our time, the parts took "
        f"{_seconds(parts_nohash)} (ratio {sum(plain_nohash) / sum(parts_nohash):.2f} on the transfer alone) and "
        f"finalize {_seconds(finalize_nohash, digits=2)} (listing and assembling the "
        "parts, the signature check and the probe in its child process, started at the beginning of finalize).",
        f"  - **rclone's default** (an object's MD5 is computed for its ETag on the first request that reads it), one upload each, ours first: "
        f"`upload_file` {plain:.1f} s ({mib / plain:.0f} MiB/s), ours {ours:.1f} s: ratio **{plain / ours:.2f}**. "
        f"Of our time, the parts took {phases['parts']:.1f} s (ratio {plain / phases['parts']:.2f}) and finalize "
        f"{phases['finalize']:.1f} s, nearly all of it waiting for that hash: finalize must read the object and "
        f"`upload_file` never does; a first `HeadObject` on the plain upload's object took {first_read:.1f} s. "
        f"Against `upload_file` followed by that first read, the ratio is {(plain + first_read) / ours:.2f}.",
        "",
        f"Processing of a {VIDEO_SECONDS:.0f}-second 1920×1080 25 fps H.264/AAC test video "
        f"(generated in {generation:.0f} s) into both renditions in one decoding pass "
        f"(x264 `veryfast`): **{processing:.1f} s, {processing / VIDEO_SECONDS:.2f}× the duration**; "
        + ", ".join(f"{name} {r['width']}×{r['height']} ({r['duration']:.1f} s)" for name, r in results.items())
        + f"; poster extracted: {'yes' if poster else 'no'}.",
        "",
        "Rerun: `.venv/bin/python -m benchmarks.run bench_assets` "
        "(quick: `BENCH_ASSETS_UPLOAD_MB=200 BENCH_ASSETS_VIDEO_SECONDS=10`).",
        "",
    ]
    return "\n".join(lines)
