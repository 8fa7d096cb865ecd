"""The API's per-address rate limit (`VESTNIK_API_ANON_RATE`), over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from django.core.cache import cache
from django.test import Client

from vestnik.site.services import site_setup

pytestmark = pytest.mark.django_db

URL = "/api/v1/countries/"


@pytest.fixture(autouse=True)
def _limited(settings: object) -> Iterator[None]:
    settings.VESTNIK_API_ANON_RATE = 3  # type: ignore[attr-defined]
    cache.clear()
    site_setup()
    yield
    cache.clear()


def test_the_request_over_the_limit_is_refused_with_retry_after(client: Client) -> None:
    for _ in range(3):
        assert client.get(URL).status_code == 200
    refused = client.get(URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message"}
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in refused["Cache-Control"]
    # Every endpoint shares the address's count, unknown ones too.
    assert client.get("/api/v1/articles/").status_code == 429
    assert client.get("/api/v1/nothing/").status_code == 429
    # A preflight is not counted and still answered.
    assert client.options(URL).status_code == 204


def test_each_address_has_its_own_count(client: Client) -> None:
    for _ in range(3):
        client.get(URL, REMOTE_ADDR="203.0.113.7")
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(URL, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(
    client: Client, settings: object
) -> None:
    settings.VESTNIK_CORE_TRUSTED_PROXIES = ["127.0.0.1"]  # type: ignore[attr-defined]
    for _ in range(3):
        client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_a_forged_forwarded_header_from_an_untrusted_peer_does_not_reset_the_count(
    client: Client,
) -> None:
    for number in range(3):
        client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_zero_turns_the_limit_off(client: Client, settings: object) -> None:
    settings.VESTNIK_API_ANON_RATE = 0  # type: ignore[attr-defined]
    for _ in range(10):
        assert client.get(URL).status_code == 200


def test_the_site_itself_is_not_limited_by_the_api_count(client: Client) -> None:
    for _ in range(4):
        client.get(URL)
    assert client.get("/").status_code == 200
