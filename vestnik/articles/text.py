"""An article as plain text: the one rule for which of its blocks are its words.

Search, insights, reading time and the insights quality bench all read an
article through `article_parts` / `article_text` (a live page) or
`draft_parts` (an importer's draft, before it is a page), so they agree on
what the article says.

What counts is what the author wrote and the reader reads in sequence:

- the lead;
- headings;
- paragraphs;
- quotes, with their attribution (who is quoted is part of what is said);
- image captions;
- table captions and cells, one part per row, cells joined by « · ».

What does not count:

- image credits («Источник: Reuters») and polls: they name where a picture or
  a question comes from, not what the article says; as entities or search
  matches they would only be noise on every page that carries them;
- embeds: the block holds a URL, not text;
- footnotes, unless the caller passes them (`footnotes=`): search wants a
  cited title to find the article, while insights would turn a bibliography
  («The military balance 2024») into entities and dates, and a reader's
  minutes are spent on the body, not on the notes.

Reads the body's raw StreamField data rather than its block values, so the
text never loads an image or a poll and a rebuild of thousands of articles
costs no query per block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from vestnik.articles.drafts import (
    ArticleDraft,
    BlockDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
)
from vestnik.articles.footnotes import MARKER
from vestnik.core.text import strip_tags

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

PartKind = Literal["lead", "heading", "paragraph", "quote", "caption", "table", "footnote"]

# A footnote reference goes with the space before it: «беспилотники [^1].» → «беспилотники.»
_REFERENCE = re.compile(r"\s*" + MARKER.pattern)
_BLOCK_TAGS = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
# «долл. [[1]].» loses its mark and keeps two stops; an ellipsis keeps its three.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\s*\.(?!\.)")
TABLE_CELL_SEPARATOR = " · "


@dataclass(frozen=True)
class TextPart:
    """One block's words, as plain text (a paragraph of a list may span lines)."""

    kind: PartKind
    text: str


def html_text(markup: str) -> str:
    """Rich text → plain text: tags, entities and footnote marks gone, spaces tidied.

    Block-level tags end a line, so a list keeps one item per line.
    """
    text = _REFERENCE.sub("", markup)
    text = _BLOCK_TAGS.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = (_DOUBLE_STOP.sub(".", _SPACES.sub(" ", line)).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def stream_parts(
    *, lead: str, body: Iterable[dict[str, Any]], footnotes: Iterable[str] = ()
) -> list[TextPart]:
    """The parts of a lead and a body in StreamField's raw form, in reading order."""
    parts = [TextPart("lead", lead)]
    for item in body:
        parts.extend(_block_parts(item.get("type", ""), item.get("value")))
    parts.extend(TextPart("footnote", note) for note in footnotes)
    return [
        TextPart(part.kind, plain)
        for part in parts
        if part.text and (plain := html_text(part.text))
    ]


def _escaped(text: str) -> str:
    """Escape a plain-text field (heading, caption, cell) so `html_text` keeps «<» and «&»."""
    return html.escape(text, quote=False)


def _block_parts(block_type: str, value: Any) -> Iterator[TextPart]:
    if block_type == "paragraph" and isinstance(value, str):
        yield TextPart("paragraph", value)
    elif block_type == "heading" and isinstance(value, dict):
        yield TextPart("heading", _escaped(value.get("text") or ""))
    elif block_type == "quote" and isinstance(value, dict):
        yield TextPart("quote", value.get("text") or "")
        yield TextPart("quote", _escaped(value.get("attribution") or ""))
    elif block_type == "image" and isinstance(value, dict):
        yield TextPart("caption", _escaped(value.get("caption") or ""))
    elif block_type == "table" and isinstance(value, dict):
        yield TextPart("caption", _escaped(value.get("table_caption") or ""))
        for row in value.get("data") or []:
            cells = (_escaped(str(cell)) for cell in row or [] if cell)
            yield TextPart("table", TABLE_CELL_SEPARATOR.join(cells))


def article_parts(page: ArticlePage, *, footnotes: Iterable[str] = ()) -> list[TextPart]:
    """`page`'s words in reading order; `footnotes` are appended when a reader wants them."""
    return stream_parts(lead=page.lead, body=page.body.raw_data, footnotes=footnotes)


def article_text(page: ArticlePage, *, footnotes: Iterable[str] = ()) -> str:
    """`article_parts` as one string, one part per line."""
    return parts_text(article_parts(page, footnotes=footnotes))


def parts_text(parts: Iterable[TextPart]) -> str:
    return "\n".join(part.text for part in parts)


def draft_parts(draft: ArticleDraft) -> list[TextPart]:
    """A draft's parts: exactly what its page will give once created."""
    body = [_draft_stream_item(block) for block in draft.blocks]
    return stream_parts(lead=draft.lead, body=body)


def _draft_stream_item(block: BlockDraft) -> dict[str, Any]:
    """The fields of a draft block that `_block_parts` reads, in the stream's own shape."""
    if isinstance(block, HeadingDraft):
        return {"type": "heading", "value": {"text": block.text}}
    if isinstance(block, ParagraphDraft):
        return {"type": "paragraph", "value": block.html}
    if isinstance(block, QuoteDraft):
        return {"type": "quote", "value": {"text": block.html, "attribution": block.attribution}}
    if isinstance(block, ImageDraft):
        return {"type": "image", "value": {"caption": block.caption, "credit": block.credit}}
    if isinstance(block, TableDraft):
        return {"type": "table", "value": {"data": block.rows, "table_caption": block.caption}}
    raise TypeError(f"Unknown block draft: {block!r}")  # pragma: no cover (exhaustive union)
