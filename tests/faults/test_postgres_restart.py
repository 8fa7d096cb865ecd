"""PostgreSQL goes away under a reading load and comes back: 503s, then 200s, same gunicorn.

A reader thread requests pages (Russian, English, and one asking for JSON) one
after another from gunicorn with two workers whose persistent connections are
open. PostgreSQL is stopped with `pg_ctl stop -m fast` (what a restart or a
failover does to open connections), kept down until the reader has seen a few
answers, and started again. Every answer must be a 200 or a clean 503 — never
a 500, a timeout or a dropped connection — and every request sent after
PostgreSQL is back must be a 200 from the same master and workers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests

from tests.faults.conftest import FaultSite, gunicorn

pytestmark = pytest.mark.needs("postgres-server")

# (path, Accept header, the language and type a 503 must have)
READS = [
    ("/", "text/html,application/xhtml+xml,*/*;q=0.8", "ru", "text/html"),
    ("/en/", "text/html,application/xhtml+xml,*/*;q=0.8", "en", "text/html"),
    ("/polls/", "text/html,*/*;q=0.8", "ru", "text/html"),
    ("/en/polls/", "application/json", "en", "application/json"),
]


@dataclass(frozen=True)
class Read:
    sent: float
    path: str
    accept: str
    language: str
    content_type: str
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    error: str = ""
    headers: dict[str, str] | None = None
    body: str = ""


class Reader(threading.Thread):
    def __init__(self, base_url: str) -> None:
        super().__init__(daemon=True)
        self.base_url = base_url
        self.reads: list[Read] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stopping.is_set():
            path, accept, language, content_type = READS[n % len(READS)]
            n += 1
            sent = time.monotonic()
            try:
                response = requests.get(
                    self.base_url + path,
                    headers={"Accept": accept},
                    timeout=10,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                self.reads.append(
                    Read(sent, path, accept, language, content_type, None, repr(error))
                )
                continue
            self.reads.append(
                Read(
                    sent,
                    path,
                    accept,
                    language,
                    content_type,
                    response.status_code,
                    headers=dict(response.headers),
                    body=response.text[:2000],
                )
            )

    def answered(self, *, since: float, status: int | None = None) -> int:
        """Reads sent since `since` (with this status, if given)."""
        return sum(
            1
            for read in list(self.reads)
            if read.sent >= since and (status is None or read.status == status)
        )


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_postgres_restart_gives_503_then_recovers(fault_site: FaultSite) -> None:
    site = fault_site
    postgres = site.postgres
    with gunicorn(site, workers=2) as server:
        workers_before = server.workers()
        reader = Reader(server.url)
        started = time.monotonic()
        reader.start()
        try:
            # The workers serve a few reads and keep their connections open.
            assert wait_for(lambda: reader.answered(since=started, status=200) >= 6, 30)

            stopping = time.monotonic()
            postgres.stop("fast")
            down = time.monotonic()
            assert wait_for(lambda: reader.answered(since=down, status=503) >= 8, 15), (
                "no 503 while PostgreSQL was down"
            )
            starting = time.monotonic()
            postgres.start()
            back = time.monotonic()
            assert wait_for(lambda: reader.answered(since=back) >= 10, 30)
        finally:
            reader.stopping.set()
            reader.join(timeout=15)
            # The server is shared with the other fault tests.
            postgres.ensure_running()
        workers_after = server.workers()
        master_running = server.process.poll() is None
        log = server.log_tail()

    reads = list(reader.reads)
    before = [r for r in reads if r.sent < stopping]
    during = [r for r in reads if stopping <= r.sent < back]
    after = [r for r in reads if r.sent >= back]
    print(
        f"\nPostgreSQL stopped for {back - stopping:.1f} s; reads: {len(reads)}; "
        f"before the stop {len(before)} "
        f"(200: {sum(r.status == 200 for r in before)}), "
        f"while stopped/starting {len(during)} (503: {sum(r.status == 503 for r in during)}, "
        f"200: {sum(r.status == 200 for r in during)}), "
        f"after the start {len(after)} (200: {sum(r.status == 200 for r in after)})"
    )

    failures = [r for r in reads if r.status not in (200, 503)]
    assert not failures, (
        f"answers other than 200/503: {[(r.path, r.status, r.error) for r in failures]}\n{log}"
    )
    # While PostgreSQL was down, nothing but 503s.
    assert all(r.status == 503 for r in reads if down <= r.sent < starting)
    assert any(r.status == 503 for r in during)
    # Recovery without restarting the application: every read sent after
    # PostgreSQL accepted connections again succeeds, from the same processes.
    assert after
    assert all(r.status == 200 for r in after), [(r.path, r.status) for r in after]
    assert master_running
    assert workers_after == workers_before, "gunicorn replaced workers"

    for read in (r for r in reads if r.status == 503):
        headers = read.headers or {}
        assert int(headers["Retry-After"]) > 0
        assert "no-store" in headers["Cache-Control"]
        assert headers["Content-Type"].startswith(read.content_type), read
        assert headers["Content-Language"] == read.language
        if read.content_type == "application/json":
            assert '"error": "unavailable"' in read.body
        else:
            assert f'<html lang="{read.language}">' in read.body
