"""API keys (issue #17): made by editors in the admin, sent by clients, at their own rate."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from vestnik.api.keys import api_key_create, api_key_revoke, key_digest
from vestnik.api.models import ApiKey
from vestnik.articles.factories import expert_with_blog
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import ADMIN_HOME, account_for, editor_account

pytestmark = pytest.mark.django_db

URL = "/api/v1/countries/"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _limited(settings: object) -> Iterator[None]:
    settings.VESTNIK_API_ANON_RATE = 3  # type: ignore[attr-defined]
    cache.clear()
    site_setup()
    yield
    cache.clear()


def _key(rate: int = 5) -> tuple[ApiKey, str]:
    return api_key_create(name="Harvester", rate_per_minute=rate, created_by=None)


def test_anonymous_over_the_limit_is_refused_with_retry_after(client: Client) -> None:
    for _ in range(3):
        assert client.get(URL, REMOTE_ADDR=ADDRESS).status_code == 200
    refused = client.get(URL, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"


@pytest.mark.parametrize("how", ["bearer", "x-api-key"])
def test_a_key_lifts_the_anonymous_limit_up_to_its_own(client: Client, how: str) -> None:
    key, raw = _key(rate=5)
    headers = (
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if how == "bearer" else {"HTTP_X_API_KEY": raw}
    )
    for _ in range(3):
        client.get(URL, REMOTE_ADDR=ADDRESS)
    assert client.get(URL, REMOTE_ADDR=ADDRESS).status_code == 429
    anonymous = client.get(URL, REMOTE_ADDR=ADDRESS + "0")

    # The same address, over the anonymous limit, with the key: the key's own count.
    answers = [client.get(URL, REMOTE_ADDR=ADDRESS, **headers) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    # The data is public: a key changes nothing in what is answered.
    assert answers[0].content == anonymous.content
    assert answers[0]["ETag"] == anonymous["ETag"]
    assert answers[0]["Cache-Control"] == anonymous["Cache-Control"]

    refused = client.get(URL, REMOTE_ADDR=ADDRESS, **headers)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "no-store" in refused["Cache-Control"]
    # Another address with the same key shares the key's count.
    assert client.get(URL, REMOTE_ADDR="198.51.100.1", **headers).status_code == 429

    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_with_no_limit(client: Client) -> None:
    _, raw = _key(rate=0)
    for _ in range(10):
        assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client: Client) -> None:
    key, raw = _key(rate=0)
    client.get(URL, HTTP_X_API_KEY=raw)
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.get(URL, HTTP_X_API_KEY=raw)
    key.refresh_from_db()
    assert key.last_used_at == first


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer vk_forged"},
        {"HTTP_X_API_KEY": "vk_forged"},
    ],
)
def test_a_forged_key_is_refused_not_taken_as_anonymous(
    client: Client, headers: dict[str, str]
) -> None:
    refused = client.get(URL, **headers)
    assert refused.status_code == 401
    assert refused.json() == {
        "error": {"code": "invalid_api_key", "message": refused.json()["error"]["message"]}
    }
    assert "no-store" in refused["Cache-Control"]
    assert refused["Access-Control-Allow-Origin"] == "*"
    # A preflight carries no key and is still answered.
    assert client.options(URL, **headers).status_code == 204


def test_forged_keys_count_toward_the_address_limit(client: Client) -> None:
    # Made-up keys are no way round the anonymous limit.
    for number in range(3):
        assert client.get(URL, HTTP_X_API_KEY=f"vk_guess{number}").status_code == 401
    refused = client.get(URL, HTTP_X_API_KEY="vk_guess9")
    assert refused.status_code == 429
    assert client.get(URL).status_code == 429


def test_a_revoked_key_is_refused_from_the_next_request(client: Client) -> None:
    key, raw = _key()
    assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 200
    api_key_revoke(key)
    refused = client.get(URL, HTTP_X_API_KEY=raw)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


# --- the admin ----------------------------------------------------------------------


def _stored_anywhere(text: str) -> bool:
    """Whether any text column of any table holds `text` (the key must be in none)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            for column in description:
                if column.type_code not in _text_types(cursor):
                    continue
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE CAST({name} AS TEXT) LIKE %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone():
                    return True
    return False


def _text_types(cursor: object) -> set[object]:
    if connection.vendor == "postgresql":
        return {25, 1043, 114, 3802}  # text, varchar, json, jsonb
    return {"text", "varchar", "TEXT", "VARCHAR"} | {f"varchar({n})" for n in range(1, 1000)}


def test_an_editor_creates_a_key_seen_once_and_stored_only_as_its_digest(client: Client) -> None:
    editor = editor_account()
    client.force_login(editor)
    index = client.get(reverse("api_keys:index"))
    assert index.status_code == 200

    created = client.post(
        reverse("api_keys:add"), {"name": "Библиотека МГУ", "rate_per_minute": "600"}
    )
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    match = re.search(r"<code data-api-key>(vk_[A-Za-z0-9_-]{43})</code>", created.content.decode())
    assert match, created.content.decode()[:2000]
    raw = match.group(1)

    key = ApiKey.objects.get()
    assert key.name == "Библиотека МГУ"
    assert key.rate_per_minute == 600
    assert key.created_by == editor
    assert key.key_hash == key_digest(raw)
    assert key.prefix == raw[:8]
    assert _stored_anywhere(key.key_hash)  # the search does see what is stored
    assert _stored_anywhere("Библиотека МГУ")
    assert not _stored_anywhere(raw)
    assert not _stored_anywhere(raw[8:])

    # Never shown again: not on the list, the edit form or anywhere the admin goes next.
    for url in (reverse("api_keys:index"), reverse("api_keys:edit", args=[key.pk])):
        page = client.get(url)
        assert page.status_code == 200
        assert raw not in page.content.decode()
        assert key.prefix in page.content.decode() or url.endswith("/edit/")

    # The key works at once.
    assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 200

    # Revoked by ticking «revoked» in its edit form; refused from the next request.
    edited = client.post(
        reverse("api_keys:edit", args=[key.pk]),
        {"name": key.name, "rate_per_minute": "600", "revoked": "on"},
    )
    assert edited.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key.key_hash == key_digest(raw)
    assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 401


def test_authors_and_anonymous_visitors_cannot_open_the_keys(client: Client) -> None:
    key, raw = _key()
    author = account_for(expert_with_blog("Асан Жакупов", "Асана Жакупова").expert, "asan")
    urls = [
        reverse("api_keys:index"),
        reverse("api_keys:add"),
        reverse("api_keys:edit", args=[key.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.force_login(author)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == ADMIN_HOME
    client.post(reverse("api_keys:add"), {"name": "Чужой", "rate_per_minute": "0"})
    client.post(
        reverse("api_keys:edit", args=[key.pk]),
        {"name": key.name, "rate_per_minute": "5", "revoked": "on"},
    )
    assert list(ApiKey.objects.values_list("name", "revoked_at")) == [("Harvester", None)]
    assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 200
