"""Server CPU per accepted ballot: Vestnik's vote endpoint beside a minimal Django vote view.

    .venv/bin/python bench/polls_ballots.py [--db sqlite,postgres] [--ballots 3000] [--seconds 60]

For each database it builds a throwaway site (SQLite file in a temporary
directory; PostgreSQL database from VESTNIK_BENCH_POSTGRES_URL, dropped and
recreated), serves it with one gunicorn (sync workers, production settings
behind a trusted local proxy, `bench.minimal_vote.wsgi`) and loads each view
with `wrk` and `bench/polls_ballots.lua`, one connection per wrk thread:

- every request is a new voter: no cookie, an Origin header as a browser's
  form post sends, an X-Forwarded-For address from a pool of 4,096 as the
  trusted proxy would (so Vestnik's rate window is exercised and never
  reached); 1 to 3 of 8 options;
- rows: the minimal view (bench/minimal_vote: INSERT of the ballot and
  ordered F() updates of the counters, nothing else) behind startproject's
  middleware and behind Vestnik's, and Vestnik's `/polls/<id>/vote/`; "form"
  is the no-JavaScript post answered with a redirect, "json" the script's
  post answered with the results; a last row replays issued cookies, each of
  which must be refused with 409;
- "server CPU ms/ballot" is the CPU time (/proc utime + stime) of gunicorn's
  processes (app) and of the database's PostgreSQL backends (db) while the
  row ran, divided by the accepted ballots; ratios are against the minimal
  view behind startproject's middleware, same database, same response kind.

Afterwards every row is checked against the database: every accepted response
has its ballot (its voter cookie names a stored ballot: **lost** 0), nothing
else was stored (beyond the few requests wrk sent and never saw answered), every
option's count equals the accepted ballots that chose it (**options off** 0),
and for the minimal view every counter equals its ballot rows. The table goes
to stdout, progress to stderr; the exit status is non-zero when a check fails,
never because the numbers are slow.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SetupError, postgres_database_ensure  # noqa: E402 (after the path)
from tests.harness import Gunicorn, ServiceError  # noqa: E402

POSTGRES_URL = os.environ.get(
    "VESTNIK_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/polls_bench"
)
LUA = ROOT / "bench" / "polls_ballots.lua"
OPTIONS = 8
MAX_CHOICES = 3
VESTNIK_COOKIE = "vestnik_respondent"
MINIMAL_COOKIE = "voter"
# Seconds without a response on any connection after which a row stops.
STALL = 5.0

CREATE_POLLS = """
import json
from bench.minimal_vote.models import MinimalOption
from vestnik.polls.factories import poll_with_options
polls = {{}}
for use in ("warm-up", "measured"):
    texts = [f"Option {{n}}" for n in range({options})]
    poll = poll_with_options(f"Bench poll {{use}}", texts, max_choices={max_choices})
    number = poll.pk
    minimal = MinimalOption.objects.bulk_create(
        MinimalOption(poll=number) for _ in range({options})
    )
    polls[use] = {{
        "vestnik": [poll.pk, list(poll.options.values_list("id", flat=True))],
        "minimal": [number, [option.pk for option in minimal]],
    }}
print(json.dumps(polls))
"""

READ_VESTNIK = """
import json
from django.http import HttpRequest
from vestnik.polls.identity import COOKIE_SALT
from vestnik.polls.models import Ballot, BallotChoice
from django.db.models import Count
def key(value):
    request = HttpRequest()
    request.COOKIES[{cookie!r}] = value
    return "c:" + request.get_signed_cookie({cookie!r}, salt=COOKIE_SALT)
