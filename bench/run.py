"""`make bench`: page throughput of Vestnik beside stock Wagtail and a static file.

Builds a throwaway site in a temporary directory (migrate, demo content, a long
article, a bare Wagtail page, collectstatic), serves it with gunicorn on
loopback and loads each URL with `wrk --latency` from the same machine. Every
number in one table comes from the same run on the same machine, so the ratio
columns mean something even where the absolute numbers depend on the hardware.

Two servers per worker count, identical except for the page cache:
- uncached: LocMemCache and VESTNIK_PAGE_CACHE_SECONDS=0; Django stores a
  zero-timeout entry as already expired, so every request takes the miss path
  and renders (checked: two responses in a row must say `X-Page-Cache: miss`);
- cached: Redis when it answers on 127.0.0.1:6379 (db 15, flushed first),
  otherwise each worker's LocMemCache; the checked response must say `hit`.

Each row also reports the server's CPU time per request and how much of the
machine other processes took meanwhile: on a shared machine req/s and latency
say as much about the neighbours as about the page (see docs/performance.md,
"Pages", and `--quiet-wait`, `--max-other-cpu`, `--retries`).

The table goes to stdout, progress to stderr. Exit status is non-zero only when
the set-up (or a check that a row measures what it claims) fails; slow numbers
are results, not failures. After the pages it runs the other benchmarks in
bench/ and reports, without failing, when one of them fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness import Gunicorn, ServiceError  # noqa: E402 (after the path)

# VESTNIK_BENCH_REDIS_URL lets two benchmarks run side by side without flushing each other.
REDIS_URL = os.environ.get("VESTNIK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
STATIC_PATH = "/static/css/vestnik.css"
OTHER_BENCHMARKS = ("polls_ballots.py", "production.py")
CONTENT_SCRIPT = "import runpy; runpy.run_path('bench/pages_content.py', run_name='__main__')"
# Issue #13: rendered from scratch, our article at twice the stock Wagtail article's
# requests per second, every other page at least as fast as it.
GOAL_ARTICLE_OVER_STOCK = 2.0
GOAL_PAGE_OVER_STOCK = 1.0
# The mode of the stock article's second row: served with Wagtail's own routing.
STOCK_ROUTING = "no page cache, routing cache off"


class SetupError(Exception):
    """The bench could not build or serve the site; nothing it measured would mean anything."""


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    path: str
    # "page": ours, must carry X-Page-Cache; "plain": bare Wagtail or static, must not.
    kind: str


@dataclass(frozen=True)
class Measurement:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    # What wrk counted as errors (non-2xx, socket errors): the numbers are suspect.
    warnings: list[str]


@dataclass(frozen=True)
class Row:
    target: Target
    mode: str
    result: Measurement | None = None
    error: str = ""
    cpu: CpuUse | None = None

    @property
    def rps(self) -> float | None:
        return self.result.rps if self.result is not None else None

    @property
    def other_cpu(self) -> float | None:
        return self.cpu.other_percent if self.cpu is not None else None

    @property
    def cpu_ms(self) -> float | None:
        """Server CPU time per request: what the page costs, whoever else is busy."""
        if self.cpu is None or self.result is None or not self.result.requests:
            return None
        return 1000 * self.cpu.server_seconds / self.result.requests


@dataclass(frozen=True)
class Load:
    duration: int
    warmup: int
    connections: int
    # Seconds a row may wait for other processes to calm down before it starts.
    quiet_wait: float = 0.0
    # A row measured while other processes used more than this share of the CPU
    # is measured again, up to `retries` times; the quietest attempt is kept.
    max_other_cpu: float = 100.0
    retries: int = 0


# --- processes -----------------------------------------------------------------


def _run(args: list[str], env: dict[str, str], step: str) -> str:
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SetupError(f"{step} failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    _progress(f"{step}: {time.monotonic() - started:.1f} s")
    return result.stdout


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def _last_error(log: Path | None) -> str:
    """The last exception line the app logged, to say why a page failed."""
    try:
        lines = log.read_text(errors="replace").splitlines() if log is not None else []
    except OSError:
        return ""
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]
    return errors[-1][:200] if errors else ""


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[Gunicorn]:
    """gunicorn with its own defaults (no deploy/ config), answering the static file."""
    server = Gunicorn(
        env=env,
        workers=workers,
        config=None,
        # Several benches may run at once; the default control socket path is shared.
        args=["--worker-class", "sync", "--no-control-socket"],
        # The app logs to stderr; tracebacks go to the log file, not over the progress output.
        log=log,
        ready_path=STATIC_PATH,
    )
    try:
        server.start()
    except ServiceError as error:
        raise SetupError(str(error)) from error
    try:
        yield server
    finally:
        server.stop()


# --- measuring ---------------------------------------------------------------

_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine since boot."""
    cpu = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = cpu[3] + cpu[4]  # idle and iowait
    return sum(cpu) - idle, sum(cpu)


