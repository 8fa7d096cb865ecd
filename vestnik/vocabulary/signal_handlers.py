"""What a change to a vocabulary term purges from the page caches."""

from __future__ import annotations

from typing import Any

from vestnik.core import front_cache
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.terms import VOCABULARIES, vocabulary_kind


def term_purge_keys(term: Any) -> set[str]:
    """A term's name shows on its page, its index, and on every article tagged with it."""
    return {term_key(vocabulary_kind(term), term.pk), TERM_INDEXES}


def register() -> None:
    for model in VOCABULARIES.values():
        front_cache.model_purge_keys_register(model, term_purge_keys)
