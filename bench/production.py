"""`make bench-production`: Vestnik as deployed — nginx's page cache in front of gunicorn.

Builds a throwaway site (the same content as bench/run.py), starts gunicorn with
deploy/gunicorn.conf.py and nginx with the page-cache rules of deploy/nginx/ on
loopback, and loads every row with `wrk` from the same machine in the same run:

- a static file served by nginx: the physical limit of this machine;
- the longest article from nginx's page cache (`X-Cache-Status: HIT`);
- the same article when nginx misses and the app's own cache (Redis) answers;
- the article rendered from scratch (a request with a session cookie bypasses
  both caches, as an editor's does), beside a stock Wagtail page rendered the
  same way: the cost of our page against Wagtail's own.

Ratios are against rows of the same run, so they mean something on any
machine. Exit status is non-zero only when the set-up fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    REDIS_URL,
    STATIC_PATH,
    Measurement,
    SetupError,
    _loadavg,
    _redis_available,
    _redis_flush,
    _revision,
    build_site,
    postgres_database_ensure,
    production_env,
    wrk,
)
from tests.harness import Gunicorn, Nginx, ServiceError, fetch, nginx_missing

GOAL_CACHED_OVER_STATIC = 0.5
GOAL_RENDERED_OVER_WAGTAIL = 2.0
BYPASS_COOKIE = "sessionid=benchmark-reader-without-a-session"
GOAL_ARTICLE_OVER_STOCK_ARTICLE = 2.0
RENDERED_PAGES = (
    ("stock_article", "stock Wagtail article (same text)"),
    ("home", "home page"),
    ("blog_index", "blog index"),
    ("blog", "expert blog"),
    ("section", "section"),
    ("country", "country page"),
    ("entity", "entity page"),
    ("search", "search"),
)


@dataclass(frozen=True)
class Row:
    label: str
    url: str
    expect: str
    headers: tuple[str, ...] = ()


def _check(row: Row) -> None:
    """One request first: the row must measure what its label says."""
    headers = dict(header.split(": ", 1) for header in row.headers)
    status, response_headers, _ = fetch(row.url, headers=headers)
    status, response_headers, _ = fetch(row.url, headers=headers)
    if status != 200:
        raise SetupError(f"{row.label}: {row.url} answered {status}")
    nginx_status = response_headers.get("x-cache-status", "-")
    seen = f"nginx {nginx_status}, app {response_headers.get('x-page-cache', '-')}"
    if row.expect not in seen:
        raise SetupError(f"{row.label}: expected «{row.expect}», got «{seen}»")


def measure(row: Row, *, seconds: int, connections: int) -> Measurement:
    _check(row)
    wrk(row.url, seconds=1, connections=connections, headers=row.headers)  # warm-up
    result = wrk(row.url, seconds=seconds, connections=connections, headers=row.headers)
    print(f"  {row.label}: {result.rps:,.0f} req/s", file=sys.stderr)
    return result


def _ratio(value: Measurement, reference: Measurement) -> float:
    return value.rps / reference.rps if reference.rps else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; default SQLite in a temp dir")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if missing := nginx_missing():
        print(missing, file=sys.stderr)
        return 1
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-bench-production-"))
    loadavg_before = _loadavg()
    started = time.monotonic()
    try:
        database_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        database = (
            f"PostgreSQL {postgres_database_ensure(database_url)}"
            if database_url.startswith(("postgres://", "postgresql://"))
            else "SQLite (WAL)"
        )
        nginx = Nginx(tmp / "nginx", upstream_port=0, static_root=tmp / "static", workers=2)
        env = {
            **production_env(tmp, database_url),
            "VESTNIK_FRONT_CACHE_PURGE_URLS": nginx.purge_url,
        }
        cache = "LocMemCache per worker (no Redis on 127.0.0.1:6379)"
        if _redis_available():
            env["REDIS_URL"] = REDIS_URL
            _redis_flush()
            cache = f"Redis {REDIS_URL}"
        print("building the site…", file=sys.stderr)
        content = build_site(env)
        urls = content["urls"]
        with Gunicorn(env=env, workers=args.workers) as app:
            nginx.upstream_port = app.port
            with nginx:
                rows = [
                    Row("static file (nginx)", nginx.url + STATIC_PATH, "nginx -"),
                    Row("article, nginx page cache", nginx.url + urls["article"], "nginx HIT"),
                    Row(
                        "article, nginx miss → app cache",
                        app.url + urls["article"],
                        "app hit",
                    ),
                    Row(
                        "article, rendered",
                        nginx.url + urls["article"],
                        "nginx BYPASS, app -",
                        (f"Cookie: {BYPASS_COOKIE}",),
                    ),
                    Row(
                        "stock Wagtail page, rendered",
                        nginx.url + urls["bare"],
                        "nginx BYPASS, app -",
                        (f"Cookie: {BYPASS_COOKIE}",),
                    ),
                    # Issue #13: pages rendered from scratch against a stock Wagtail
                    # article with the same text (bench/stock_wagtail), same run.
                    *(
                        Row(
                            f"{label}, rendered",
                            nginx.url + urls[key],
                            "nginx BYPASS, app -",
                            (f"Cookie: {BYPASS_COOKIE}",),
                        )
                        for key, label in RENDERED_PAGES
                        if key in urls
                    ),
                ]
                measured = [
                    (row, measure(row, seconds=args.duration, connections=args.connections))
                    for row in rows
                ]
    except (SetupError, ServiceError) as error:
        print(f"bench set-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    results = [result for _, result in measured]
    static, cached, app_cached, rendered, wagtail = results[:5]
    stock = next((r for row, r in measured if row.label.startswith("stock Wagtail article")), None)
    print("# Vestnik in production: nginx page cache + gunicorn\n")
    print(
        f"- {os.cpu_count()} CPU cores; gunicorn {args.workers} sync workers "
        f"(deploy/gunicorn.conf.py); nginx 2 workers (deploy/nginx/); wrk 1 thread, "
        f"{args.connections} connections, {args.duration} s per row"
    )
    print(f"- database: {database}; app cache: {cache}; revision {_revision()}")
    print(f"- load average before/after: {loadavg_before} / {_loadavg()}")
    print(f"- article: «{content['article_title']}», {content['article_words']} words\n")
    print("| row | req/s | p50 ms | p99 ms | vs static | vs stock Wagtail | vs stock article |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row, result in measured:
        print(
            f"| {row.label} | {result.rps:,.0f} | {result.p50_ms:.2f} | "
            f"{result.p99_ms:.2f} | {_ratio(result, static):.3f} | "
            f"{_ratio(result, wagtail):.2f} | "
            f"{f'{_ratio(result, stock):.2f}' if stock else '—'} |"
        )
    cached_ratio = _ratio(cached, static)
    rendered_ratio = _ratio(rendered, wagtail)
    app_ratio = _ratio(app_cached, wagtail)
    print()
    print(
        f"Cached article / static file: {cached_ratio:.2f} (goal ≥ {GOAL_CACHED_OVER_STATIC}) — "
        f"{'reached' if cached_ratio >= GOAL_CACHED_OVER_STATIC else 'not reached'}."
    )
    print(
        f"Article on an nginx miss (app cache) / stock Wagtail: {app_ratio:.2f}; "
        f"article rendered from scratch / stock Wagtail: {rendered_ratio:.2f} "
        f"(goal ≥ {GOAL_RENDERED_OVER_WAGTAIL}) — "
        f"{'reached' if rendered_ratio >= GOAL_RENDERED_OVER_WAGTAIL else 'not reached'}."
    )
    if stock is not None:
        article_ratio = _ratio(rendered, stock)
        print(
            f"Article rendered / stock Wagtail article rendered: {article_ratio:.2f} "
            f"(goal ≥ {GOAL_ARTICLE_OVER_STOCK_ARTICLE}) — "
            f"{'reached' if article_ratio >= GOAL_ARTICLE_OVER_STOCK_ARTICLE else 'not reached'}; "
            "other pages ≥ 1: "
            + ", ".join(
                f"{row.label.removesuffix(', rendered')} {_ratio(result, stock):.2f}"
                for row, result in measured[6:]
            )
            + "."
        )
    for row, result in measured:
        for warning in result.warnings:
            print(f"note: {row.label}: {warning}")
    print(f"\n(done in {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
