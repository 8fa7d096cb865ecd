"""Resident memory of Vestnik's two kinds of process, as deployed.

- a gunicorn web worker (deploy/gunicorn.conf.py, one worker) after 1,000 page
  views rendered from scratch across the page types of the bench site;
- the task worker (`manage.py db_worker --batch`, django-tasks-db) after 100
  insights extractions: the only process that loads natasha's models.

Run by bench/production.py on its site (`make bench-production`). RSS counts
pages shared with the gunicorn master (`preload_app`); PSS shares them out and
"private" is what the worker alone holds, what one more worker would cost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.harness import ROOT, Gunicorn

BYPASS_COOKIE = "sessionid=benchmark-reader-without-a-session"
ENQUEUE = """
from django_tasks_db.models import DBTaskResult
from vestnik.articles.models import ArticlePage
from vestnik.insights.tasks import insights_extract_task
ids = list(ArticlePage.objects.live().values_list("pk", flat=True))
for number in range({count}):
    insights_extract_task.enqueue(ids[number % len(ids)])
print(DBTaskResult.objects.filter(status="READY").count())
"""


@dataclass(frozen=True)
class Memory:
    process: str
    work: str
    rss_mb: float
    pss_mb: float | None = None
    private_mb: float | None = None


def _smaps(pid: int) -> dict[str, float]:
    """Resident figures of a running process in MB (Linux /proc)."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return values


def web_worker(env: dict[str, str], urls: list[str], *, requests: int = 1000) -> Memory:
    with Gunicorn(env=env, workers=1, ready_path=urls[0]) as app:
        (worker,) = app.workers()

        def view(number: int) -> None:
            request = urllib.request.Request(
                app.url + urls[number % len(urls)], headers={"Cookie": BYPASS_COOKIE}
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(view, range(requests)))
        smaps = _smaps(worker)
    return Memory(
        "web worker (gunicorn, sync)",
        f"{requests:,} page views rendered ({len(urls)} page types)",
        smaps["Rss"],
        smaps["Pss"],
        smaps["Private_Clean"] + smaps["Private_Dirty"],
    )


def task_worker(env: dict[str, str], *, extractions: int = 100) -> Memory:
    env = {**env, "VESTNIK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    manage = [sys.executable, "manage.py"]
    enqueued = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", ENQUEUE.format(count=extractions)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    queued = int(enqueued.stdout.strip().splitlines()[-1])
    worker = subprocess.Popen(
        [*manage, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait4 reports the peak resident size of exactly this child.
    _, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = os.waitstatus_to_exitcode(status)
    if worker.returncode != 0:
        raise RuntimeError(f"db_worker exited with {worker.returncode}")
    return Memory(
        "task worker (db_worker)",
        f"{queued} tasks, {extractions} of them insights extractions (peak)",
        usage.ru_maxrss / 1024,
    )


def table(rows: list[Memory]) -> str:
    def number(value: float | None) -> str:
        return f"{value:,.0f}" if value is not None else ""

    lines = [
        "| process | after | RSS MB | PSS MB | private MB |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {row.process} | {row.work} | {number(row.rss_mb)} | {number(row.pss_mb)} | "
        f"{number(row.private_mb)} |"
        for row in rows
    ]
    return "\n".join(lines)


def measure(env: dict[str, str], content: dict[str, Any], *, extractions: int) -> list[Memory]:
    urls = list(content["urls"].values())
    return [web_worker(env, urls), task_worker(env, extractions=extractions)]


if __name__ == "__main__":
    print(json.dumps({"usage": "run by bench/production.py (make bench-production)"}))
