"""API keys: made by editors in the admin, sent by clients, counted per key (`api.throttle`).

A key is `vk_` and 43 URL-safe characters (`secrets.token_urlsafe(32)`). Only its
SHA-256 digest is stored, so a key found by its digest costs one indexed query;
what that query found is kept in the cache for a minute under the digest, and
dropped whenever the key's row is saved (revoked, its rate changed). `last_used_at`
is written at most once a minute per key.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from vestnik.api.models import ApiKey

logger = logging.getLogger(__name__)

KEY_PREFIX = "vk_"
VISIBLE_CHARS = 8
CACHE_SECONDS = 60
USED_EVERY = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class ValidKey:
    """What a request's valid key allows: its id and its rate (0: no limit)."""

    id: int
    rate_per_minute: int


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _cache_key(digest: str) -> str:
    return f"vestnik:api:key:{digest}"


def api_key_create(*, name: str, rate_per_minute: int, created_by: Any) -> tuple[ApiKey, str]:
    """A new key and the key itself, which is shown once and never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        rate_per_minute=rate_per_minute,
        created_by=created_by,
        prefix=raw[:VISIBLE_CHARS],
        key_hash=key_digest(raw),
    )
    return key, raw


def api_key_revoke(key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def api_key_forget_cached(key: ApiKey) -> None:
    """Drop the cached lookup of this key (called whenever its row is saved)."""
    try:
        cache.delete(_cache_key(key.key_hash))
    except Exception:
        logger.warning("cache unavailable for the API keys", exc_info=True)


def presented_key(request: HttpRequest) -> str | None:
    """The key a request sends (`Authorization: Bearer …` or `X-Api-Key`), if any."""
    header = request.headers.get("X-Api-Key", "").strip()
    if header:
        return header
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _looked_up(digest: str) -> ValidKey | None:
    row = (
        ApiKey.objects.filter(key_hash=digest, revoked_at__isnull=True)
        .values_list("id", "rate_per_minute")
        .first()
    )
    return ValidKey(id=row[0], rate_per_minute=row[1]) if row else None


def valid_key(raw: str) -> ValidKey | None:
    """The unrevoked key with this text, or None (forged, mistyped or revoked)."""
    digest = key_digest(raw)
    try:
        cached = cache.get(_cache_key(digest))
    except Exception:
        logger.warning("cache unavailable for the API keys", exc_info=True)
        return _looked_up(digest)
    if cached is not None:
        return ValidKey(*cached) if cached else None
    found = _looked_up(digest)
    try:
        value = (found.id, found.rate_per_minute) if found else ()
        cache.set(_cache_key(digest), value, timeout=CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable for the API keys", exc_info=True)
    return found


def api_key_used(key: ValidKey) -> None:
    """Note that the key was used; at most one write a minute per key."""
    now = timezone.now()
    try:
        if not cache.add(f"vestnik:api:key-used:{key.id}", 1, timeout=CACHE_SECONDS):
            return
    except Exception:
        logger.warning("cache unavailable for the API keys", exc_info=True)
    # The condition keeps it to one write a minute even where processes' caches differ.
    ApiKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USED_EVERY), pk=key.id
    ).update(last_used_at=now)
