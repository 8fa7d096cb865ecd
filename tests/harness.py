"""Real servers on loopback for the tests and the benchmarks, and the tools they need.

One place for what used to be written per suite: a free port, waiting for a
server to answer, gunicorn started as production starts it, nginx configured
from `deploy/nginx/`, and the decision whether a test that needs a system tool
(nginx, Chromium, PostgreSQL's server binaries, redis-server) runs, is skipped
or fails. The generated nginx.conf only supplies what differs on a developer's
machine (temporary paths, ports, the upstream); the caching rules themselves
are `include`d from deploy/nginx/, so what the tests check and the benchmarks
measure is exactly what a server gets.

Nothing here imports Django: the root conftest and the bench scripts load it
before settings exist. The bench scripts put the repository root on sys.path
and import it as `tests.harness`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import redis

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
# Where deploy/nginx/vestnik-readership.conf has nginx log page-view beacons.
DEPLOYED_VIEW_LOG = "/run/vestnik/views.log"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
NGINX = Path(os.environ.get("VESTNIK_NGINX", "/usr/sbin/nginx"))
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
CHROMIUM = Path(os.environ.get("VESTNIK_CHROMIUM", "/usr/bin/chromium"))


# --- system tools ----------------------------------------------------------------


def executable(path: Path) -> bool:
    # Not just exists(): `scripts/without-optional-tools` hides a tool behind an
    # empty file without execute bits, as an absent package would leave nothing.
    return path.is_file() and os.access(path, os.X_OK)


def nginx_missing() -> str | None:
    """Why nginx cannot be used here, or None when it can."""
    if not executable(NGINX):
        return f"{NGINX} is missing (apt-get install nginx libnginx-mod-http-cache-purge)"
    if not PURGE_MODULE.is_file():
        return f"{PURGE_MODULE} is missing (apt-get install libnginx-mod-http-cache-purge)"
    return None


def chromium_missing() -> str | None:
    if not executable(CHROMIUM):
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def postgres_bin() -> Path | None:
    """PostgreSQL 15's server binaries (Debian layout), or another version's if 15 is absent."""
    override = os.environ.get("VESTNIK_FAULTS_PG_BIN")
    candidates = [Path(override)] if override else []
    candidates.append(Path("/usr/lib/postgresql/15/bin"))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((path for path in candidates if executable(path / "initdb")), None)


def postgres_server_missing() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed"
    return None


def redis_server() -> Path:
    return Path(shutil.which("redis-server") or "/usr/bin/redis-server")


def redis_server_missing() -> str | None:
    if not executable(redis_server()):
        return "redis-server is not installed (apt-get install redis-server)"
    return None


class PrivateRedis:
    """A throwaway redis-server that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="vestnik-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(redis_server()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = self.client()
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)  # a frozen process cannot die
        self.process.kill()  # SIGKILL: no goodbye to the clients
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Unreachable but with its data intact, as in a network partition."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass(frozen=True)
class Tool:
    missing: Callable[[], str | None]
    # Set (to anything) in CI: there a missing tool fails its tests instead of
    # skipping them, so a broken install cannot pass as a green run.
    required_by: str


TOOLS = {
    "nginx": Tool(nginx_missing, "VESTNIK_REQUIRE_NGINX"),
    "chromium": Tool(chromium_missing, "VESTNIK_REQUIRE_BROWSER"),
    "postgres-server": Tool(postgres_server_missing, "VESTNIK_REQUIRE_POSTGRES_SERVER"),
    "redis-server": Tool(redis_server_missing, "VESTNIK_REQUIRE_REDIS_SERVER"),
}


@dataclass(frozen=True)
class ToolProblem:
    missing: str
    required: bool
    required_by: str

    @property
    def message(self) -> str:
        return f"{self.required_by} is set but {self.missing}" if self.required else self.missing


def tool_problem(name: str) -> ToolProblem | None:
    """Why the tool cannot be used here and whether it must be, or None when it can."""
    tool = TOOLS[name]
    if (missing := tool.missing()) is None:
        return None
    return ToolProblem(missing, bool(os.environ.get(tool.required_by)), tool.required_by)


def tool_required(name: str) -> None:
    """Skip the current test when the tool is missing, or fail it where the tool is required.

    For fixtures that start a tool. Tests say what they need with
    `@pytest.mark.needs("<tool>")` (or `browser`), which the root conftest
    decides before any fixture runs, so a skipped test never sets up a database;
    this is the guard for a test that forgot the mark.
    """
    import pytest

    if (problem := tool_problem(name)) is None:
        return
    if problem.required:
        pytest.fail(problem.message, pytrace=False)
    pytest.skip(problem.message)


# --- ports and processes -------------------------------------------------------


def free_port() -> int:
    """A loopback port free right now (another process may still take it before us)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, *, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"process exited with {process.returncode} before listening")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise ServiceError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def process_children(pid: int) -> set[int]:
    """The processes `pid` forked (Linux /proc; empty elsewhere)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children.update(int(child) for child in task.read_text().split())
    return children


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} is missing)"


class ServiceError(RuntimeError):
    """A server did not start or answer; the message carries the end of its log."""


