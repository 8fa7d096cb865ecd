"""Cursor pages of the shorter lists (experts, publications, events, entities, polls)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.http import urlencode

from vestnik.api.cursors import cursor_decode, cursor_encode
from vestnik.api.errors import ApiError

T = TypeVar("T")
MAX_LIMIT = 100


def cursor_page(
    request: HttpRequest, items: Sequence[T] | Any, *, kind: str, limit: int, cursor: str
) -> tuple[list[T], str | None]:
    """One page of `items` (a queryset or a list in a stable order) and the `next` URL."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("invalid", f"limit must be between 1 and {MAX_LIMIT}.")
    position = cursor_decode(cursor, kind=kind)
    offset = int(position["o"]) if position else 0
    rows = list(items[offset : offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    query: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "cursor"}
    query["cursor"] = cursor_encode({"k": kind, "o": offset + limit})
    return rows[:limit], request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
