"""What a change to an expert purges from the page caches."""

from __future__ import annotations

from vestnik.authors.cache_keys import expert_purge_keys
from vestnik.authors.models import Expert
from vestnik.core import front_cache


def register() -> None:
    front_cache.model_purge_keys_register(Expert, expert_purge_keys)
