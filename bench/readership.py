"""`make bench-readership`: page views counted at the rate the front cache serves pages.

Builds a throwaway site (migrate, load_demo), starts gunicorn and nginx with the
shipped config (deploy/nginx/, the beacon location included) on loopback, and
loads, in the same run:

- the longest demo article from nginx's page cache — the rate readers can be
  sent pages at, the baseline of every ratio;
- the view beacon answered and logged by nginx (production);
- the view beacon answered by the app (`/readership/view/` on gunicorn, views
  aggregated in Redis when it runs on 127.0.0.1:6379): a set-up without the
  readership's nginx location.

Every beacon is a different reader (wrk gives each request its own address in
`X-Forwarded-For`, which the bench's nginx and app trust, as they would a load
balancer's), so each one sent must be counted once. Then the worker's part:
`count_views --now` reads nginx's log — killed with SIGKILL after
`--kill-after` seconds and run again, as a restarted worker would — and writes
Redis's counts. The table compares views sent (2xx answers wrk got), lines
nginx logged and views counted in the database.

Exit status is non-zero when the set-up fails or a count differs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    REDIS_URL,
    Measurement,
    SetupError,
    _loadavg,
    _redis_available,
    _redis_flush,
    _revision,
    production_env,
    wrk,
)
from tests.harness import ROOT, Gunicorn, Nginx, manage, nginx_missing

GZIP = "Accept-Encoding: gzip"
READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# Each request a new reader: its own IPv6 address (thread, counter) in X-Forwarded-For;
# each row its own prefix, or the second row's readers would be the first's again.
BEACON_SCRIPT = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local pages = {%(pages)s}
local counter = 0
request = function()
  counter = counter + 1
  local address = string.format(
    "%(prefix)s:%%x:%%x:%%x", id, math.floor(counter / 65536), counter %% 65536)
  local page = pages[(counter %% #pages) + 1]
  return wrk.format("POST", "/readership/view/?p=" .. page, {
    ["User-Agent"] = "%(agent)s",
    ["X-Forwarded-For"] = address,
    ["Content-Length"] = "0",
  })
end
"""
# Everything the bench's nginx and app trust to name the reader (a load balancer, in production).
REAL_IP = "set_real_ip_from 127.0.0.1; real_ip_header X-Forwarded-For;"
SITE_SCRIPT = """
import json
from vestnik.articles.models import ArticlePage
from wagtail.models import Page
articles = list(ArticlePage.objects.live().public().specific())
longest = max(articles, key=lambda a: len(str(a.body)))
print(json.dumps({"article": longest.url, "pages": [a.pk for a in articles]}))
"""
TOTAL_SCRIPT = """
from django.db.models import Sum
from vestnik.readership.models import PageViewDay
views = PageViewDay.objects.filter(page_id__in=%s)
print(views.aggregate(total=Sum("views"))["total"] or 0)
"""


def beacon_wrk(
    url: str, pages: list[int], *, prefix: str, seconds: int, connections: int, tmp: Path
) -> Measurement:
    """Beacons for `pages`, each from a new reader; non-2xx answers are reported, not counted."""
    script = tmp / "beacon.lua"
    script.write_text(
        BEACON_SCRIPT % {"pages": ", ".join(map(str, pages)), "agent": READER, "prefix": prefix}
    )
    return wrk(url, seconds=seconds, connections=connections, script=script, threads=2)


def total_views(env: dict[str, str], pages: list[int]) -> int:
    script = TOTAL_SCRIPT % repr(pages)
    return int(manage(env, "shell", "--no-imports", "-c", script, timeout=300).split()[-1])


