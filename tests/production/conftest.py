"""Fixtures shared by the production tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.harness import Nginx, tool_required


@contextmanager
def nginx_in_front(
    live_server: Any, directory: Path, settings: Any, *, workers: int = 1
) -> Iterator[Nginx]:
    """nginx with the shipped cache config in front of `live_server`, purged by the app."""
    tool_required("nginx")
    upstream_port = urlsplit(live_server.url).port
    assert upstream_port is not None
    server = Nginx(directory, upstream_port=upstream_port, workers=workers)
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "vestnik.core.front_cache.NginxPurgeBackend",
            "LOCATION": server.purge_url,
        }
    }
    with server:
        yield server


@pytest.fixture
def nginx(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[Nginx]:
    with nginx_in_front(live_server, tmp_path / "nginx", settings) as server:
        yield server
