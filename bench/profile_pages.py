r"""Where an uncached page render spends its time: cProfile over Django's test client.

Run inside Django against a bench database (`bench/run.py --keep` leaves one and
prints its directory), with the page cache off so that every request renders:

    VESTNIK_VAR_DIR=<dir> DATABASE_URL=sqlite:///<dir>/bench.sqlite3 \
    DJANGO_SETTINGS_MODULE=vestnik.settings.production SECRET_KEY=<50+ chars> \
    VESTNIK_PAGE_CACHE_SECONDS=0 BENCH_PROFILE_PATH=/some/page/ BENCH_PROFILE_RENDERS=200 \
    .venv/bin/python manage.py shell --no-imports -c \
      "import runpy; runpy.run_path('bench/profile_pages.py', run_name='__main__')"

Prints the mean wall time per request, the queries per request and the
functions with the most cumulative and own time. In-process, so it leaves out
gunicorn and the network: it explains a row of `run.py`, it does not replace it.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings


def profile(path: str, renders: int) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    # The first request compiles templates and fills per-process caches.
    first = client.get(path)
    if first.status_code != 200:
        return f"{path}: HTTP {first.status_code}"
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(path)
        queries = len(connection.queries)
    started = time.perf_counter()
    for _ in range(renders):
        client.get(path)
    mean_ms = (time.perf_counter() - started) / renders * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return (
        f"{path}: {mean_ms:.1f} ms per request, {queries} queries, "
        f"{len(first.content):,} bytes\n{out.getvalue()}"
    )


def main() -> None:
    path = os.environ.get("BENCH_PROFILE_PATH", "/")
    renders = int(os.environ.get("BENCH_PROFILE_RENDERS", "200"))
    print(profile(path, renders))


if __name__ == "__main__":
    main()
