"""An article as search sees it: its plain text in reading order, and its terms.

Reads the body's raw StreamField data rather than its block values, so building
a document never loads images or polls and a rebuild of thousands of articles
costs no query per block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vestnik.articles.footnotes import MARKER
from vestnik.core.text import strip_tags
from vestnik.discovery.search.lemmas import Term, text_terms

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

# Articles longer than this are indexed and snippeted by their beginning only:
# about 30,000 words, far beyond any analysis piece, and a bound on one row.
MAX_TEXT_LENGTH = 200_000

_SPACES = re.compile(r"\s+")
# A footnote reference goes with the space before it: «беспилотники [^1].» → «беспилотники.»
_REFERENCE = re.compile(r"\s*" + MARKER.pattern)


@dataclass(frozen=True)
class ArticleDocument:
    text: str
    title_terms: list[Term]
    body_terms: list[Term]


def _plain(markup: str) -> str:
    return _SPACES.sub(" ", html.unescape(strip_tags(_REFERENCE.sub("", markup)))).strip()


def _block_texts(block_type: str, value: Any) -> Iterator[str]:
    if block_type == "paragraph" and isinstance(value, str):
        yield value
    elif block_type == "heading" and isinstance(value, dict):
        yield value.get("text") or ""
    elif block_type == "image" and isinstance(value, dict):
        yield value.get("caption") or ""
        yield value.get("credit") or ""
    elif block_type == "quote" and isinstance(value, dict):
        yield value.get("text") or ""
        yield value.get("attribution") or ""
    elif block_type == "table" and isinstance(value, dict):
        yield value.get("table_caption") or ""
        for row in value.get("data") or []:
            yield " ".join(str(cell) for cell in row or [] if cell)


def article_text(*, lead: str, body: Iterable[dict[str, Any]], footnotes: Iterable[str]) -> str:
    """Lead, body blocks in order, then footnotes: one paragraph per line."""
    parts = [lead]
    for item in body:
        parts.extend(_block_texts(item.get("type", ""), item.get("value")))
    parts.extend(footnotes)
    text = "\n".join(plain for part in parts if part and (plain := _plain(part)))
    return text[:MAX_TEXT_LENGTH]


def article_document(
    page: ArticlePage, *, footnotes: Iterable[str] | None = None
) -> ArticleDocument:
    """The document of `page`; pass `footnotes` when they were fetched in bulk."""
    if footnotes is None:
        footnotes = [note.text for note in page.footnotes.all()]
    text = article_text(lead=page.lead, body=page.body.raw_data, footnotes=footnotes)
    return ArticleDocument(
        text=text, title_terms=text_terms(page.title), body_terms=text_terms(text)
    )
