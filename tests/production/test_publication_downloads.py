"""A counted publication download behind the shipped nginx: the app answers with
`X-Accel-Redirect`, nginx sends the file from its internal location.

The upstream here stands in for the download view (`publications.views.download`,
whose header is tested in the app's own tests): it answers as the view does,
with the file's percent-encoded name under /internal-media/.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.harness import DEPLOY, MIME_TYPES, NGINX, fetch, free_port, tool_required, wait_for_port

pytestmark = pytest.mark.needs("nginx")

FILE_NAME = "documents/доклад.pdf"


class DownloadView(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("X-Accel-Redirect", f"/internal-media/{quote(FILE_NAME)}")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def download_nginx(tmp_path: Path) -> Iterator[str]:
    tool_required("nginx")
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / FILE_NAME).write_bytes(b"%PDF-1.7 the report")
    media_conf = (DEPLOY / "nginx" / "vestnik-media.conf").read_text()
    (tmp_path / "media.conf").write_text(media_conf.replace("/srv/vestnik/var/media/", f"{media}/"))
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), DownloadView)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"daemon off;\nevents {{}}\n"
        f"http {{ include {MIME_TYPES}; access_log off;\n"
        f"  client_body_temp_path {tmp_path}/client_temp;\n"
        f"  proxy_temp_path {tmp_path}/proxy_temp;\n"
        f"  server {{ listen 127.0.0.1:{port}; include {tmp_path}/media.conf;\n"
        f"    location /publications/ {{ proxy_pass http://127.0.0.1:{upstream.server_port}; }}\n"
        f"  }}\n}}\n"
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
        upstream.shutdown()


def test_nginx_sends_the_file_the_app_names(download_nginx: str) -> None:
    status, _headers, body = fetch(f"{download_nginx}/publications/1/download/")
    assert (status, body) == (200, "%PDF-1.7 the report")


def test_the_internal_location_is_not_a_readers_url(download_nginx: str) -> None:
    status, _headers, body = fetch(f"{download_nginx}/internal-media/{quote(FILE_NAME)}")
    assert status == 404
    assert "the report" not in body