def wait_for_quiet(limit: float, threshold: float = 25.0) -> None:
    """Wait up to `limit` seconds for the machine to be mostly idle between rows.

    Between rows our server and wrk are idle, so whatever keeps the CPU busy
    belongs to someone else.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            busy, total = _machine_ticks()
            time.sleep(1)
            busy_after, total_after = _machine_ticks()
        except OSError:
            return
        if total_after > total and 100 * (busy_after - busy) / (total_after - total) < threshold:
            return


@dataclass(frozen=True)
class CpuUse:
    # Share of the machine's CPU used by neither the server nor wrk.
    other_percent: float
    # CPU seconds the gunicorn master and workers used.
    server_seconds: float


class CpuMeter:
    """Where the machine's CPU went during a row: our server, wrk, or someone else.

    Other people's processes on a shared machine (a test run, a build) take CPU
    from the server and lower its requests per second; the server's own CPU time
    per request moves much less, so it is the number to compare across runs on
    a busy machine. Linux /proc only; elsewhere both read as unknown.
    """

    def __init__(self, server: Gunicorn) -> None:
        self.server = server
        self.start = self._sample()

    def _sample(self) -> tuple[int, int, int, float] | None:
        try:
            busy, total = _machine_ticks()
            server = 0
            for pid in self.server.pids():
                with contextlib.suppress(OSError):
                    # utime and stime are fields 14 and 15, counted after the "(comm)" field.
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    server += int(fields[11]) + int(fields[12])
        except OSError:
            return None
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once waited for
        return busy, total, server, children.ru_utime + children.ru_stime

    def stop(self) -> CpuUse | None:
        end = self._sample()
        if self.start is None or end is None or end[1] <= self.start[1]:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        busy, total, server = (end[i] - self.start[i] for i in range(3))
        wrk_ticks = (end[3] - self.start[3]) * tick
        other = max(0.0, 100 * (busy - server - wrk_ticks) / total)
        return CpuUse(other_percent=other, server_seconds=server / tick)


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: tuple[str, ...] = (),
    script: Path | None = None,
    threads: int = 1,
) -> Measurement:
    """Load `url` with wrk; `script` is a wrk Lua script that writes each request itself."""
    header_args = [arg for header in headers for arg in ("--header", header)]
    script_args = ["--script", str(script)] if script is not None else []
    result = subprocess.run(
        [
            "wrk",
            *header_args,
            *script_args,
            "--threads",
            str(threads),
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            # wrk leaves timed-out requests out of the latency histogram; a long
            # timeout keeps slow renders in p99 instead of silently dropping them.
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    output = result.stdout
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    latencies = {m[0]: float(m[1]) * _UNIT_MS[m[2]] for m in _LATENCY.findall(output)}
    if result.returncode != 0 or not (rps and requests) or set(latencies) != {"50", "99"}:
        raise SetupError(f"wrk failed on {url}:\n{output}{result.stderr}")
    problems = []
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        problems.append(f"{match[1]} non-2xx responses")
    if match := re.search(r"Socket errors:.*", output):
        problems.append(match[0].strip())
    return Measurement(int(requests[1]), float(rps[1]), latencies["50"], latencies["99"], problems)


def _check(url: str, target: Target, expect_cache: str) -> str:
    """Why the response is not what the row claims to measure, or "" when it is."""
    status, headers = _get(url)
    if status != 200:
        return f"HTTP {status}"
    seen = headers.get("x-page-cache", "")
    if target.kind == "page" and seen != expect_cache:
        return f"X-Page-Cache: {seen or '(absent)'}, expected {expect_cache}"
    if target.kind == "plain" and seen:
        return f"unexpected X-Page-Cache: {seen}"
    return ""


def measure(server: Gunicorn, target: Target, mode: str, load: Load) -> Row:
    url = server.url + target.path
    status = _get(url)[0]
    if status != 200:
        error = _last_error(server.log)
        return Row(target, mode, error=f"HTTP {status}" + (f" ({error})" if error else ""))
    # A short wrk run reaches every worker: each compiles templates and fills
    # its per-process caches (Wagtail's site root paths, settings) on first use.
    wrk(url, seconds=load.warmup, connections=load.connections)
    expect = "hit" if mode == "cached" else "miss"
    # Twice: an uncached server must not have stored the first one either.
    for _ in range(2):
        if problem := _check(url, target, expect):
            return Row(target, mode, error=problem)

    def attempt() -> Row:
        wait_for_quiet(load.quiet_wait)
        meter = CpuMeter(server)
        result = wrk(url, seconds=load.duration, connections=load.connections)
        cpu = meter.stop()
        row = Row(target, mode, result=result, cpu=cpu)
        _progress(
            f"  {target.label} ({mode}): {result.rps:.1f} req/s, "
            f"{_number(row.cpu_ms)} CPU ms/request, other CPU {_percent(row.other_cpu)}"
        )
        return row

    def disturbed(row: Row) -> float:
        return row.other_cpu if row.other_cpu is not None else 0.0

    # Keep the attempt least disturbed by other processes; stop once one was quiet.
    best = attempt()
    for _ in range(load.retries):
        if disturbed(best) <= load.max_other_cpu:
            break
        best = min(best, attempt(), key=disturbed)
    return best


# --- set-up ------------------------------------------------------------------


def _redis_available() -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
        client.ping()
    except redis.RedisError:
        return False
    return True


def _redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()


def postgres_database_ensure(database_url: str, *, recreate: bool = False) -> str:
    """Create the database when missing (or afresh, `recreate`); return the server version."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            version = str(connection.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            if recreate:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                _progress(f"created database {name}")
    except psycopg.Error as error:
        raise SetupError(f"PostgreSQL at {parts.hostname}:{parts.port}: {error}") from error
    return version


