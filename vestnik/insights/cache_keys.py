"""The front-cache keys of extracted entities (see `core.front_cache`)."""

from __future__ import annotations

ENTITY_INDEX = "entities"  # /entities/: every entity with its mention count


def entity_key(entity_id: int) -> str:
    return f"entity:{entity_id}"
