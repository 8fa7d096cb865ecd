"""Documents in a private collection are not files under /media/ behind the shipped nginx.

nginx runs here with deploy/nginx/vestnik-media.conf as vestnik.conf includes
it, over a media directory with an image and a document: the image is served,
the document is not, however its path is spelled.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import DEPLOY, MIME_TYPES, NGINX, fetch, free_port, tool_required, wait_for_port

pytestmark = pytest.mark.needs("nginx")


@pytest.fixture
def media_nginx(tmp_path: Path) -> Iterator[str]:
    tool_required("nginx")
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "images").mkdir()
    (media / "article-pdfs" / "7").mkdir(parents=True)
    (media / "article-pdfs" / "7" / "3-0-ru.pdf").write_text("private budget pdf")
    (media / "documents" / "budget.txt").write_text("private budget lines")
    (media / "images" / "map.txt").write_text("a public map")
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
        f"  server {{ listen 127.0.0.1:{port}; include {tmp_path}/media.conf; }}\n}}\n"
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


def test_nginx_serves_images_but_never_documents(media_nginx: str) -> None:
    status, _, body = fetch(f"{media_nginx}/media/images/map.txt")
    assert (status, body) == (200, "a public map")
    for path in (
        "/media/documents/budget.txt",
        "/media/images/../documents/budget.txt",
        "/media//documents/budget.txt",
        "/media/%64ocuments/budget.txt",
        "/media/article-pdfs/7/3-0-ru.pdf",
        # The publications' X-Accel-Redirect target: internal, never a reader's URL.
        "/internal-media/documents/budget.txt",
    ):
        status, _, body = fetch(media_nginx + path)
        assert status == 404, path
        assert "private budget" not in body, path
