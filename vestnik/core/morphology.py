"""The one pymorphy3 analyser of the process: Russian words → their dictionary readings.

Personal names (`authors.morphology`), search terms (`discovery.search.lemmas`)
and the insights rules (through `insights.extractors.natasha`) all read words
here, so they agree on what a word may be and the dictionary (~15 MB in
memory) is loaded once per process. Importing pymorphy3 is cheap (it only
defines classes); the analyser loads its dictionary on the first `analyzer()`
call, never at import, behind a lock so that threads of one worker share it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pymorphy3
from pymorphy3.analyzer import Parse

__all__ = ["Parse", "analyzer", "parses"]

_instance: pymorphy3.MorphAnalyzer | None = None
_lock = threading.Lock()


def analyzer() -> pymorphy3.MorphAnalyzer:
    """The process's analyser, loaded on the first call."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = pymorphy3.MorphAnalyzer(lang="ru")
    return _instance


def parses(word: str) -> Sequence[Parse]:
    """Every reading of `word` (OpenCorpora tags), the most probable first."""
    return analyzer().parse(word)
