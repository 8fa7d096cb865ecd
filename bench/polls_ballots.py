"""Ballots accepted per second under concurrent load, with every ballot accounted for.

    .venv/bin/python bench/polls_ballots.py [--db sqlite,postgres] [--ballots 4000]

For each database it builds a throwaway site (SQLite file in a temporary
directory; PostgreSQL database `polls_bench`, dropped and recreated), serves
it with gunicorn on a free loopback port, and POSTs ballots to
/polls/<id>/vote/ from several client processes:

- every new ballot comes without a cookie, so the server makes a new
  respondent and answers with its signed cookie;
- a share of the requests replays a cookie the server already issued: each of
  those must be refused with 409 and must not be counted;
- each request carries an X-Forwarded-For address from a pool of 4,096, as a
  trusted proxy would send it, so the per-address rate window is exercised
  (and, at the default limit, never reached);
- two modes: "form" is the no-JavaScript post answered with a redirect,
  "json" asks for JSON and so also counts the fresh results for the voter.

Afterwards it reads the totals from the database and compares them with the
ballots the clients saw accepted: respondents, each option's count, and the
replays. "lost" and "extra" must both be 0. Work is bounded by a number of
ballots and a number of seconds per run. The table goes to stdout, progress
to stderr; the exit status is non-zero when a check fails (a lost or extra
ballot), never because the numbers are slow.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import platform
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SetupError, postgres_database_ensure  # noqa: E402 (after the path)
from tests.harness import Gunicorn, ServiceError  # noqa: E402

POSTGRES_URL = os.environ.get(
    "VESTNIK_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/polls_bench"
)
OPTIONS = 8
MAX_CHOICES = 3
ADDRESS_POOL = 4096
GOAL_POSTGRES_BALLOTS_PER_SECOND = 1000

CREATE_POLL = """
import json
from vestnik.polls.factories import poll_with_options
poll = poll_with_options(
    "Bench poll {mode}", [f"Option {{n}}" for n in range({options})], max_choices={max_choices}
)
print(json.dumps({{"poll": poll.pk, "options": list(poll.options.values_list("id", flat=True))}}))
"""

READ_TOTALS = """
import json
from vestnik.polls.models import Poll
from vestnik.polls.selectors import poll_results
poll = Poll.objects.prefetch_related("options").get(pk={poll})
results = poll_results(poll, fresh=True)
print(json.dumps({{"respondents": results.respondents,
                  "counts": {{str(o.id): o.count for o in results.options}}}}))
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


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[str, int, int]]:
    """gunicorn with its own defaults (no deploy/ config), answering /polls/."""
    server = Gunicorn(
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
class Job:
    host: str
    port: int
    poll: int
    options: tuple[int, ...]
    mode: str
    replay_share: float
    seed: int


@dataclass
class ClientReport:
    accepted: int = 0
    counts: Counter[int] = field(default_factory=Counter)
    replays: int = 0
    replays_refused: int = 0
    replays_counted: int = 0
    other: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    finished_at: float = 0.0


def _client(job: Job, quota: object, start: object, deadline: float, queue: object) -> None:
    rng = random.Random(job.seed)
    report = ClientReport()
    cookies: list[str] = []
    path = f"/polls/{job.poll}/vote/"
    origin = f"http://{job.host}:{job.port}"
    start.wait()  # type: ignore[attr-defined]
    while time.monotonic() < deadline:
        with quota.get_lock():  # type: ignore[attr-defined]
            if quota.value <= 0:  # type: ignore[attr-defined]
                break
            quota.value -= 1  # type: ignore[attr-defined]
        replay = bool(cookies) and rng.random() < job.replay_share
        chosen = rng.sample(job.options, rng.randint(1, MAX_CHOICES))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "X-Forwarded-For": f"10.{rng.randrange(16)}.{rng.randrange(16)}.{rng.randrange(16)}",
        }
        if job.mode == "json":
            headers["Accept"] = "application/json"
        if replay:
            headers["Cookie"] = rng.choice(cookies)
            report.replays += 1
        body = urlencode([("option", option) for option in chosen])
        sent = time.monotonic()
        try:
            connection = http.client.HTTPConnection(job.host, job.port, timeout=60)
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            connection.close()
        except OSError as error:
            report.other[type(error).__name__] += 1
            continue
        report.latencies_ms.append((time.monotonic() - sent) * 1000)
        accepted = response.status == (200 if job.mode == "json" else 302)
        if replay:
            if response.status == 409:
                report.replays_refused += 1
            elif accepted:
                report.replays_counted += 1
            else:
                report.other[str(response.status)] += 1
        elif accepted:
            report.accepted += 1
            report.counts.update(chosen)
            cookie = response.getheader("Set-Cookie", "")
            if cookie:
                cookies.append(cookie.split(";", 1)[0])
        else:
            report.other[str(response.status)] += 1
    report.finished_at = time.monotonic()
    queue.put(report)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RunResult:
    database: str
    mode: str
    clients: int
    workers: int
    seconds: float
    accepted: int
    rate: float
    p50_ms: float
    p99_ms: float
    replays: int
    replays_refused: int
    lost: int
    extra: int
    option_mismatches: int
    other: dict[str, int]
    client_cpu_share: float
    app_cpu_ms: float  # gunicorn CPU per accepted ballot
    db_cpu_ms: float  # PostgreSQL CPU per accepted ballot (0 for SQLite: it runs in the app)

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.extra == 0
            and self.option_mismatches == 0
            and self.replays == self.replays_refused
        )


