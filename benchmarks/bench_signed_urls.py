"""Signed image URLs in API answers on S3: signing each answer's URLs against reusing kept ones.

A films list page of 50 items shows 150 rendition files (each card's
`card` rendition and its `srcset` of three widths). On a private bucket each
URL is signed. The benchmark times making those 150 URLs, against the rclone
S3 test server's credentials, with Redis as the cache (as in production):

- signed afresh, as each answer did before `library.core.signed_urls`;
- through `urls_for` when the URLs are kept (every answer in a reuse period);
- through `urls_for` when none is kept (the first answer of a reuse period).

Run: `.venv/bin/python -m benchmarks.run bench_signed_urls`.
"""

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 150
ROUNDS = 50


def _median_ms(work, before=None):
    samples = []
    for _ in range(ROUNDS):
        if before:
            before()
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def run():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from cms.storage import MediaS3Storage
    from library.core.signed_urls import cache_key, lifetime_seconds, urls_for
    from tests.s3 import start_s3_server

    s3 = start_s3_server()
    try:
        storage = MediaS3Storage(**s3.storage_settings(settings.STORAGES)["default"]["OPTIONS"])
        names = [f"images/poster-{n}.2e16d0ba.fill-640x360.format-webp.webp" for n in range(FILES)]
        storage.url(names[0])  # the boto3 client is built once per process: not part of an answer

        def forget():
            cache.delete_many([cache_key(storage, name) for name in names])

        afresh = _median_ms(lambda: {name: storage.url(name) for name in names})
        first = _median_ms(lambda: urls_for(storage, names), before=forget)
        urls_for(storage, names)
        kept = _median_ms(lambda: urls_for(storage, names))
        stable = urls_for(storage, names) == urls_for(storage, names)
    finally:
        s3.stop()
        shutil.rmtree(s3.root, ignore_errors=True)
    return "\n".join(
        [
            "## Signed image URLs on S3",
            "",
            f"The {FILES} rendition URLs of a 50-item films page, median of {ROUNDS} rounds, Redis as the cache:",
            "",
            "| how | time | ÷ signed afresh |",
            "| --- | --- | --- |",
            f"| signed afresh for each answer (before) | {afresh:.1f} ms | 1.00 |",
            f"| `urls_for`, URLs kept (every answer of a reuse period) | {kept:.2f} ms | {kept / afresh:.3f} |",
            f"| `urls_for`, nothing kept (the first answer of a period) | {first:.1f} ms | {first / afresh:.2f} |",
            "",
            f"Two answers in a period carry the same URLs: {'yes' if stable else 'NO'} (so the same ETag, and a "
            f"browser or CDN keeps the images). A URL is reused for {storage.querystring_expire} s and valid for "
            f"{lifetime_seconds(storage):,} s, which covers an answer kept by the server ({settings.API_CACHE_TIMEOUT} s), "
            f"then by a client ({settings.API_CACHE_MAX_AGE} s, stale for {settings.API_CACHE_STALE} s more), and "
            f"{storage.querystring_expire} s to load it.",
            "",
            "Rerun: `.venv/bin/python -m benchmarks.run bench_signed_urls`.",
            "",
        ]
    )
