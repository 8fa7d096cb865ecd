"""Opaque cursors for the lists: a signed position, so a client can only follow `next`."""

from __future__ import annotations

from typing import Any

from django.core import signing

from vestnik.api.errors import ApiError

_SALT = "vestnik.api.cursor"


def cursor_encode(position: dict[str, Any]) -> str:
    return signing.dumps(position, salt=_SALT, compress=True)


def cursor_decode(cursor: str | None, *, kind: str) -> dict[str, Any] | None:
    """The position a cursor names, or None for the first page; a forged or foreign one is a 400."""
    if not cursor:
        return None
    try:
        position = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise ApiError("bad_cursor", "The cursor is not one this API gave out.") from None
    if not isinstance(position, dict) or position.get("k") != kind:
        raise ApiError("bad_cursor", "The cursor belongs to another list or query.")
    return position