def load(
    env: dict[str, str],
    label: str,
    host: str,
    port: int,
    server_pid: int,
    *,
    mode: str,
    ballots: int,
    clients: int,
    seconds: float,
    workers: int,
    replay_share: float,
) -> RunResult:
    created = manage_shell(
        env,
        CREATE_POLL.format(mode=mode, options=OPTIONS, max_choices=MAX_CHOICES),
        f"poll for {mode}",
    )
    context = multiprocessing.get_context("fork")
    quota = context.Value("i", ballots)
    start = context.Event()
    queue = context.Queue()
    deadline = time.monotonic() + seconds + 5
    processes = [
        context.Process(
            target=_client,
            args=(
                Job(host, port, created["poll"], tuple(created["options"]), mode, replay_share, n),
                quota,
                start,
                deadline,
                queue,
            ),
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    time.sleep(0.5)
    database = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    app_meter = CpuMeter(lambda: server_pids(server_pid))
    db_meter = CpuMeter(lambda: postgres_pids(database) if label.startswith("PostgreSQL") else [])
    app_meter.start()
    db_meter.start()
    started = time.monotonic()
    start.set()
    reports = [queue.get(timeout=seconds + 120) for _ in processes]
    app_cpu, db_cpu = app_meter.stop(), db_meter.stop()
    for process in processes:
        process.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = max(report.finished_at for report in reports) - started
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
        cpu_before.ru_utime + cpu_before.ru_stime
    )

    accepted = sum(report.accepted for report in reports)
    counts: Counter[int] = Counter()
    other: Counter[str] = Counter()
    latencies = sorted(ms for report in reports for ms in report.latencies_ms)
    for report in reports:
        counts.update(report.counts)
        other.update(report.other)
    totals = manage_shell(env, READ_TOTALS.format(poll=created["poll"]), f"totals for {mode}")
    respondents = int(totals["respondents"])
    mismatches = sum(
        1 for option in created["options"] if int(totals["counts"][str(option)]) != counts[option]
    )

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * share))] if latencies else 0.0

    return RunResult(
        database=label,
        mode=mode,
        clients=clients,
        workers=workers,
        seconds=elapsed,
        accepted=accepted,
        rate=accepted / elapsed if elapsed > 0 else 0.0,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        replays=sum(report.replays for report in reports),
        replays_refused=sum(report.replays_refused for report in reports),
        lost=max(0, accepted - respondents),
        extra=max(0, respondents - accepted),
        option_mismatches=mismatches,
        other=dict(other),
        client_cpu_share=client_cpu / (elapsed * (os.cpu_count() or 1)) if elapsed else 0.0,
        app_cpu_ms=1000 * app_cpu / max(accepted, 1),
        db_cpu_ms=1000 * db_cpu / max(accepted, 1),
    )


