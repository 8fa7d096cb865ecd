"""A counted publication download behind the shipped nginx: the app answers with
`X-Accel-Redirect`, nginx sends the file from its internal location.

The upstream here stands in for the download view (`publications.views.download`,
whose header is tested in the app's own tests): it answers as the view does,
with the file's percent-encoded name under /internal-media/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.harness import fetch, media_nginx_serving, tool_required

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
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), DownloadView)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    proxy = f"location /publications/ {{ proxy_pass http://127.0.0.1:{upstream.server_port}; }}"
    try:
        with media_nginx_serving(tmp_path, media, server_extra=proxy) as base_url:
            yield base_url
    finally:
        upstream.shutdown()


def test_nginx_sends_the_file_the_app_names(download_nginx: str) -> None:
    status, _headers, body = fetch(f"{download_nginx}/publications/1/download/")
    assert (status, body) == (200, "%PDF-1.7 the report")


def test_the_internal_location_is_not_a_readers_url(download_nginx: str) -> None:
    status, _headers, body = fetch(f"{download_nginx}/internal-media/{quote(FILE_NAME)}")
    assert status == 404
    assert "the report" not in body