keys = [key(value) for value in open({keys!r}).read().split()]
stored = set(Ballot.objects.filter(poll_id={poll}).values_list("respondent_key", flat=True))
counts = dict(
    BallotChoice.objects.filter(poll_id={poll}).values_list("option_id").annotate(n=Count("id"))
)
print(json.dumps({{
    "rows": len(stored), "lost": len(set(keys) - stored), "duplicates": len(keys) - len(set(keys)),
    "counts": {{str(k): v for k, v in counts.items()}}, "counters_off": 0,
}}))
"""

READ_MINIMAL = """
import json
from collections import Counter
from bench.minimal_vote.models import MinimalBallot, MinimalOption
keys = open({keys!r}).read().split()
ballots = list(MinimalBallot.objects.filter(poll={poll}).values_list("voter", "options"))
stored = {{voter for voter, _ in ballots}}
rows = Counter(int(n) for _, options in ballots for n in options.split(","))
counters = dict(MinimalOption.objects.filter(poll={poll}).values_list("id", "votes"))
print(json.dumps({{
    "rows": len(ballots), "lost": len(set(keys) - stored), "duplicates": len(keys) - len(set(keys)),
    "counts": {{str(k): v for k, v in counters.items()}},
    "counters_off": sum(1 for k, v in counters.items() if rows[k] != v),
}}))
"""


def progress(message: str) -> None:
    print(f"[polls bench] {message}", file=sys.stderr, flush=True)


def run(args: list[str], env: dict[str, str], step: str) -> str:
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SetupError(f"{step} failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    progress(f"{step}: {time.monotonic() - started:.1f} s")
    return result.stdout


def manage_shell(env: dict[str, str], code: str, step: str) -> dict:  # type: ignore[type-arg]
    output = run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], env, step)
    return json.loads(output.strip().splitlines()[-1])


# --- CPU accounting (Linux /proc; elsewhere it reads as 0) ---------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in task.read_text().split():
                pids.extend(_process_tree(int(child)))
    return pids


def server_pids(pid: int) -> list[int]:
    """gunicorn's master and workers."""
    return _process_tree(pid)


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving `database` (their process title names it).

    Other databases on a shared server (a test run next door) are left out.
    """
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if title.startswith("postgres:") and f" {database} " in title:
                    pids.append(int(entry.name))
    return pids


class CpuMeter(threading.Thread):
    """CPU seconds used by a changing set of processes while a run lasts.

    Samples every 0.2 s, so a backend that PostgreSQL replaces mid-run (Django
    closes connections older than CONN_MAX_AGE) is counted up to its last sample.
    """

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.started_flag = False
        self.stop_event = threading.Event()
        self.sample()

    def sample(self) -> None:
        for pid in self.pids():
            cpu = _process_cpu(pid)
            # A process first seen during the run started from zero.
            self.first.setdefault(pid, cpu if not self.started_flag else 0.0)
            self.last[pid] = max(cpu, self.last.get(pid, 0.0))

    def run(self) -> None:
        self.started_flag = True
        while not self.stop_event.wait(0.2):
            self.sample()

    def stop(self) -> float:
        self.stop_event.set()
        self.join()
        self.sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


# --- the site ------------------------------------------------------------------


@contextlib.contextmanager
def site(database: str, tmp: Path) -> Iterator[tuple[dict[str, str], str]]:
    if database == "postgres":
        database_url = POSTGRES_URL
        label = f"PostgreSQL {postgres_database_ensure(database_url, recreate=True)}"
    else:
        import sqlite3

        database_url = f"sqlite:///{tmp / 'polls-bench.sqlite3'}"
        label = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "bench.polls_settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "VESTNIK_VAR_DIR": str(tmp),
        "DATABASE_URL": database_url,
        # Refused replays are logged by django.request as warnings; only errors matter here.
        "LOG_LEVEL": "ERROR",
    }
    run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env, "migrate")
    yield env, label


class BenchGunicorn(Gunicorn):
    """The harness's gunicorn, serving the bench's WSGI application (both views)."""

    def command(self) -> list[str]:
        app = "bench.minimal_vote.wsgi:application"
        return [app if arg == "vestnik.wsgi" else arg for arg in super().command()]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[str, int, int]]:
    """gunicorn with its own defaults (no deploy/ config), answering /polls/."""
    server = BenchGunicorn(
        env=env,
        workers=workers,
        config=None,
        args=[
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--no-control-socket",
            "--error-logfile",
            str(log),
        ],
        log=log,
        ready_path="/polls/",
    )
    try:
        server.start()
    except ServiceError as error:
        raise SetupError(f"{error}\nsee {log}") from error
    try:
        yield "127.0.0.1", server.port, server.pid
    finally:
        server.stop()


# --- the load ------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    label: str
    kind: str  # "vestnik" or "minimal"
    prefix: str  # before /polls/… or /bench/minimal/…
    middleware: str
    mode: str
    replay_share: float = 0.0

    def path(self, poll: int) -> str:
        if self.kind == "vestnik":
            return f"/polls/{poll}/vote/"
        return f"{self.prefix}/bench/minimal/{poll}/vote/"

    @property
    def cookie(self) -> str:
        return VESTNIK_COOKIE if self.kind == "vestnik" else MINIMAL_COOKIE


VIEWS = [
    View("minimal view", "minimal", "", "startproject's", "form"),
    View("minimal view", "minimal", "/bench/vestnik-stack", "Vestnik's", "form"),
    View("Vestnik", "vestnik", "", "Vestnik's", "form"),
    View("minimal view", "minimal", "", "startproject's", "json"),
    View("Vestnik", "vestnik", "", "Vestnik's", "json"),
    View("Vestnik, 5% replayed cookies", "vestnik", "", "Vestnik's", "form", replay_share=0.05),
]


@dataclass
class WrkOutcome:
    seconds: float
    accepted: int = 0
    unknown: int = 0
    replays: int = 0
    replays_refused: int = 0
    replays_counted: int = 0
    keys: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    other: Counter[str] = field(default_factory=Counter)
    p50_ms: float = 0.0
    p99_ms: float = 0.0


def wrk(
    url: str,
    *,
    view: View,
    options: list[int],
    connections: int,
    ballots: int,
    seconds: float,
    work: Path,
) -> WrkOutcome:
    """Send `ballots` votes (or as many as `seconds` allow); what the script saw."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "BALLOT_PATH": urlsplit(url).path,
        "BALLOT_ORIGIN": f"{urlsplit(url).scheme}://{urlsplit(url).netloc}",
        "BALLOT_MODE": view.mode,
        "BALLOT_MAX_CHOICES": str(MAX_CHOICES),
        "BALLOT_QUOTA": str(max(1, ballots // connections)),
        "BALLOT_REPLAY_SHARE": str(view.replay_share),
        "BALLOT_COOKIE": view.cookie,
        "BALLOT_OUT": str(work),
        "BALLOT_OPTIONS": ",".join(str(option) for option in options),
    }
    command = [
        "wrk",
        "--threads",
        str(connections),
        "--connections",
        str(connections),
        "--duration",
        f"{int(seconds)}s",
        "--timeout",
        "30s",
        "--script",
        str(LUA),
        url,
    ]
    started = time.time()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wrk sleeps for its whole --duration; once every thread has sent its quota
    # (each leaves a marker), or nothing has moved for a while (a request that
    # never got an answer holds its thread), an interrupt makes it stop at once.
    logs = [work / f"thread-{n}.txt" for n in range(1, connections + 1)]

    def last_change() -> float:
        return max((log.stat().st_mtime for log in logs if log.exists()), default=started)

    while process.poll() is None:
        if len(list(work.glob("done-*"))) == connections or time.time() - last_change() > STALL:
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.02)
    stdout, stderr = process.communicate(timeout=60)
    if not (work / "latency.txt").exists():
        raise SetupError(f"wrk failed on {url}:\n{stdout}{stderr}")
    outcome = WrkOutcome(seconds=last_change() - started)
    for line in (work / "latency.txt").read_text().splitlines():
        name, value = line.split()
        setattr(outcome, name.replace("_us", "_ms"), float(value) / 1000)
    for log in logs:
        lines = log.read_text().splitlines() if log.exists() else []
        if "done" not in lines:
            outcome.unknown += 1  # its last request never got an answer
        for line in lines:
            name, _, value = line.partition(" ")
            if name == "accepted":
                key, chosen = value.split()
                outcome.accepted += 1
                outcome.keys.append(key)
                outcome.counts.update(chosen.split(","))
            elif name == "replay_refused":
                outcome.replays += 1
                outcome.replays_refused += 1
            elif name == "replay_counted":
                outcome.replays += 1
                outcome.replays_counted += 1
            elif name == "other":
                outcome.other[value] += 1
            elif name == "unknown":
                outcome.unknown += 1
    return outcome


