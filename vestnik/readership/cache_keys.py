"""The front-cache keys of what the readership app shows readers (see `core.front_cache`)."""

from __future__ import annotations


def most_read_key(language: str) -> str:
    """Every page showing «Самое читаемое» in `language` (home and article pages)."""
    return f"readership:most-read:{language}"
