"""nginx and gunicorn on loopback, configured from `deploy/`, for tests and benchmarks.

The generated nginx.conf only supplies what differs on a developer's machine
(temporary paths, ports, the upstream); the caching rules themselves are
`include`d from deploy/nginx/, so what the tests check and the benchmarks
measure is exactly what a server gets.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = Path(os.environ.get("VESTNIK_NGINX", "/usr/sbin/nginx"))
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_missing() -> str | None:
    """Why nginx cannot be used here, or None when it can."""
    if not NGINX.exists():
        return f"{NGINX} is missing (apt-get install nginx libnginx-mod-http-cache-purge)"
    if not PURGE_MODULE.exists():
        return f"{PURGE_MODULE} is missing (apt-get install libnginx-mod-http-cache-purge)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, *, timeout: float = 30.0, process: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


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


class Nginx(_Service):
    """nginx in front of `upstream_port`, with the page cache and the purge listener."""

    stop_signal = signal.SIGQUIT  # graceful: finish the requests in flight
    stop_timeout = 10.0

    def __init__(
        self,
        workdir: Path,
        *,
        upstream_port: int,
        static_root: Path | None = None,
        workers: int = 1,
    ) -> None:
        self.workdir = workdir
        self.upstream_port = upstream_port
        self.static_root = static_root
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

    def config(self) -> str:
        work = self.workdir
        user = "user root;" if os.geteuid() == 0 else ""
        static = ""
        if self.static_root is not None:
            static = f"""
        location /static/ {{
            alias {self.static_root}/;
            expires max;
            add_header Cache-Control "public, immutable";
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
            raise RuntimeError(missing)
        self.workdir.mkdir(parents=True, exist_ok=True)
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
        except Exception as error:
            self.stop()
            log = (
                (self.workdir / "error.log").read_text()
                if (self.workdir / "error.log").exists()
                else ""
            )
            raise RuntimeError(f"nginx did not start: {error}\n{log}") from error
        return self


class Gunicorn(_Service):
    """The app under gunicorn with deploy/gunicorn.conf.py and the given environment."""

    def __init__(self, *, env: dict[str, str], workers: int = 2, port: int | None = None) -> None:
        self.port = port or free_port()
        self.env = {
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [gunicorn, "-c", str(DEPLOY / "gunicorn.conf.py"), "vestnik.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=60, process=self.process)
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
