"""A newsletter to 10,000 readers through an SMTP server on loopback: rate, memory, a kill.

    .venv/bin/python bench/newsletters.py [--readers 10000] [--database-url postgres://…]

On a fresh PostgreSQL database (created and dropped here; 127.0.0.1:5432 by
default) with 10,000 confirmed readers of the digest, a special issue with
three articles is sent three ways, each run from a fresh queue:

- **baseline**: Django's SMTP backend sends the same per-reader messages
  (`delivery.message_for`, rendered once per body) over one connection, with no
  ledger — what a plain `send_mass_mail` loop costs;
- **worker**: `send_newsletters` queues the mailing and `manage.py db_worker`
  (django-tasks-db) sends it, recording every message in the ledger before
  its last SMTP line; its peak resident memory is read from /proc;
- **worker killed**: the same, with the worker killed (SIGKILL) when half the
  messages have arrived, `send_newsletters` run again after the lease, and a
  second worker finishing. The server counts every copy per address:
  missing and duplicated must both be 0.

The SMTP server (aiosmtpd) runs in this process and only counts recipients.
Prints one table; ratios are messages per second against the baseline.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness import free_port, manage  # noqa: E402 (after the path)

LEASE_SECONDS = 3

SETUP = """
import json
from django.core.management import call_command
from vestnik.site.services import site_setup
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.newsletters.factories import digest_readers

call_command("migrate", interactive=False, verbosity=0)
site_setup()
blog = expert_with_blog()
pages = [
    article_in_blog(blog, title=f"Статья для рассылки номер {n}", lead="Короткий лид статьи.").pk
    for n in range(1, 4)
]
digest_readers(%(readers)d)
print(json.dumps({"pages": pages}))
"""

QUEUE = """
import json
from django.utils import timezone
from vestnik.newsletters.models import Mailing, MailingItem, MailingKind, MailingStatus
from vestnik.newsletters.planning import special_queue

mailing = Mailing.objects.create(
    kind=MailingKind.SPECIAL, language="ru", subject="Спецвыпуск: бенчмарк",
    intro="<p>Три статьи недели.</p>", status=MailingStatus.SCHEDULED, scheduled_at=timezone.now(),
)
for order, page in enumerate(%(pages)s):
    MailingItem.objects.create(mailing=mailing, page_id=page, sort_order=order)
print(json.dumps({"mailing": mailing.pk, "queued": special_queue(mailing)}))
"""

BASELINE = """
import json, time
from django.core.mail import get_connection
from vestnik.newsletters.delivery import _Bodies, message_for
from vestnik.newsletters.models import Delivery, Mailing

mailing = Mailing.objects.get(pk=%(mailing)d)
bodies = _Bodies(mailing)
rows = list(Delivery.objects.filter(mailing=mailing).select_related("subscriber").order_by("pk"))
started = time.perf_counter()
connection = get_connection()
connection.open()
sent = 0
for row in rows:
    body = bodies.body("ru", ())
    sent += connection.send_messages([message_for(row, row.subscriber, body)])