# --- the report ----------------------------------------------------------------


def per_cpu_second(result: RunResult) -> float:
    """Ballots one fully used CPU core would accept: independent of what else ran."""
    spent = result.app_cpu_ms + result.db_cpu_ms
    return 1000 / spent if spent > 0 else 0.0


def table(results: list[RunResult]) -> str:
    lines = [
        "| database | mode | clients | gunicorn workers | ballots accepted | seconds "
        "| ballots/s | p50 ms | p99 ms | server CPU ms/ballot (app + db) "
        "| ballots per CPU-second | replays refused | lost | extra | options off |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.mode} | {r.clients} | {r.workers} | {r.accepted} "
            f"| {r.seconds:.1f} | **{r.rate:.0f}** | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.app_cpu_ms + r.db_cpu_ms:.1f} ({r.app_cpu_ms:.1f} + {r.db_cpu_ms:.1f}) "
            f"| {per_cpu_second(r):.0f} "
            f"| {r.replays_refused}/{r.replays} | {r.lost} | {r.extra} | {r.option_mismatches} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--modes", default="form,json")
    parser.add_argument("--ballots", type=int, default=4000, help="requests per run (upper bound)")
    parser.add_argument("--seconds", type=float, default=60, help="time per run (upper bound)")
    parser.add_argument("--clients", type=int, default=16, help="client processes")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--replay-share", type=float, default=0.05)
    args = parser.parse_args()

    results: list[RunResult] = []
    notes: list[str] = []
    load_before = os.getloadavg()[0]
    for database in [d.strip() for d in args.db.split(",") if d.strip()]:
        tmp = Path(tempfile.mkdtemp(prefix=f"vestnik-polls-bench-{database}-"))
        try:
            with (
                site(database, tmp) as (env, label),
                gunicorn(env, args.workers, tmp / "gunicorn.log") as (host, port, pid),
            ):
                for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
                    progress(f"{label}: {mode}, {args.clients} clients")
                    result = load(
                        env,
                        label,
                        host,
                        port,
                        pid,
                        mode=mode,
                        ballots=args.ballots,
                        clients=args.clients,
                        seconds=args.seconds,
                        workers=args.workers,
                        replay_share=args.replay_share,
                    )
                    results.append(result)
                    if result.other:
                        notes.append(f"{label} {mode}: other outcomes {result.other}")
                    notes.append(
                        f"{label} {mode}: the load generator itself used "
                        f"{result.client_cpu_share:.0%} of the machine's CPU"
                    )
        except SetupError as error:
            notes.append(f"{database}: not measured: {error}")
            progress(f"{database}: {error}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nPolls: ballots accepted per second — {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{OPTIONS} options, 1–{MAX_CHOICES} chosen per ballot, "
        f"{args.replay_share:.0%} of requests replay an issued cookie.\n"
    )
    print(table(results))
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    print(
        f"- load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after: "
        "other work on the machine takes CPU from the server"
    )
    postgres = [r.rate for r in results if r.database.startswith("PostgreSQL")]
    if postgres:
        print(
            f"- goal ≥{GOAL_POSTGRES_BALLOTS_PER_SECOND} ballots/s on PostgreSQL: "
            f"best {max(postgres):.0f}/s"
        )
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(
            f"- CHECK FAILED: {r.database} {r.mode}: lost {r.lost}, extra {r.extra}, "
            f"options off {r.option_mismatches}, replays counted {r.replays - r.replays_refused}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
