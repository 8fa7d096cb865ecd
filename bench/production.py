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

Readers' rows ask as browsers do (`Accept-Encoding: gzip`). The cached article
is compared with a static file of the same bytes (the article's HTML written
into the static directory, with its .gz beside it, as collectstatic leaves
them), served twice: under the site's /static/ header policy, and with the
page's own headers (its CSP and the rest, as nginx would have to add them to a
static HTML page), so that the same bytes cross the wire as on a hit. The three
rows are measured PAIR_RUNS times back to back, alternating, and the spread of
the ratios is printed, in requests per second and in CPU time of the nginx
workers per request (utime + stime from /proc over the row): on a machine
shared with other work the first follows the neighbours' load, the second
much less. Then a publish storm: the article is published through the
app (the real purge path), and 200 readers ask for it at the same moment;
renders are counted in gunicorn's access log (`X-Page-Cache: miss`). Last, the
memory of a web worker and of the task worker (bench/memory.py).

Ratios are against rows of the same run, so they mean something on any
machine. Exit status is non-zero only when the set-up fails.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import memory
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
from tests.harness import ROOT, Gunicorn, Nginx, ServiceError, fetch, nginx_missing

GOAL_CACHED_OVER_STATIC = 0.8
PAIR_RUNS = 5
STORM_READERS = 200
STORM_PUBLISHES = 3
GZIP = "Accept-Encoding: gzip"
STATIC_ARTICLE = "/static/bench/article.html"
STATIC_PAGE = "/bench-page/article.html"
# Headers nginx writes for any file itself, or that only say how the body travels:
# the static row with the page's headers takes every other header of the page.
TRANSPORT_HEADERS = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "date",
        "keep-alive",
        "server",
        "transfer-encoding",
        "x-accel-expires",
    }
)
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
    # Measured PAIR_RUNS times, alternating with the other rows marked so.
    pair: bool = False
    body_bytes: list[int] = field(default_factory=list, compare=False)


