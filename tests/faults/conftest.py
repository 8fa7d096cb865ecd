"""Real processes for the fault tests: a private PostgreSQL and gunicorn serving Vestnik.

The tests break things on purpose (stop PostgreSQL, kill a worker), so nothing
here is shared with the rest of the machine: PostgreSQL is a fresh cluster in a
temporary directory on a free port with its socket in that directory (the
server on 5432 and the suite's DATABASE_URL are never touched), and gunicorn is
started from `deploy/gunicorn.conf.py` as production starts it. Everything is
stopped and removed when the session ends, also after a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Gunicorn, free_port, log_tail, manage, postgres_bin, tool_required

DATABASE = "vestnik_faults"
# Environment that could point the servers at shared services or other settings.
INHERITED_OUT = (
    "DATABASE_URL",
    "REDIS_URL",
    "CONN_MAX_AGE",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "CSRF_TRUSTED_ORIGINS",
    "AWS_",
    "GUNICORN_",
    "VESTNIK_",
)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster; start, stop and restart it at will."""

    def __init__(self, bin_dir: Path, tmp: Path) -> None:
        self.bin_dir = bin_dir
        self.tmp = tmp
        self.data = tmp / "data"
        self.log = tmp / "postgres.log"
        self.port = 0
        # initdb and postgres refuse to run as root; CI runs as root.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(
            [*self.as_owner, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                f"\n--- postgres.log ---\n{log_tail(self.log)}"
            )

    def init(self) -> None:
        if self.as_owner:
            shutil.chown(self.tmp, user="postgres")
        self._run(
            str(self.bin_dir / "initdb"),
            "--pgdata",
            str(self.data),
            "--auth",
            "trust",
            "--username",
            "postgres",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )

    def configure(self, port: int) -> None:
        # In postgresql.conf, not on the command line, so that every start (and
        # a restart by pg_ctl) uses this port and socket directory, never 5432.
        self.port = port
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.tmp}'\n"
                "max_connections = 40\n"
                "shared_buffers = 32MB\n"
            )

    def pg_ctl(self, *args: str) -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"), "--pgdata", str(self.data), "--log", str(self.log), *args
        )

    def start(self) -> None:
        self.pg_ctl("start", "--wait", "--timeout", "30")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "--wait", "--timeout", "30", "--mode", mode)

    def ensure_running(self) -> None:
        status = subprocess.run(
            [*self.as_owner, str(self.bin_dir / "pg_ctl"), "status", "--pgdata", str(self.data)],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if status.returncode != 0:  # 3: not running
            self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as connection:
            connection.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    tool_required("postgres-server")
    bin_dir = postgres_bin()
    assert bin_dir is not None
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-faults-pg-"))
    server = PrivatePostgres(bin_dir, tmp)
    try:
        server.init()
        for attempt in range(3):
            # The port is free when chosen; another process could take it before
            # PostgreSQL binds, so a failed start tries another one.
            server.configure(free_port())
            try:
                server.start()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        yield server
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            server.stop("immediate")
        shutil.rmtree(tmp, ignore_errors=True)


# One Django start-up for all the set-up: migrate as a deployment does, the page
# tree (home, sections, blogs, experts), and two open polls for the ballot test.
SETUP = """
import json
from django.core.management import call_command
from vestnik.site.services import site_setup
from vestnik.polls.factories import poll_with_options

call_command("migrate", interactive=False, verbosity=0)
site_setup()
warmup = poll_with_options("Fault test: warm-up", ["Yes", "No"])
poll = poll_with_options(
    "Fault test: ballots", [f"Option {n}" for n in range(1, 7)], max_choices=3
)
print(json.dumps({
    "warmup_poll": warmup.pk,
    "warmup_options": sorted(warmup.options.values_list("id", flat=True)),
    "poll": poll.pk,
    "options": sorted(poll.options.values_list("id", flat=True)),
}))
"""


@dataclass
class FaultSite:
    """A migrated Vestnik database on the private server and the environment to serve it."""

    postgres: PrivatePostgres
    env: dict[str, str]
    tmp: Path
    content: dict[str, Any]

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]


@pytest.fixture(scope="session")
def fault_site(private_postgres: PrivatePostgres) -> Iterator[FaultSite]:
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-faults-site-"))
    try:
        private_postgres.execute(f"CREATE DATABASE {DATABASE}")
        (tmp / "static").mkdir()
        env = {key: value for key, value in os.environ.items() if not key.startswith(INHERITED_OUT)}
        env.update(
            {
                # Production settings (tests/faults/settings.py says what differs).
                "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "SECURE_SSL_REDIRECT": "0",
                "ALLOWED_HOSTS": "127.0.0.1",
                "DATABASE_URL": private_postgres.url(DATABASE),
                # Every read must reach PostgreSQL, or an outage would go unnoticed.
                "VESTNIK_PAGE_CACHE": "off",
                "VESTNIK_VAR_DIR": str(tmp),
                "STATIC_ROOT": str(tmp / "static"),
                "MEDIA_ROOT": str(tmp / "media"),
                "LOG_LEVEL": "WARNING",
            }
        )
        output = manage(env, "shell", "--no-imports", "-c", SETUP, timeout=240)
        content = json.loads(output.strip().splitlines()[-1])
        yield FaultSite(private_postgres, env, tmp, content)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _client_connection_inodes(port: int) -> set[str]:
    """Inodes of established TCP connections accepted on `port` (from /proc/net/tcp)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                    inodes.add(fields[9])
    return inodes


class FaultGunicorn(Gunicorn):
    def busy_workers(self) -> set[int]:
        """Workers holding a client connection right now, i.e. in the middle of a request."""
        connections = _client_connection_inodes(self.port)
        return {pid for pid in self.workers() if _socket_inodes(pid) & connections}


@contextlib.contextmanager
def gunicorn(site: FaultSite, *, workers: int, ready_path: str = "/") -> Iterator[FaultGunicorn]:
    """gunicorn with deploy/gunicorn.conf.py on a free port, answering `ready_path` with 200."""
    server = FaultGunicorn(
        env=site.env,
        workers=workers,
        ready_path=ready_path,
        ready_timeout=45,
        # gunicorn's quick shutdown: nothing is in flight any more.
        stop_signal=signal.SIGQUIT,
        stop_timeout=10,
    )
    server.log = site.tmp / f"gunicorn-{server.port}.log"
    with server:
        yield server
