"""The front-cache keys of vocabulary terms (see `core.front_cache`)."""

from __future__ import annotations

TERM_INDEXES = "terms"  # the country, region and topic indexes


def term_key(kind: str, term_id: int) -> str:
    """`kind` is the term's vocabulary: "countries", "regions" or "topics"."""
    return f"term:{kind}:{term_id}"