@dataclass(frozen=True)
class RunResult:
    database: str
    view: View
    connections: int
    workers: int
    outcome: WrkOutcome
    app_cpu_ms: float  # gunicorn CPU per accepted ballot
    db_cpu_ms: float  # PostgreSQL CPU per accepted ballot (0 for SQLite: it runs in the app)
    rows: int
    lost: int
    duplicates: int
    option_mismatches: int
    counters_off: int

    @property
    def rate(self) -> float:
        return self.outcome.accepted / self.outcome.seconds if self.outcome.seconds else 0.0

    @property
    def extra(self) -> int:
        return max(0, self.rows - self.outcome.accepted)

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicates == 0
            and self.extra <= self.outcome.unknown
            and self.option_mismatches == 0
            and self.counters_off == 0
            and self.outcome.replays == self.outcome.replays_refused
        )


def measure(
    env: dict[str, str],
    label: str,
    host: str,
    port: int,
    server_pid: int,
    view: View,
    *,
    ballots: int,
    seconds: float,
    connections: int,
    workers: int,
    tmp: Path,
) -> RunResult:
    polls = manage_shell(
        env,
        CREATE_POLLS.format(options=OPTIONS, max_choices=MAX_CHOICES),
        f"polls for {view.label} {view.mode}",
    )
    base = f"http://{host}:{port}"
    database_name = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    for use in ("warm-up", "measured"):
        poll, options = polls[use][view.kind]
        if use == "warm-up":
            # Every worker imports, connects and compiles templates before the clock runs.
            wrk(
                base + view.path(poll),
                view=view,
                options=options,
                connections=connections,
                ballots=connections * 10,
                seconds=seconds,
                work=tmp / "wrk",
            )
            continue
        app_meter = CpuMeter(lambda: server_pids(server_pid))
        db_meter = CpuMeter(
            lambda: postgres_pids(database_name) if label.startswith("PostgreSQL") else []
        )
        app_meter.start()
        db_meter.start()
        outcome = wrk(
            base + view.path(poll),
            view=view,
            options=options,
            connections=connections,
            ballots=ballots,
            seconds=seconds,
            work=tmp / "wrk",
        )
        app_cpu, db_cpu = app_meter.stop(), db_meter.stop()
    keys = tmp / "keys.txt"
    keys.write_text("\n".join(outcome.keys))
    template = READ_VESTNIK if view.kind == "vestnik" else READ_MINIMAL
    totals = manage_shell(
        env, template.format(poll=poll, keys=str(keys), cookie=view.cookie), "check"
    )
    mismatches = sum(
        1
        for option in options
        if int(totals["counts"].get(str(option), 0)) != outcome.counts[str(option)]
    )
    accepted = max(outcome.accepted, 1)
    return RunResult(
        database=label,
        view=view,
        connections=connections,
        workers=workers,
        outcome=outcome,
        app_cpu_ms=1000 * app_cpu / accepted,
        db_cpu_ms=1000 * db_cpu / accepted,
        rows=int(totals["rows"]),
        lost=int(totals["lost"]),
        duplicates=int(totals["duplicates"]),
        # With a broken connection the script cannot know every stored choice.
        option_mismatches=mismatches if outcome.unknown == 0 else 0,
        counters_off=int(totals["counters_off"]),
    )