def collect_killed(env: dict[str, str], kill_after: float) -> tuple[bool, float]:
    """`count_views --now`, killed once after `kill_after` s, then run to the end: (killed, s)."""
    command = [sys.executable, "manage.py", "count_views", "--now"]
    started = time.perf_counter()
    first = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        first.wait(timeout=kill_after)
        killed = False
    except subprocess.TimeoutExpired:
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = True
    manage(env, "count_views", "--now", timeout=1800)
    return killed, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; default SQLite in a temp dir")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--kill-after",
        type=float,
        default=1.0,
        help="seconds before the first reading of the log is killed",
    )
    args = parser.parse_args()
    if missing := nginx_missing():
        print(missing, file=sys.stderr)
        return 1
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-bench-readership-"))
    loadavg_before = _loadavg()
    try:
        database_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        nginx = Nginx(tmp / "nginx", upstream_port=0, workers=2, server_extra=REAL_IP)
        env = {
            **production_env(tmp, database_url),
            "VESTNIK_FRONT_CACHE_PURGE_URLS": nginx.purge_url,
            "VESTNIK_TRUSTED_PROXIES": "127.0.0.1",
            "VESTNIK_READERSHIP_VIEW_LOG": str(nginx.view_log),
        }
        store = "the database (no Redis on 127.0.0.1:6379)"
        if _redis_available():
            env["REDIS_URL"] = REDIS_URL
            _redis_flush()
            store = f"Redis {REDIS_URL}"
        print("building the site…", file=sys.stderr)
        manage(env, "migrate", "--noinput", "--verbosity", "0", timeout=900)
        manage(env, "load_demo", timeout=900)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0", timeout=900)
        site = json.loads(
            manage(env, "shell", "--no-imports", "-c", SITE_SCRIPT, timeout=300)
            .strip()
            .splitlines()[-1]
        )
        # Each path its own pages: what each counted is told apart in the database.
        half = len(site["pages"]) // 2
        nginx_pages, app_pages = site["pages"][:half], site["pages"][half:]
        before = total_views(env, nginx_pages), total_views(env, app_pages)
        with Gunicorn(env=env, workers=args.workers) as app:
            nginx.upstream_port = app.port
            with nginx:
                article = nginx.url + site["article"]
                wrk(article, seconds=1, connections=4, headers=(GZIP,))  # fill the cache
                print("loading…", file=sys.stderr)
                front = wrk(
                    article, seconds=args.duration, connections=args.connections, headers=(GZIP,)
                )
                by_nginx = beacon_wrk(
                    nginx.url + "/readership/view/",
                    nginx_pages,
                    prefix="fd00:",
                    seconds=args.duration,
                    connections=args.connections,
                    tmp=tmp,
                )
                # gunicorn's sync workers serve one connection each at a time
                # (nginx holds the rest in production): two per worker.
                by_app = beacon_wrk(
                    app.url + "/readership/view/",
                    app_pages,
                    prefix="fd01:",
                    seconds=args.duration,
                    connections=2 * args.workers,
                    tmp=tmp,
                )
            # nginx stopped: its log buffers are written.
            logged = sum(1 for _ in nginx.view_log.open("rb"))
            killed, read_seconds = collect_killed(env, args.kill_after)
            counted_nginx = total_views(env, nginx_pages) - before[0]
            counted_app = total_views(env, app_pages) - before[1]
    except SetupError as error:
        print(f"setup failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ("article, nginx page cache (baseline)", front),
        ("view beacon, answered and logged by nginx", by_nginx),
        ("view beacon, answered by the app (gunicorn)", by_app),
    ]
    print(
        f"\nVestnik {_revision()}, {os.cpu_count()} CPUs, load before {loadavg_before};"
        f" {args.workers} gunicorn workers, 2 nginx workers, {args.connections} connections,"
        f" {args.duration} s per row; the app's views go to {store}.\n"
    )
    print("| row | requests | req/s | vs article from nginx's cache | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, row in rows:
        print(
            f"| {label} | {row.requests:,} | {row.rps:,.0f} | {row.rps / front.rps:.2f} |"
            f" {row.p50_ms:.2f} | {row.p99_ms:.2f} | {'; '.join(row.warnings) or '—'} |"
        )
    print()
    # wrk stops with a request in flight on each connection: the server answered
    # (and counted) it, wrk never read the answer. Sent is between the two.
    app_connections = 2 * args.workers
    print(
        "| path | answers wrk read | in flight when wrk stopped (at most) | lines nginx logged"
        " | counted | lost | counted twice |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    lost_nginx = max(0, logged - counted_nginx)
    twice_nginx = max(0, counted_nginx - logged)
    print(
        f"| nginx's log → worker → Redis → database | {by_nginx.requests:,} | {args.connections}"
        f" | {logged:,} | {counted_nginx:,} | {lost_nginx:,} | {twice_nginx:,} |"
    )
    lost_app = max(0, by_app.requests - counted_app)
    twice_app = max(0, counted_app - by_app.requests - app_connections)
    print(
        f"| the app → Redis → database | {by_app.requests:,} | {app_connections} | —"
        f" | {counted_app:,} | {lost_app:,} | {twice_app:,} |"
    )
    first_run = (
        f"killed (SIGKILL) after {args.kill_after} s" if killed else "not killed: it ended sooner"
    )
    print(
        f"\nThe worker read {logged:,} log lines and wrote Redis's counts in {read_seconds:.1f} s"
        f" ({logged / read_seconds:,.0f} lines/s), its first run"
        f" {first_run}."
    )
    print(
        "wrk stops with a beacon in flight on each connection: the server took it (and it"
        " counts), wrk never read its answer."
    )
    sound = by_nginx.requests <= logged <= by_nginx.requests + args.connections
    return 0 if sound and not (lost_nginx or twice_nginx or lost_app or twice_app) else 2


if __name__ == "__main__":
    sys.exit(main())
