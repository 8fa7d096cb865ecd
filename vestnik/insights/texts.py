"""What of an article is analysed: its words as plain `TextUnit`s, in reading order.

`articles.text` decides which blocks are the article's words (lead, headings,
paragraphs, quotes and their attributions, captions, tables); insights takes
them without footnotes, so a bibliography («The military balance 2024») never
becomes entities, dates or figures. The same rule serves a live page and a
parsed saved page, so `extract_insights --file` sees exactly what publishing
would.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from vestnik.articles.drafts import ArticleDraft
from vestnik.articles.text import TextPart, article_parts, draft_parts
from vestnik.insights.extractors.base import TextUnit, UnitKind

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

_KINDS: dict[str, UnitKind] = {
    "lead": "lead",
    "heading": "heading",
    "paragraph": "paragraph",
    "quote": "quote",
    "caption": "caption",
    "table": "table",
}


def page_units(page: ArticlePage) -> list[TextUnit]:
    return _units(article_parts(page))


def draft_units(draft: ArticleDraft) -> list[TextUnit]:
    return _units(draft_parts(draft))


def _units(parts: Iterable[TextPart]) -> list[TextUnit]:
    return [TextUnit(_KINDS[part.kind], part.text) for part in parts]