def _check(row: Row) -> None:
    """One request first: the row must measure what its label says."""
    headers = dict(header.split(": ", 1) for header in row.headers)
    status, response_headers, _ = fetch(row.url, headers=headers)
    request = urllib.request.Request(row.url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        status = response.status
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        body = response.read()
    if status != 200:
        raise SetupError(f"{row.label}: {row.url} answered {status}")
    nginx_status = response_headers.get("x-cache-status", "-")
    encoding = response_headers.get("content-encoding", "identity")
    seen = f"nginx {nginx_status}, app {response_headers.get('x-page-cache', '-')}, {encoding}"
    if not all(part in seen for part in row.expect.split(" & ")):
        raise SetupError(f"{row.label}: expected «{row.expect}», got «{seen}»")
    row.body_bytes[:] = [len(body)]


@dataclass(frozen=True)
class Sample:
    result: Measurement
    # CPU time of the nginx workers per request in µs; None for a row that
    # bypasses nginx, or where /proc is missing.
    nginx_cpu_us: float | None


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time the processes have used so far (Linux /proc), or None."""
    ticks = 0
    try:
        for pid in pids:
            # utime and stime are fields 14 and 15, counted after the "(comm)" field.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(row: Row, *, seconds: int, connections: int, nginx: Nginx) -> Sample:
    _check(row)
    wrk(row.url, seconds=1, connections=connections, headers=row.headers)  # warm-up
    # Only where nginx answers alone: a row that reaches the app makes too few
    # requests for CPU ticks of 10 ms to say anything per request.
    answered_by_nginx = row.url.startswith(nginx.url + "/") and row.expect.startswith(
        ("nginx HIT", "nginx -")
    )
    workers = nginx.worker_pids() if answered_by_nginx else []
    before = cpu_seconds(workers) if workers else None
    result = wrk(row.url, seconds=seconds, connections=connections, headers=row.headers)
    after = cpu_seconds(workers) if workers else None
    cpu_us = None
    if before is not None and after is not None and result.requests:
        cpu_us = (after - before) * 1e6 / result.requests
    cpu = f", nginx {cpu_us:.2f} µs/req" if cpu_us is not None else ""
    print(f"  {row.label}: {result.rps:,.0f} req/s{cpu}", file=sys.stderr)
    return Sample(result, cpu_us)


def _ratio(value: Sample, reference: Sample) -> float:
    return value.result.rps / reference.result.rps if reference.result.rps else 0.0


def _median(samples: list[Sample]) -> Sample:
    """The median run by requests per second, with the median CPU per request of all runs."""
    middle = sorted(samples, key=lambda sample: sample.result.rps)[len(samples) // 2]
    cpus = [sample.nginx_cpu_us for sample in samples if sample.nginx_cpu_us is not None]
    return Sample(middle.result, statistics.median(cpus) if cpus else None)


def _cpu_ratio(value: Sample, reference: Sample) -> float | None:
    """How many of `value`'s requests the CPU of one of `reference`'s pays for (≤ 1: dearer)."""
    if value.nginx_cpu_us and reference.nginx_cpu_us:
        return reference.nginx_cpu_us / value.nginx_cpu_us
    return None


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def static_article_write(static_root: Path, article_url: str) -> str:
    """The article's HTML as a static file (and its .gz): the fair baseline for a cache hit.

    Returns the nginx location that serves the same file with the page's own
    headers (STATIC_PAGE), as a static HTML page of the site would need them.
    """
    with urllib.request.urlopen(article_url, timeout=60) as response:
        html = response.read()
        headers = [
            (k, v) for k, v in response.headers.items() if k.lower() not in TRANSPORT_HEADERS
        ]
    target = static_root / STATIC_ARTICLE.removeprefix("/static/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)
    target.with_name(target.name + ".gz").write_bytes(gzip.compress(html, mtime=0))
    if any(char in value for _, value in headers for char in '"$\\'):
        raise SetupError(f"a header of {article_url} cannot be written into nginx.conf")
    add_headers = "".join(f'\n    add_header {name} "{value}";' for name, value in headers)
    folder = STATIC_PAGE.rsplit("/", 1)[0]
    return (
        f"location {folder}/ {{\n    alias {target.parent}/;\n    gzip_static on;"
        f"\n    charset utf-8;{add_headers}\n}}"
    )


@dataclass
class Storm:
    label: str
    readers: int
    renders: list[int] = field(default_factory=list)
    app_requests: list[int] = field(default_factory=list)
    ok: int = 0
    slowest_ms: float = 0.0


# Publishes the article each time a line arrives on stdin: the real path, from
# a new revision to the purge request nginx receives (tasks run in-process).
PUBLISHER = """
import os, sys
from vestnik.articles.models import ArticlePage
path = os.environ["VESTNIK_BENCH_STORM_PATH"]
page = next(page for page in ArticlePage.objects.live() if page.url == path)
print("ready", flush=True)
for _ in sys.stdin:
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision().publish()
    print("published", flush=True)
"""


def _burst(url: str, readers: int) -> tuple[int, float]:
    """`readers` requests at the same moment: how many answered 200, the slowest in ms."""
    start = threading.Barrier(readers)

    def read(_: int) -> tuple[int, float]:
        start.wait()
        began = time.monotonic()
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, (time.monotonic() - began) * 1000

    with ThreadPoolExecutor(max_workers=readers) as pool:
        answers = list(pool.map(read, range(readers)))
    return sum(status == 200 for status, _ in answers), max(ms for _, ms in answers)


def publish_storm(tmp: Path, env: dict[str, str], path: str, *, publishes: int) -> list[Storm]:
    """Publish the article, then STORM_READERS readers at once, through nginx and without it.

    A gunicorn and an nginx of its own, so that the access log that counts
    renders (`X-Page-Cache: miss` lines) costs the other rows nothing.
    """
    log = tmp / "storm-access.log"
    nginx = Nginx(tmp / "nginx-storm", upstream_port=0, workers=2)
    env = {
        **env,
        "VESTNIK_FRONT_CACHE_PURGE_URLS": nginx.purge_url,
        "VESTNIK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    args = ["--access-logfile", str(log), "--access-logformat", "%(U)s %({x-page-cache}o)s"]
    storms = [
        Storm(f"nginx (cache lock) → {STORM_READERS}", STORM_READERS),
        Storm(f"gunicorn directly (the app's single flight) → {STORM_READERS}", STORM_READERS),
    ]
    publisher = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PUBLISHER],
        cwd=ROOT,
        env={**env, "VESTNIK_BENCH_STORM_PATH": path},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if publisher.stdin is None or publisher.stdout is None:
        raise SetupError("the publisher has no pipes")
    try:
        if publisher.stdout.readline().strip() != "ready":
            raise SetupError("the publisher did not start")
        with Gunicorn(env=env, workers=3, args=args) as app:
            nginx.upstream_port = app.port
            with nginx:
                for storm, base in zip(storms, (nginx.url, app.url), strict=True):
                    for _ in range(publishes):
                        fetch(base + path)  # cached (again) before the publish
                        publisher.stdin.write("publish\n")
                        publisher.stdin.flush()
                        if publisher.stdout.readline().strip() != "published":
                            raise SetupError("the publish failed")
                        offset = log.stat().st_size
                        ok, slowest = _burst(base + path, storm.readers)
                        time.sleep(0.5)  # the access log is written after each answer
                        with log.open() as lines:
                            lines.seek(offset)
                            hits = [line.split() for line in lines if line.startswith(path + " ")]
                        storm.renders.append(sum(line[-1] == "miss" for line in hits))
                        storm.app_requests.append(len(hits))
                        storm.ok += ok
                        storm.slowest_ms = max(storm.slowest_ms, slowest)
                    storm.readers *= publishes
    finally:
        publisher.stdin.close()
        publisher.wait(timeout=60)
    return storms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; default SQLite in a temp dir")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--pair-runs",
        type=int,
        default=PAIR_RUNS,
        help="runs of the cached article and its static baselines, alternating",
    )
    parser.add_argument("--publishes", type=int, default=STORM_PUBLISHES)
    parser.add_argument("--extractions", type=int, default=100)
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
            nginx.server_extra = static_article_write(tmp / "static", app.url + urls["article"])
            with nginx:
                rows = [
                    Row("static file (nginx)", nginx.url + STATIC_PATH, "nginx -", (GZIP,)),
                    Row(
                        "static file, the article's bytes (nginx)",
                        nginx.url + STATIC_ARTICLE,
                        "nginx -, app -, gzip",
                        (GZIP,),
                        pair=True,
                    ),
                    Row(
                        "static file, the article's bytes and the page's headers (nginx)",
                        nginx.url + STATIC_PAGE,
                        "nginx - & gzip",
                        (GZIP,),
                        pair=True,
                    ),
                    Row(
                        "article, nginx page cache",
                        nginx.url + urls["article"],
                        "nginx HIT & gzip",
                        (GZIP,),
                        pair=True,
                    ),
                    Row(
                        "article, nginx page cache, client without gzip",
                        nginx.url + urls["article"],
                        "nginx HIT & identity",
                    ),
                    Row(
                        "article, nginx miss → app cache",
                        app.url + urls["article"],
                        "app hit, gzip",
                        (GZIP,),
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
                runs: dict[str, list[Sample]] = {row.label: [] for row in rows}

                def run(row: Row) -> Sample:
                    return measure(
                        row, seconds=args.duration, connections=args.connections, nginx=nginx
                    )

                for row in rows:
                    if not row.pair:
                        runs[row.label].append(run(row))
                # The pairs back to back, every other run in the opposite order, so
                # that a neighbour's burst of load falls on both sides alike.
                pairs = [row for row in rows if row.pair]
                for number in range(args.pair_runs):
                    for row in pairs if number % 2 == 0 else reversed(pairs):
                        runs[row.label].append(run(row))
        print("publish storm…", file=sys.stderr)
        storms = publish_storm(tmp, env, urls["article"], publishes=args.publishes)
        print("memory…", file=sys.stderr)
        memories = memory.measure(env, content, extractions=args.extractions)
    except (SetupError, ServiceError) as error:
        print(f"bench set-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    measured = [(row, _median(runs[row.label])) for row in rows]
    by_label = {row.label: result for row, result in measured}
    static_article = by_label["static file, the article's bytes (nginx)"]
    app_cached = by_label["article, nginx miss → app cache"]
    rendered = by_label["article, rendered"]
    wagtail = by_label["stock Wagtail page, rendered"]
    stock = next((r for row, r in measured if row.label.startswith("stock Wagtail article")), None)
    print("# Vestnik in production: nginx page cache + gunicorn\n")
    print(
        f"- {os.cpu_count()} CPU cores; gunicorn {args.workers} sync workers "
        f"(deploy/gunicorn.conf.py); nginx 2 workers (deploy/nginx/); wrk 1 thread, "
        f"{args.connections} connections, {args.duration} s per row"
    )
    print(f"- database: {database}; app cache: {cache}; revision {_revision()}")
    print(f"- load average before/after: {loadavg_before} / {_loadavg()}")
    print(f"- article: «{content['article_title']}», {content['article_words']} words")
    print(
        f"- rows marked * are the median of {args.pair_runs} runs, back to back and "
        "alternating; bytes: the response body as sent; nginx CPU: utime + stime of "
        "the nginx workers over the row, per request\n"
    )
    print(
        "| row | bytes | req/s | p50 ms | p99 ms | nginx CPU µs/req | vs static (same bytes) "
        "| vs stock Wagtail | vs stock article |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row, sample in measured:
        mark = "*" if row.pair else ""
        result = sample.result
        cpu = f"{sample.nginx_cpu_us:.2f}" if sample.nginx_cpu_us is not None else "—"
        print(
            f"| {row.label}{mark} | {row.body_bytes[0]:,} | {result.rps:,.0f} | "
            f"{result.p50_ms:.2f} | {result.p99_ms:.2f} | {cpu} | "
            f"{_ratio(sample, static_article):.3f} | {_ratio(sample, wagtail):.2f} | "
            f"{f'{_ratio(sample, stock):.2f}' if stock else '—'} |"
        )
    hits = runs["article, nginx page cache"]
    statics = runs["static file, the article's bytes (nginx)"]
    pages = runs["static file, the article's bytes and the page's headers (nginx)"]
    print(
        f"\nCached article / static file of the same bytes, {args.pair_runs} runs back to "
        "back: under the site's /static/ header policy (A) and with the page's own "
        "headers (B); CPU: the nginx workers' µs per request, and its ratio "
        "static ÷ cached (how many hits the CPU of one static request pays for)\n"
    )
    print(
        "| run | static A req/s | static B req/s | cached req/s | cached/A | cached/B "
        "| static A µs | static B µs | cached µs | CPU A/cached | CPU B/cached |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    spreads: dict[str, list[float]] = {"a": [], "b": [], "cpu_a": [], "cpu_b": []}
    for number, (hit, plain, page) in enumerate(zip(hits, statics, pages, strict=True), start=1):
        cpu_a, cpu_b = _cpu_ratio(hit, plain), _cpu_ratio(hit, page)
        spreads["a"].append(_ratio(hit, plain))
        spreads["b"].append(_ratio(hit, page))
        if cpu_a is not None and cpu_b is not None:
            spreads["cpu_a"].append(cpu_a)
            spreads["cpu_b"].append(cpu_b)
        print(
            f"| {number} | {plain.result.rps:,.0f} | {page.result.rps:,.0f} | "
            f"{hit.result.rps:,.0f} | {_ratio(hit, plain):.3f} | {_ratio(hit, page):.3f} | "
            + " | ".join(
                f"{value:.2f}" if value is not None else "—"
                for value in (
                    plain.nginx_cpu_us,
                    page.nginx_cpu_us,
                    hit.nginx_cpu_us,
                    cpu_a,
                    cpu_b,
                )
            )
            + " |"
        )
    # Both static rows send one file from nginx at the same CPU per request: the
    # spread of their ratio is what this machine's noise does to req/s alone.
    noise = [_ratio(page, plain) for plain, page in zip(statics, pages, strict=True)]
    print(f"\nmin / median / max (goal ≥ {GOAL_CACHED_OVER_STATIC} in every run):")
    for key, label in (
        ("a", "req/s, cached / static A"),
        ("b", "req/s, cached / static B"),
        ("cpu_a", "nginx CPU per request, static A / cached"),
        ("cpu_b", "nginx CPU per request, static B / cached"),
    ):
        if values := spreads[key]:
            reached = "reached" if min(values) >= GOAL_CACHED_OVER_STATIC else "not reached"
            print(f"- {label}: {_spread(values)} — {reached}")
    print(
        f"- noise floor, req/s of static B / static A (the same work): {_spread(noise)}; "
        "where this is wider than the gap, read the CPU rows"
    )
    rendered_ratio = _ratio(rendered, wagtail)
    app_ratio = _ratio(app_cached, wagtail)
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
                for row, result in measured
                if row.label.endswith(", rendered") and row.label != "article, rendered"
            )
            + "."
        )
    print(
        f"\nPublish storm: the article published through the app, then {STORM_READERS} "
        f"readers at once; {args.publishes} publishes per row\n"
    )
    print(
        "| readers go to | renders per purge (max) | requests that reached the app | "
        "answers 200 | slowest answer ms |"
    )
    print("|---|---:|---:|---:|---:|")
    for storm in storms:
        print(
            f"| {storm.label} | {max(storm.renders)} | {sum(storm.app_requests)} | "
            f"{storm.ok} of {storm.readers} | {storm.slowest_ms:,.0f} |"
        )
    print("\nMemory\n")
    print(memory.table(memories))
    for row, sample in measured:
        for warning in sample.result.warnings:
            print(f"note: {row.label}: {warning}")
    print(f"\n(done in {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