def production_env(tmp: Path, database_url: str) -> dict[str, str]:
    """Production settings on loopback: a throwaway key, plain HTTP, everything under `tmp`."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}},
        # Production settings plus the stock Wagtail baseline app (bench/settings.py).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "VESTNIK_SERVE_MEDIA": "1",
        "VESTNIK_VAR_DIR": str(tmp),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # wrk sends every request from one address: the API's per-address limit
        # still counts each one (its cost is measured) but never refuses.
        "VESTNIK_API_ANON_RATE": "1000000000",
    }


def build_site(env: dict[str, str]) -> dict[str, Any]:
    _run(
        [
            sys.executable,
            "manage.py",
            "migrate",
            "--noinput",
            "--run-syncdb",
            "--verbosity",
            "0",
            "--settings",
            "bench.setup_settings",
        ],
        env,
        "migrate",
    )
    _run([sys.executable, "manage.py", "load_demo"], env, "load_demo")
    # The task worker does not run here: extract in-process so entity pages and
    # the articles' insights panels show what they show in production.
    _run([sys.executable, "manage.py", "extract_insights", "--all"], env, "extract_insights")
    output = _run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CONTENT_SCRIPT],
        env,
        "content",
    )
    _run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env,
        "collectstatic",
    )
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if not lines:
        raise SetupError(f"bench/pages_content.py printed no URLs:\n{output}")
    content: dict[str, Any] = json.loads(lines[-1])
    return content


def targets(content: dict[str, Any]) -> tuple[list[Target], Target, Target, Target | None]:
    """Our pages (rendered uncached and from the page cache), the two Wagtail baselines, static."""
    urls = content["urls"]
    words = content["article_words"]
    pages = [
        Target("article", f"article (longest, {words} words)", urls["article"], "page"),
        Target("blog_index", f"blog index {urls['blog_index']}", urls["blog_index"], "page"),
        Target(
            "blog",
            f"expert blog ({content['blog_articles']} articles)",
            urls["blog"],
            "page",
        ),
        Target("home", "home page /", urls["home"], "page"),
    ]
    for key, label in (
        ("article_en", "English article"),
        ("publications", "publications library"),
        ("publication", "publication (report with PDF)"),
        ("event", "event (registration open)"),
        ("section", "section"),
        ("country", "country page"),
        ("entity", "entity page"),
    ):
        if key in urls:
            pages.append(Target(key, f"{label} {urls[key]}", urls[key], "page"))
    # The JSON API beside the HTML article: rendered, and from the app's cache
    # (a JSON answer is kept in the page cache's generation, `api.http`).
    pages[1:1] = [
        Target(key, f"{label} {urls[key]}", urls[key], "page")
        for key, label in (
            ("api_article", "API article detail (same article)"),
            ("api_articles", "API article list (20)"),
        )
        if key in urls
    ]
    if "search" in urls:
        # A query string: never in the page cache, so it is measured rendered only.
        pages.append(Target("search", "search ?q=транзит", urls["search"], "plain"))
    bare = Target("bare", "bare Wagtail page", urls["bare"], "plain")
    stock = (
        Target("stock", "stock Wagtail article (same text)", urls["stock_article"], "plain")
        if "stock_article" in urls
        else None
    )
    static = Target("static", f"static file {STATIC_PATH}", STATIC_PATH, "plain")
    return pages, bare, static, stock


# --- report ------------------------------------------------------------------


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "—"
    ratio = value / reference
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:.0f}×"


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}%"


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def table(rows: list[Row], static: Row, bare: Row, stock: Row | None = None) -> str:
    lines = [
        "| page | mode | req/s | p50 ms | p99 ms | vs static | vs bare Wagtail "
        "| vs stock article | CPU ms/req | other CPU |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        result = row.result
        if result is None:
            cells = [row.target.label, row.mode, f"not measured: {row.error}", *[""] * 7]
            lines.append("| " + " | ".join(cells) + " |")
            continue
        lines.append(
            f"| {row.target.label} | {row.mode} | {result.rps:,.0f} | {result.p50_ms:,.1f} "
            f"| {result.p99_ms:,.1f} | {_ratio(result.rps, static.rps)} "
            f"| {_ratio(result.rps, bare.rps)} "
            f"| {_ratio(result.rps, stock.rps if stock is not None else None)} "
            f"| {_number(row.cpu_ms)} "
            f"| {_percent(row.other_cpu)} |"
        )
    notes = [
        f"- {row.target.label} ({row.mode}): {warning}"
        for row in rows
        if row.result is not None
        for warning in row.result.warnings
    ]
    return "\n".join([*lines, "", *notes] if notes else lines)


def goals_summary(rows: list[Row]) -> str:
    """Rendered pages against the stock Wagtail article of the same run (issue #13's goals)."""
    stock_row = next(
        (r for r in rows if r.target.key == "stock" and r.mode == "no page cache"), None
    )
    stock = stock_row.rps if stock_row is not None else None
    if not stock or stock_row is None:
        return "Goals against the stock Wagtail article: not measured."
    parts = []
    for row in rows:
        if row.mode != "uncached" or row.rps is None:
            continue
        goal = GOAL_ARTICLE_OVER_STOCK if row.target.key == "article" else GOAL_PAGE_OVER_STOCK
        ratio = row.rps / stock
        # CPU per request moves less than req/s on a shared machine: the ratio of the two.
        by_cpu = (
            f", by CPU ms/req {stock_row.cpu_ms / row.cpu_ms:.2f}×"
            if stock_row.cpu_ms and row.cpu_ms
            else ""
        )
        parts.append(
            f"{row.target.key} {ratio:.2f}×{by_cpu} (goal ≥ {goal:g}×: "
            f"{'reached' if ratio >= goal else 'not reached'})"
        )
    summary = "Rendered from scratch vs the stock Wagtail article: " + "; ".join(parts)
    routed = next((r for r in rows if r.target.key == "stock" and r.mode == STOCK_ROUTING), None)
    article = next((r for r in rows if r.target.key == "article" and r.mode == "uncached"), None)
    if routed is not None and routed.rps and article is not None and article.rps:
        summary += (
            f". Against the stock article routed by Wagtail itself (routing cache off): "
            f"article {article.rps / routed.rps:.2f}×"
        )
        if routed.cpu_ms and article.cpu_ms:
            summary += f", by CPU ms/req {routed.cpu_ms / article.cpu_ms:.2f}×"
    return summary


def run_workers(
    workers: int,
    *,
    base_env: dict[str, str],
    cache_env: dict[str, str],
    content: dict[str, Any],
    load: Load,
    tmp: Path,
) -> list[Row]:
    pages, bare, static, stock = targets(content)
    rows: list[Row] = []
    _progress(f"{workers} workers, uncached")
    uncached_env = {**base_env, "VESTNIK_PAGE_CACHE_SECONDS": "0"}
    with gunicorn(uncached_env, workers, tmp / f"gunicorn-{workers}-uncached.log") as server:
        static_row = measure(server, static, "WhiteNoise", load)
        bare_row = measure(server, bare, "no page cache", load)
        stock_rows = [measure(server, stock, "no page cache", load)] if stock else []
        uncached = [measure(server, target, "uncached", load) for target in pages]
    if stock is not None:
        # The stock article sits under our home page, whose routing cache (core.routing)
        # serves it too; a stock Wagtail site routes every request from scratch.
        _progress(f"{workers} workers, uncached, routing cache off")
        stock_env = {**uncached_env, "VESTNIK_ROUTING_CACHE_SECONDS": "0"}
        with gunicorn(stock_env, workers, tmp / f"gunicorn-{workers}-stock.log") as server:
            stock_rows.append(measure(server, stock, STOCK_ROUTING, load))
    _progress(f"{workers} workers, cached")
    if "REDIS_URL" in cache_env:
        _redis_flush()
    with gunicorn(
        {**base_env, **cache_env}, workers, tmp / f"gunicorn-{workers}-cached.log"
    ) as server:
        cached = {
            target.key: measure(server, target, "cached", load)
            for target in pages
            if target.kind == "page"
        }
    for rendered in uncached:
        rows.append(rendered)
        if (cache_hit := cached.get(rendered.target.key)) is not None:
            rows.append(cache_hit)
    return [*rows, *stock_rows, bare_row, static_row]


def _revision() -> str:
    """The commit measured; the tree is shared, so say when it had local changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head.stdout.strip() + (" with uncommitted changes" if dirty else "")


def _loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine(
    database: str,
    cache: str,
    load: Load,
    workers: list[int],
    loadavg: tuple[str, str],
    revision: str,
) -> str:
    import gunicorn as gunicorn_package

    import django

    import wagtail

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return "\n".join(
        [
            f"- machine: {platform.machine()}, nproc {os.cpu_count()}, {platform.platform()}",
            f"- code: {revision}",
            f"- Python {platform.python_version()}, Django {django.get_version()}, "
            f"Wagtail {wagtail.__version__}, gunicorn {gunicorn_package.__version__} "
            f"(sync workers: {', '.join(map(str, workers))})",
            f"- database: {database}; cached rows: {cache}",
            f"- load: {wrk_version.stdout.split(' [')[0]} on 127.0.0.1, 1 thread, "
            f"{load.connections} connections, {load.warmup} s warm-up + {load.duration} s per row",
            f"- load average before / after: {loadavg[0]} / {loadavg[1]}",
            "- «CPU ms/req»: CPU time of the gunicorn master and workers per request; "
            "«other CPU»: share of the machine's CPU used by processes other than gunicorn "
            "and wrk during the row. Other processes make a row's req/s lower and its "
            "latency higher; CPU ms/req moves much less.",
        ]
    )


def run_other_benchmarks() -> list[str]:
    """Run the other bench/ scripts; their failures are reported, never fatal here."""
    report = []
    for name in OTHER_BENCHMARKS:
        script = ROOT / "bench" / name
        if not script.exists():
            continue
        print(f"\n## {name}\n", flush=True)
        try:
            result = subprocess.run(
                [sys.executable, str(script)], cwd=ROOT, timeout=900, check=False
            )
        except subprocess.TimeoutExpired:
            report.append(f"{name}: timed out after 900 s")
            continue
        if result.returncode != 0:
            report.append(f"{name}: failed with exit status {result.returncode}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="e.g. postgres://postgres@127.0.0.1:5432/bench_pages (created if missing); "
        "default: SQLite in the temporary directory",
    )
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts to compare")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per row")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per row")
    parser.add_argument("--connections", type=int, default=8, help="concurrent wrk connections")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        help="seconds each row may wait for other processes to leave the CPU (shared machines)",
    )
    parser.add_argument(
        "--max-other-cpu",
        type=float,
        default=100.0,
        help="repeat a row when other processes used more than this %% of the CPU during it",
    )
    parser.add_argument("--retries", type=int, default=2, help="repeats allowed per row")
    parser.add_argument("--pages-only", action="store_true", help="skip the other benchmarks")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workers = [int(value) for value in args.workers.split(",")]
    load = Load(
        args.duration,
        args.warmup,
        args.connections,
        quiet_wait=args.quiet_wait,
        max_other_cpu=args.max_other_cpu,
        retries=args.retries,
    )
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1

    # A SIGTERM (`timeout`, CI cancelling) unwinds like Ctrl-C: the gunicorn
    # servers are stopped and the temporary directory removed on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-bench-"))
    started = time.monotonic()
    loadavg_before = _loadavg()
    revision = _revision()
    try:
        database_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        if database_url.startswith(("postgres://", "postgresql://")):
            database = f"PostgreSQL {postgres_database_ensure(database_url)}"
        else:
            import sqlite3

            database = f"SQLite {sqlite3.sqlite_version} (WAL, CONN_MAX_AGE=0)"
        base_env = production_env(tmp, database_url)
        if _redis_available():
            cache_env = {"REDIS_URL": REDIS_URL}
            cache = f"Redis {REDIS_URL} (flushed before each cached server)"
        else:
            cache_env = {}
            cache = "LocMemCache per worker (Redis not reachable on 127.0.0.1:6379)"
        content = build_site(base_env)
        results = {
            count: run_workers(
                count, base_env=base_env, cache_env=cache_env, content=content, load=load, tmp=tmp
            )
            for count in workers
        }
    except SetupError as error:
        print(f"bench set-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            _progress(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("# Vestnik page throughput\n")
    print(machine(database, cache, load, workers, (loadavg_before, _loadavg()), revision))
    print(
        f"- content: {content['content']} ({content['articles']} articles); longest article "
        f"«{content['article_title']}»: {content['article_words']} words, "
        f"{content['article_footnotes']} footnotes, {content['article_headings']} headings"
    )
    failed = False
    for count, rows in results.items():
        by_key = {(row.target.key, row.mode): row for row in rows}
        print(f"\n## gunicorn --workers {count}\n")
        print(
            table(
                rows,
                by_key[("static", "WhiteNoise")],
                by_key[("bare", "no page cache")],
                by_key.get(("stock", "no page cache")),
            )
        )
        failed = failed or any(row.error for row in rows)

    for count, rows in results.items():
        print(f"\n{goals_summary(rows)} (gunicorn --workers {count})")
    _progress(f"pages done in {time.monotonic() - started:.0f} s")

    if not args.pages_only:
        for problem in run_other_benchmarks():
            print(f"\nnote: {problem}")
    if failed:
        print("\nSome rows could not be measured (see the table).", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