def manage(env: Mapping[str, str], *args: str, timeout: float) -> str:
    """`manage.py ARGS` in a process of its own with `env`; its output, or ServiceError."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise ServiceError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class _Service:
    """A process started for a test or a benchmark, stopped however the block ends."""

    process: subprocess.Popen[bytes] | None = None
    stop_signal = signal.SIGTERM
    stop_timeout = 20.0

    def start(self) -> _Service:
        raise NotImplementedError

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


# --- gunicorn ------------------------------------------------------------------


class Gunicorn(_Service):
    """vestnik.wsgi under gunicorn on a free loopback port.

    `env` is the whole environment of the server (callers decide what of their
    own it inherits). `config` is deploy/gunicorn.conf.py, as production starts
    it, unless a benchmark asks for gunicorn's defaults with None. With
    `ready_path` the server counts as started once that page answers 200 (the
    app is loaded, not just the socket bound). The server runs in its own
    process group, so stopping it also ends any worker the master left behind.
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        workers: int = 2,
        config: Path | None = GUNICORN_CONF,
        args: Sequence[str] = (),
        log: Path | None = None,
        ready_path: str | None = None,
        ready_timeout: float = 60.0,
        stop_signal: signal.Signals = signal.SIGTERM,
        stop_timeout: float = 20.0,
    ) -> None:
        self.port = free_port()
        self.env = dict(env)
        self.workers_count = workers
        self.config = config
        self.args = list(args)
        self.log = log
        self.ready_path = ready_path
        self.ready_timeout = ready_timeout
        self.stop_signal = stop_signal
        self.stop_timeout = stop_timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def workers(self) -> set[int]:
        return process_children(self.pid)

    def pids(self) -> list[int]:
        """The master and its workers."""
        return [self.pid, *sorted(self.workers())]

    def log_tail(self, lines: int = 60) -> str:
        return log_tail(self.log, lines) if self.log is not None else "(no log file)"

    def command(self) -> list[str]:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        config = ["-c", str(self.config)] if self.config is not None else []
        return [
            gunicorn,
            *config,
            "vestnik.wsgi",
            # The command line wins over the config file and the environment.
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers_count),
            *self.args,
        ]

    def start(self) -> Gunicorn:
        # Without a log file the server's stderr is ours (pytest captures it).
        log = self.log.open("ab") if self.log is not None else None
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log if log is not None else subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        finally:
            if log is not None:
                log.close()  # the server holds its own descriptor
        try:
            if self.ready_path is None:
                wait_for_port(self.port, timeout=self.ready_timeout, process=self.process)
            else:
                self._wait_for_page(self.ready_path)
        except ServiceError as error:
            self.stop()
            raise ServiceError(f"gunicorn: {error}\n{self.log_tail()}") from error
        return self

    def _wait_for_page(self, path: str) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.ready_timeout
        while True:
            if self.process.poll() is not None:
                raise ServiceError(f"exited with {self.process.returncode}")
            with (
                contextlib.suppress(OSError, http.client.HTTPException),
                urllib.request.urlopen(self.url + path, timeout=5) as response,
            ):
                if response.status == 200:
                    return
            if time.monotonic() > deadline:
                raise ServiceError(f"{path} did not answer 200 within {self.ready_timeout:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        process = self.process
        super().stop()
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


# --- nginx ---------------------------------------------------------------------


class Nginx(_Service):
    """nginx in front of `upstream_port`, with the page cache and the purge listener.

    `static_root` is served at /static/ under the header policy of the site's
    /static/ location (deploy/nginx/vestnik.conf); `server_extra` is more of the
    `server` block (a benchmark's own locations).
    """

    stop_signal = signal.SIGQUIT  # graceful: finish the requests in flight
    stop_timeout = 10.0

    def __init__(
        self,
        workdir: Path,
        *,
        upstream_port: int,
        static_root: Path | None = None,
        workers: int = 1,
        server_extra: str = "",
    ) -> None:
        self.workdir = workdir
        self.upstream_port = upstream_port
        self.static_root = static_root
        self.server_extra = server_extra
        self.workers = workers
        self.port = free_port()
        self.purge_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.purge_port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def view_log(self) -> Path:
        """nginx's log of page-view beacons (deploy/nginx/vestnik-readership.conf)."""
        return self.workdir / "views.log"

    def worker_pids(self) -> list[int]:
        """The worker processes (not the cache manager or loader): the ones that serve requests."""
        workers = []
        for pid in sorted(process_children(self.pid)):
            with contextlib.suppress(OSError):
                if b"worker process" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    workers.append(pid)
        return workers

    def config(self) -> str:
        work = self.workdir
        user = "user root;" if os.geteuid() == 0 else ""
        static = ""
        if self.static_root is not None:
            static = f"""
        location /static/ {{
            alias {self.static_root}/;
            gzip_static on;
            expires max;
            add_header Cache-Control "public, immutable";
            add_header X-Content-Type-Options nosniff always;
        }}"""
        return f"""
load_module {PURGE_MODULE};
{user}
worker_processes {self.workers};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    # As the site's server block (deploy/nginx/vestnik.conf) compresses.
    gzip on;
    gzip_types text/css application/javascript application/json application/xml
               application/rss+xml application/atom+xml image/svg+xml;
    client_body_temp_path {work}/client_temp;
    proxy_temp_path {work}/proxy_temp;
    fastcgi_temp_path {work}/fastcgi_temp;
    uwsgi_temp_path {work}/uwsgi_temp;
    scgi_temp_path {work}/scgi_temp;

    include {DEPLOY}/nginx/vestnik-http.conf;
    proxy_cache_path {work}/cache levels=1:2 keys_zone=vestnik_pages:10m
                     max_size=1g inactive=1d use_temp_path=off;
    upstream vestnik_app {{
        server 127.0.0.1:{self.upstream_port};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        {static}
        {self.server_extra}
        include {work}/vestnik-readership.conf;
        include {DEPLOY}/nginx/vestnik-proxy.conf;
    }}
    server {{
        listen 127.0.0.1:{self.purge_port};
        include {DEPLOY}/nginx/vestnik-purge.conf;
    }}
}}
"""

    def start(self) -> Nginx:
        missing = nginx_missing()
        if missing:
            raise ServiceError(missing)
        self.workdir.mkdir(parents=True, exist_ok=True)
        # The shipped beacon location, its log moved from /run/vestnik into the work directory.
        shipped = (DEPLOY / "nginx" / "vestnik-readership.conf").read_text()
        assert DEPLOYED_VIEW_LOG in shipped
        (self.workdir / "vestnik-readership.conf").write_text(
            shipped.replace(DEPLOYED_VIEW_LOG, str(self.view_log))
        )
        self.view_log.touch()
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config())
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(self.workdir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.port, process=self.process)
            wait_for_port(self.purge_port, process=self.process)
        except ServiceError as error:
            self.stop()
            log = log_tail(self.workdir / "error.log", 200)
            raise ServiceError(f"nginx did not start: {error}\n{log}") from error
        return self


