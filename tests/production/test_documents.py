"""Documents in a private collection are not files under /media/ behind the shipped nginx.

nginx runs here with deploy/nginx/vestnik-media.conf as vestnik.conf includes
it, over a media directory with an image and a document: the image is served,
the document is not, however its path is spelled.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import fetch, media_nginx_serving, tool_required

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
    with media_nginx_serving(tmp_path, media) as base_url:
        yield base_url


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