# --- the report ----------------------------------------------------------------


def _ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f}×" if reference else "–"


def table(results: list[RunResult]) -> str:
    lines = [
        "| database | view | middleware | response | ballots accepted | seconds | ballots/s "
        "| × minimal | p50 ms | p99 ms | server CPU ms/ballot app (+ db) | app CPU × minimal "
        "| lost | unanswered | stored unanswered | options off | counters off | replays refused |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    baselines = {
        (r.database, r.view.mode): r
        for r in results
        if r.view.kind == "minimal" and r.view.prefix == ""
    }
    for r in results:
        base = baselines.get((r.database, r.view.mode))
        db = f" (+ {r.db_cpu_ms:.2f})" if r.database.startswith("PostgreSQL") else ""
        replays = f"{r.outcome.replays_refused}/{r.outcome.replays}" if r.view.replay_share else "–"
        lines.append(
            f"| {r.database} | {r.view.label} | {r.view.middleware} | {r.view.mode} "
            f"| {r.outcome.accepted} | {r.outcome.seconds:.1f} | **{r.rate:.0f}** "
            f"| {_ratio(r.rate, base.rate if base else None)} "
            f"| {r.outcome.p50_ms:.1f} | {r.outcome.p99_ms:.1f} "
            f"| **{r.app_cpu_ms:.2f}**{db} "
            f"| **{_ratio(r.app_cpu_ms, base.app_cpu_ms if base else None)}** "
            f"| {r.lost} | {r.outcome.unknown} | {r.extra} | {r.option_mismatches} "
            f"| {r.counters_off} | {replays} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--ballots", type=int, default=3000, help="requests per row (upper bound)")
    parser.add_argument("--seconds", type=float, default=60, help="time per row (upper bound)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (= threads)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--views", default="", help="comma-separated row numbers (1-based) to run; all by default"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed; see docs/performance.md", file=sys.stderr)
        return 1
    chosen = [int(n) for n in args.views.split(",") if n.strip()] or range(1, len(VIEWS) + 1)
    views = [VIEWS[n - 1] for n in chosen]

    results: list[RunResult] = []
    notes: list[str] = []
    load_before = os.getloadavg()
    for database in [d.strip() for d in args.db.split(",") if d.strip()]:
        tmp = Path(tempfile.mkdtemp(prefix=f"vestnik-polls-bench-{database}-"))
        try:
            with (
                site(database, tmp) as (env, label),
                gunicorn(env, args.workers, tmp / "gunicorn.log") as (host, port, pid),
            ):
                for view in views:
                    progress(f"{label}: {view.label}, {view.middleware} middleware, {view.mode}")
                    result = measure(
                        env,
                        label,
                        host,
                        port,
                        pid,
                        view,
                        ballots=args.ballots,
                        seconds=args.seconds,
                        connections=args.connections,
                        workers=args.workers,
                        tmp=tmp,
                    )
                    results.append(result)
                    if result.outcome.other:
                        notes.append(
                            f"{label} {view.label} {view.mode}: other outcomes "
                            f"{dict(result.outcome.other)}"
                        )
        except SetupError as error:
            notes.append(f"{database}: not measured: {error}")
            progress(f"{database}: {error}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nPolls: server CPU per accepted ballot — {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; gunicorn "
        f"{args.workers} sync workers; wrk, {args.connections} connections; every request a new "
        f"voter, {OPTIONS} options, 1–{MAX_CHOICES} chosen.\n"
    )
    print(table(results))
    print()
    print(
        "- unanswered: requests wrk sent and never saw an answer to (it loses a few with a "
        "server that closes every connection); the server may have stored them, so "
        "'stored unanswered' (ballots stored beyond the accepted answers) must not exceed it"
    )
    for note in notes:
        print(f"- {note}")
    print(
        "- load average "
        + " / ".join(f"{value:.2f}" for value in load_before)
        + " before, "
        + " / ".join(f"{value:.2f}" for value in os.getloadavg())
        + " after (1, 5, 15 min)"
    )
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(
            f"- CHECK FAILED: {r.database} {r.view.label} {r.view.mode}: lost {r.lost}, "
            f"extra {r.extra} (broken connections {r.outcome.unknown}), "
            f"duplicates {r.duplicates}, options off {r.option_mismatches}, "
            f"counters off {r.counters_off}, "
            f"replays counted {r.outcome.replays - r.outcome.replays_refused}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