connection.close()
print(json.dumps({"sent": sent, "seconds": time.perf_counter() - started}))
"""


CLEAR = (
    "from vestnik.newsletters.models import Mailing; Mailing.objects.all().delete(); print('{}')"
)


class CountingSmtp:
    """aiosmtpd on loopback that counts copies per recipient; `on_message` sees the count."""

    def __init__(self) -> None:
        self.port = free_port()
        self.copies: collections.Counter[str] = collections.Counter()
        self.received = 0
        self.on_message: Any = None
        self.lock = threading.Lock()

    def __enter__(self) -> CountingSmtp:
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
                with server.lock:
                    server.copies.update(envelope.rcpt_tos)
                    server.received += 1
                    number = server.received
                if server.on_message is not None:
                    server.on_message(number)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.controller.stop()

    def reset(self) -> None:
        with self.lock:
            self.copies.clear()
            self.received = 0


def shell(env: dict[str, str], code: str) -> dict[str, Any]:
    output = manage(env, "shell", "--no-imports", "-c", code, timeout=900)
    return dict(json.loads(output.strip().splitlines()[-1]))


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Run:
    name: str
    sent: int
    seconds: float
    peak_mb: float = 0.0
    missing: int = 0
    duplicates: int = 0

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def worker_run(
    env: dict[str, str], smtp: CountingSmtp, readers: int, *, kill_at: int | None
) -> tuple[float, float]:
    """Send the queued mailing with db_worker (killed once at `kill_at`); seconds, peak MB."""
    manage(env, "send_newsletters", timeout=600)
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.1"]
    started = time.perf_counter()
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    peak = 0.0
    if kill_at is not None:

        def kill(number: int) -> None:
            if number == kill_at:
                os.kill(worker.pid, signal.SIGKILL)

        smtp.on_message = kill
    while worker.poll() is None:
        peak = max(peak, peak_rss_mb(worker.pid))
        time.sleep(0.2)
    smtp.on_message = None
    if kill_at is not None:
        if worker.returncode != -signal.SIGKILL:
            raise SystemExit(f"the worker was not killed: {worker.returncode}")
        time.sleep(LEASE_SECONDS + 0.5)
        manage(env, "send_newsletters", timeout=600)
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
        while worker.poll() is None:
            peak = max(peak, peak_rss_mb(worker.pid))
            time.sleep(0.2)
    if worker.returncode != 0:
        raise SystemExit((worker.stderr.read() if worker.stderr else b"").decode()[-3000:])
    return time.perf_counter() - started, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    import psycopg

    database = f"vestnik_bench_newsletters_{os.getpid()}"
    admin_url = args.database_url
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")  # type: ignore[arg-type]
    base_url = admin_url.rsplit("/", 1)[0]
    try:
        with CountingSmtp() as smtp:
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DATABASE_URL", "VESTNIK_", "EMAIL_", "REDIS_URL"))
            }
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
                    "DATABASE_URL": f"{base_url}/{database}",
                    "VESTNIK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                    "EMAIL_HOST": "127.0.0.1",
                    "EMAIL_PORT": str(smtp.port),
                    "VESTNIK_NEWSLETTERS_SEND_RATE": "0",
                    "VESTNIK_NEWSLETTERS_BATCH_SIZE": "1000",
                    "VESTNIK_NEWSLETTERS_LEASE_SECONDS": str(LEASE_SECONDS),
                    "LOG_LEVEL": "WARNING",
                }
            )
            print(f"Setting up {args.readers:,} readers…", file=sys.stderr)
            # Set-up runs its tasks (Wagtail's, insights') in-process, so the
            # worker measured below has nothing to do but the newsletter.
            setup_env = {
                **env,
                "VESTNIK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            }
            pages = shell(setup_env, SETUP % {"readers": args.readers})["pages"]
            expected = {f"reader{n}@example.org" for n in range(args.readers)}
            runs: list[Run] = []

            def tally(name: str, seconds: float, peak: float) -> Run:
                copies = smtp.copies
                return Run(
                    name=name,
                    sent=sum(copies.values()),
                    seconds=seconds,
                    peak_mb=peak,
                    missing=len(expected - set(copies)),
                    duplicates=sum(n - 1 for n in copies.values() if n > 1),
                )

            print("Baseline: Django's SMTP backend, no ledger…", file=sys.stderr)
            mailing = shell(env, QUEUE % {"pages": pages})["mailing"]
            result = shell(env, BASELINE % {"mailing": mailing})
            runs.append(tally("baseline: one connection, no ledger", result["seconds"], 0.0))
            shell(env, CLEAR)

            smtp.reset()
            print("The task worker…", file=sys.stderr)
            shell(env, QUEUE % {"pages": pages})
            seconds, peak = worker_run(env, smtp, args.readers, kill_at=None)
            runs.append(tally("db_worker with the ledger", seconds, peak))
            shell(env, CLEAR)

            smtp.reset()
            print("The task worker, killed once in the middle…", file=sys.stderr)
            shell(env, QUEUE % {"pages": pages})
            seconds, peak = worker_run(env, smtp, args.readers, kill_at=args.readers // 2)
            runs.append(
                tally(
                    f"killed at {args.readers // 2:,}, resumed (incl. {LEASE_SECONDS} s lease)",
                    seconds,
                    peak,
                )
            )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")  # type: ignore[arg-type]

    baseline = runs[0].rate
    print(
        f"\nNewsletter to {args.readers:,} readers over loopback SMTP "
        f"({platform.machine()}, {os.cpu_count()} cores, PostgreSQL)\n"
    )
    print(
        "| run | messages | seconds | msg/s | × baseline | worker peak RSS | missing | duplicates |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        peak = f"{run.peak_mb:.0f} MB" if run.peak_mb else "—"
        print(
            f"| {run.name} | {run.sent:,} | {run.seconds:.1f} | {run.rate:,.0f} | "
            f"{run.rate / baseline:.2f}× | {peak} | {run.missing} | {run.duplicates} |"
        )


if __name__ == "__main__":
    main()