def fetch(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET without following redirects: status, headers (lower-case names), body."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.headers.items()}, body
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        return error.code, {k.lower(): v for k, v in error.headers.items()}, body


# --- SMTP ------------------------------------------------------------------------


class SmtpServer:
    """A real SMTP server on a loopback port (aiosmtpd), keeping what it receives.

    `messages` are parsed with the standard `email` package (policy `default`,
    so `get_body`, `iter_attachments` and friends work). `refuse_with` makes
    the next `refusals` DATA commands answer with that SMTP reply instead
    ("451 4.3.0 Try again later"), to test retries; `refuse_recipients_with` and
    `recipient_refusals` do the same for RCPT TO (greylisting, "no such user").
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Any] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_with = ""
        self.refusals = 0
        self.refuse_recipients_with = ""
        self.recipient_refusals = 0
        # Called with the message's number (1, 2, …) once it is stored, before
        # the server answers 250: the moment a sender is most at risk.
        self.on_message: Callable[[int], None] | None = None
        self._controller: Any = None

    def __enter__(self) -> Self:
        # aiosmtpd is a test-only dependency: imported only when a test asks for it.
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_RCPT(
                self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
            ) -> str:
                if server.recipient_refusals > 0:
                    server.recipient_refusals -= 1
                    return server.refuse_recipients_with
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
                import email
                import email.policy

                if server.refusals > 0:
                    server.refusals -= 1
                    return server.refuse_with
                server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                server.messages.append(
                    email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                )
                if server.on_message is not None:
                    server.on_message(len(server.messages))
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._controller.stop()


def run_at_once(count: int, work: Callable[[int], Any], *, what: str = "a worker") -> list[Any]:
    """Run `work(i)` in `count` threads released together by a barrier, as concurrent
    requests arrive; return each result or the exception it raised, in order.

    Each thread closes its database connections, so a PostgreSQL test leaves none
    open for the next one's flush."""
    from django.db import connections  # the harness is imported before Django is set up

    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index)
        except Exception as error:  # noqa: BLE001 (the test inspects every outcome)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), f"{what} hung (deadlock?)"
    return outcomes


@contextlib.contextmanager
def media_nginx_serving(tmp_path: Path, media: Path, *, server_extra: str = "") -> Iterator[str]:
    """nginx on a free loopback port with deploy/nginx/vestnik-media.conf over `media`,
    as vestnik.conf includes it; `server_extra` adds directives to its server block.
    Yields the base URL; stops nginx on leaving."""
    media_conf = (DEPLOY / "nginx" / "vestnik-media.conf").read_text()
    assert "/srv/vestnik/var/media/" in media_conf
    (tmp_path / "media.conf").write_text(media_conf.replace("/srv/vestnik/var/media/", f"{media}/"))
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"daemon off;\nevents {{}}\n"
        f"http {{ include {MIME_TYPES}; access_log off;\n"
        f"  client_body_temp_path {tmp_path}/client_temp;\n"
        f"  proxy_temp_path {tmp_path}/proxy_temp;\n"
        f"  server {{ listen 127.0.0.1:{port}; include {tmp_path}/media.conf;\n"
        f"    {server_extra}\n  }}\n}}\n"
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
