"""What of a page is analysed: its words as plain `TextUnit`s, in reading order.

Any page type registered with `core.indexing` is read through its describer's
`parts` (its notes, such as footnotes, are left out). For articles:

`articles.text` decides which blocks are the article's words (lead, headings,
paragraphs, quotes and their attributions, captions, tables); insights takes
them without footnotes, so a bibliography («The military balance 2024») never
becomes entities, dates or figures. The same rule serves a live page and a
parsed saved page, so `extract_insights --file` sees exactly what publishing
would.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from vestnik.articles.drafts import ArticleDraft
from vestnik.articles.text import draft_parts
from vestnik.core.indexing import IndexedText, indexed_type_of
from vestnik.insights.extractors.base import TextUnit, UnitKind


class _Part(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


_KINDS: dict[str, UnitKind] = {
    "lead": "lead",
    "heading": "heading",
    "paragraph": "paragraph",
    "quote": "quote",
    "caption": "caption",
    "table": "table",
}


def page_description(page: Any) -> IndexedText | None:
    """What `page` says (its registered describer), or None for a type nobody registered."""
    registered = indexed_type_of(page)
    return registered.describe(page) if registered is not None else None


def described_units(described: IndexedText) -> list[TextUnit]:
    return _units(described.parts)


def page_units(page: Any) -> list[TextUnit]:
    described = page_description(page)
    return described_units(described) if described is not None else []


def draft_units(draft: ArticleDraft) -> list[TextUnit]:
    return _units(draft_parts(draft))


def _units(parts: Iterable[_Part]) -> list[TextUnit]:
    return [TextUnit(_KINDS[part.kind], part.text) for part in parts]
