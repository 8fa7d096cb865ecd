"""What of an article is analysed: its lead and body as plain `TextUnit`s, in reading order.

Only the article's own text counts: the lead, headings, paragraphs, quotes,
image captions and table cells. Footnotes (bibliography: «The military balance
2024»), image credits, polls and the page's furniture never become entities,
dates or figures. The same rule serves a live page and a parsed saved page, so
`extract_insights --file` sees exactly what publishing would.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from vestnik.articles.drafts import (
    ArticleDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
)
from vestnik.articles.footnotes import MARKER
from vestnik.core.text import strip_tags
from vestnik.insights.extractors.base import TextUnit

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

_BLOCK_TAGS = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
# «долл. [[1]].» loses its mark and keeps two stops; an ellipsis keeps its three.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\s*\.(?!\.)")


def html_text(markup: str) -> str:
    """Rich text → plain text: tags, entities and footnote marks gone, spaces tidied."""
    text = MARKER.sub("", markup)
    text = _BLOCK_TAGS.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = (_DOUBLE_STOP.sub(".", _SPACES.sub(" ", line)).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def page_units(page: ArticlePage) -> list[TextUnit]:
    units = [TextUnit("lead", html_text(page.lead))] if page.lead else []
    for block in page.body:
        units.extend(_block_units(block.block_type, block.value))
    return [unit for unit in units if unit.text]


def _block_units(block_type: str, value: Any) -> list[TextUnit]:
    if block_type == "heading":
        return [TextUnit("heading", html_text(value["text"]))]
    if block_type == "paragraph":
        return [TextUnit("paragraph", html_text(value.source))]
    if block_type == "quote":
        return [TextUnit("quote", html_text(value["text"].source))]
    if block_type == "image" and value.get("caption"):
        return [TextUnit("caption", html_text(value["caption"]))]
    if block_type == "table":
        rows = (value or {}).get("data") or []
        return _table_units(rows)
    return []


def _table_units(rows: list[list[Any]]) -> list[TextUnit]:
    return [
        TextUnit("table", html_text(" · ".join(str(cell) for cell in row if cell)))
        for row in rows
        if any(cell for cell in row)
    ]


def draft_units(draft: ArticleDraft) -> list[TextUnit]:
    units = [TextUnit("lead", html_text(draft.lead))] if draft.lead else []
    for block in draft.blocks:
        if isinstance(block, HeadingDraft):
            units.append(TextUnit("heading", html_text(block.text)))
        elif isinstance(block, ParagraphDraft):
            units.append(TextUnit("paragraph", html_text(block.html)))
        elif isinstance(block, QuoteDraft):
            units.append(TextUnit("quote", html_text(block.html)))
        elif isinstance(block, ImageDraft) and block.caption:
            units.append(TextUnit("caption", html_text(block.caption)))
        elif isinstance(block, TableDraft):
            units.extend(_table_units([list(row) for row in block.rows]))
    return [unit for unit in units if unit.text]
