"""Behind the shipped nginx, each reader is their own address (deploy/env.example's proxies).

nginx (deploy/nginx/, on loopback) passes the peer it saw in X-Forwarded-For;
the app believes it because the deploy files name nginx as a trusted proxy.
Two readers are two loopback source addresses (127.0.0.2 and 127.0.0.3 are the
machine's own on Linux), so nginx really sees two different clients.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.harness import DEPLOY, Nginx, tool_required
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.needs("nginx"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def deployed_environment() -> dict[str, str]:
    """The variables deploy/env.example sets, as systemd's EnvironmentFile reads them."""
    lines = (DEPLOY / "env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


@pytest.fixture
def nginx(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[Nginx]:
    tool_required("nginx")
    upstream_port = urlsplit(live_server.url).port
    assert upstream_port is not None
    proxies = deployed_environment().get("VESTNIK_TRUSTED_PROXIES", "")
    settings.VESTNIK_CORE_TRUSTED_PROXIES = [item for item in proxies.split(",") if item]
    settings.VESTNIK_POLLS_RATE_LIMIT = 1
    with Nginx(tmp_path / "nginx", upstream_port=upstream_port) as server:
        yield server


def vote(nginx: Nginx, path: str, option: int, *, source: str) -> tuple[int, dict[str, Any]]:
    """One ballot from a fresh browser (no cookie) at the loopback address `source`."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", nginx.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            path,
            body=urlencode({"option": option}),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_one_reader_filling_the_window_does_not_lock_out_another(nginx: Nginx) -> None:
    site_setup()
    poll = poll_with_options("Вопрос", ["Да", "Нет"])
    yes = poll.options.first()
    assert yes is not None
    path = f"/polls/{poll.pk}/vote/"

    assert vote(nginx, path, yes.pk, source="127.0.0.2")[0] == 200
    status, body = vote(nginx, path, yes.pk, source="127.0.0.2")
    assert (status, body["error"]) == (429, "rate_limited")
    # Another reader, the same nginx: their own window.
    assert vote(nginx, path, yes.pk, source="127.0.0.3")[0] == 200
    status, body = vote(nginx, path, yes.pk, source="127.0.0.3")
    assert (status, body["error"]) == (429, "rate_limited")
