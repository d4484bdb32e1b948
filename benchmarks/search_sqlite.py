"""The SQLite half of the search benchmark, run in its own process by `bench_search`.

Django binds one database engine per process, so `bench_search` starts this
module with `DATABASE_URL` pointing at a fresh SQLite file; it prints one
JSON line of figures. Sizes: `BENCH_SEARCH_SQLITE_FILMS` (default 5,000) and
a fifth as many guides.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

FILMS = int(os.environ.get("BENCH_SEARCH_SQLITE_FILMS", 5_000))


def main():
    path = Path(tempfile.gettempdir()) / "cms_bench_search.sqlite3"
    path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["TASKS_BACKEND"] = "dummy"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from benchmarks.bench_search import NO_CACHE, _time
    from benchmarks.generate_search_data import COMMON_WORD, RARE_WORD, generate
    from tests.search.catalogue import build

    call_command("migrate", verbosity=0)
    build()
    generate(films=FILMS, guides=FILMS // 5)
    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    index_seconds = time.perf_counter() - started
    client = Client()
    films = _time(client, reverse("wagtailapi_v3:library_film_list"), {"limit": 20}, runs=30, warmup=3)
    common = _time(client, reverse("wagtailapi_v3:search"), {"q": COMMON_WORD, "limit": 20}, runs=30, warmup=3)
    rare = _time(client, reverse("wagtailapi_v3:search"), {"q": RARE_WORD, "limit": 20}, runs=30, warmup=3)
    suggest = _time(client, reverse("wagtailapi_v3:search_suggest"), {"q": "lant"}, runs=30, warmup=3)
    client.get(reverse("wagtailapi_v3:search"), {"q": COMMON_WORD}, headers=NO_CACHE)
    figures = {
        "films": FILMS,
        "guides": FILMS // 5,
        "index_seconds": index_seconds,
        "list": films["p95"],
        "common": common["p95"],
        "common_count": common["last"]["count"],
        "rare": rare["p95"],
        "suggest": suggest["p95"],
    }
    sys.stdout.write("FIGURES " + json.dumps(figures) + "\n")
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
