"""Sanitised HTML → the parts of an `ArticleDraft`: the one walker every HTML-shaped source shares.

mammoth turns a .docx into HTML, and a legacy portal's saved page is HTML, so
both parsers hand this module a document and get back the same things: title,
author, date, lead, body blocks and footnotes. Each parser only decides what
its source *means* and says so with a few marker classes (`h1.title`,
`p.author`, `p.date`, `p.lead`, `p.caption`); everything else is plain HTML.

The input is sanitised first (`sanitize.document_clean`), so nothing below
reads a script, a style, an event handler or a dangerous URL; every piece of
rich text it produces goes through `sanitize.rich_text_clean` on the way out.
Footnotes are found first (`parsers.footnotes`), so the walk sees each
reference as one element where the mark was; the text helpers both share
are in `parsers.html_text`.

Pure: no database, no settings, no network, no files.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from vestnik.articles.drafts import (
    BlockDraft,
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
)
from vestnik.articles.footnotes import MARKER
from vestnik.core.dates import parse_date  # re-exported for the HTML and .docx parsers
from vestnik.importers.parsers.footnotes import Footnotes
from vestnik.importers.parsers.html_text import (
    BLOCK_TAGS,
    HEADINGS,
    REF_TAG,
    collapse,
    drop_keeping_tail,
    element_text,
    escape_text,
    html_fragment_parse,
    inline_html,
    preview,
    text_of_html,
)
from vestnik.importers.sanitize import (
    PARAGRAPH_TAGS,
    QUOTE_TAGS,
    document_clean,
    rich_text_clean,
)

# An image is given its caption by a short paragraph right after it.
CAPTION_MAX_CHARS = 200
TITLE_MAX_CHARS = 255
# Headings of site furniture left over once the notes under them are gone.
NOTES_HEADINGS = frozenset(
    {"примечания", "сноски", "notes", "footnotes", "endnotes", "примечание", "сноска"}
)

# What a parser's image lookup returns: the image, or why it was left out.
ImageResolver = Callable[[str, str], "ImageDraft | str"]

_CREDIT_LINE = re.compile(
    r"(?:Источник|Фото|Фотография|Source|Photo|Credit)\s*[:—–-]\s*(?P<credit>\S.*)",
    re.IGNORECASE | re.DOTALL,
)
# «… Источник: РИА Новости» at the end of a caption.
_CREDIT_TAIL = re.compile(
    r"(?:^|\s)(?:Источник|Фото|Фотография|Source|Photo|Credit)\s*:\s*(?P<credit>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class WalkedDocument:
    """What a document says about itself; the parser fills the gaps from its own metadata."""

    title: str = ""
    author: str = ""
    publication_date: datetime.date | None = None
    lead: str = ""
    blocks: list[BlockDraft] = field(default_factory=list)
    footnotes: list[FootnoteDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def html_walk(html_text: str, *, images: ImageResolver) -> WalkedDocument:
    """Read a document (any HTML; it is sanitised here) into draft parts."""
    root = html_fragment_parse(document_clean(html_text))
    walked = WalkedDocument()
    footnotes = Footnotes(root, walked.warnings)
    walked.footnotes = footnotes.notes
    items = _trim_trailing_furniture(list(_items(root)))
    _Builder(walked, images).build(items)
    return walked


# --- the body: a flat list of items -----------------------------------------


@dataclass
class _Item:
    # heading, paragraph, title, author, date, lead, caption, list, quote, table, image, pre, rule
    kind: str
    element: Any = None
    level: int = 0
    caption: str | None = None  # for images: a <figcaption>


def _items(container: Any) -> Iterator[_Item]:
    """The content as a flat sequence of blocks; loose inline text becomes paragraphs."""
    pending: list[Any] = []  # text and inline elements between blocks
    if container.text and container.text.strip():
        pending.append(container.text)
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if child.tag in BLOCK_TAGS:
            yield from _paragraph_of(pending)
            pending = []
            yield from _block(child)
        else:
            pending.append(child)
        # Inside a run of inline content a space between two elements is content.
        if child.tail and (child.tail.strip() or pending):
            pending.append(child.tail)
    yield from _paragraph_of(pending)


def _paragraph_of(pending: list[Any]) -> Iterator[_Item]:
    if not pending:
        return
    paragraph = etree.Element("p")
    for piece in pending:
        if isinstance(piece, str):
            _append_text(paragraph, piece)
        else:
            # A copy: moving the element would change the container being walked.
            paragraph.append(_detached_copy(piece))
    yield from _block(paragraph)


def _detached_copy(element: Any) -> Any:
    duplicate = copy.deepcopy(element)
    duplicate.tail = None
    return duplicate


def _append_text(element: Any, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _block(element: Any) -> Iterator[_Item]:
    tag = element.tag
    classes = set((element.get("class") or "").split())
    if tag == "h1" and "title" in classes:
        yield _Item("title", element)
    elif tag in HEADINGS:
        yield _Item("heading", element, level=int(tag[1]))
    elif tag == "p" and classes & {"author", "date", "lead", "caption"}:
        yield _Item(sorted(classes & {"author", "date", "lead", "caption"})[0], element)
    elif tag in ("p", "dt", "dd", "figcaption", "caption"):
        yield from _paragraph_items(element)
    elif tag in ("ul", "ol"):
        yield _Item("list", element)
    elif tag == "blockquote":
        yield _Item("quote", element)
    elif tag == "table":
        yield _Item("table", element)
    elif tag == "img":
        yield _Item("image", element)
    elif tag == "figure":
        yield from _figure(element)
    elif tag == "pre":
        yield _Item("pre", element)
    elif tag == "hr":
        yield _Item("rule", element)
    else:  # div, section, article, main, dl and stray table parts: look inside
        yield from _items(element)


def _paragraph_items(paragraph: Any) -> Iterator[_Item]:
    """A paragraph, split around the images inside it (Word puts pictures in paragraphs)."""
    images = list(paragraph.iter("img"))
    if not images:
        yield _Item("paragraph", paragraph)
        return
    segment = etree.Element("p")
    _append_text(segment, paragraph.text or "")
    for child in paragraph:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "img" or any(True for _ in child.iter("img")):
            nested = list(child.iter("img"))
            if child.tag != "img":
                duplicate = _detached_copy(child)
                for image in list(duplicate.iter("img")):
                    drop_keeping_tail(image)
                segment.append(duplicate)
            if element_text(segment) or len(segment.findall(".//" + REF_TAG)):
                yield _Item("paragraph", segment)
            segment = etree.Element("p")
            for image in nested:
                yield _Item("image", image)
        else:
            segment.append(_detached_copy(child))
        _append_text(segment, child.tail or "")
    if element_text(segment) or len(segment.findall(".//" + REF_TAG)):
        yield _Item("paragraph", segment)


def _figure(figure: Any) -> Iterator[_Item]:
    captions = figure.findall(".//figcaption")
    caption = element_text(captions[0]) if captions else None
    for figcaption in captions:
        drop_keeping_tail(figcaption)
    images = list(figure.iter("img"))
    tables = list(figure.iter("table"))
    if images:
        for index, image in enumerate(images):
            yield _Item("image", image, caption=caption if index == 0 else None)
    elif tables:
        for table in tables:
            yield _Item("table", table, caption=caption)
    else:
        yield from _items(figure)
        if caption:
            paragraph = etree.Element("p")
            paragraph.text = caption
            yield _Item("paragraph", paragraph)


def _trim_trailing_furniture(items: list[_Item]) -> list[_Item]:
    """Rules and a «Примечания» heading left at the end once the notes are gone."""
    while items and (
        items[-1].kind == "rule"
        or (
            items[-1].kind == "heading"
            and element_text(items[-1].element).casefold() in NOTES_HEADINGS
        )
        or (items[-1].kind == "paragraph" and not _has_content(items[-1].element))
    ):
        items.pop()
    return items


# --- items → draft parts ----------------------------------------------------


class _Builder:
    def __init__(self, walked: WalkedDocument, images: ImageResolver) -> None:
        self.walked = walked
        self.warnings = walked.warnings
        self.images = images
        self.image_count = 0

    def build(self, items: list[_Item]) -> None:
        walked = self.walked
        items = [item for item in items if item.kind != "rule"]
        titles = [item for item in items if item.kind == "title"]
        if titles:
            walked.title = element_text(titles[0].element)
        else:
            headings = [item for item in items if item.kind == "heading"]
            if headings:
                walked.title = element_text(headings[0].element)
                items.remove(headings[0])
        levels = sorted({item.level for item in items if item.kind == "heading"})
        rank = {level: ("h2" if index == 0 else "h3") for index, level in enumerate(levels)}

        index = 0
        body_started = False
        while index < len(items):
            item = items[index]
            index += 1
            kind = item.kind
            if kind == "title":
                if titles and item is not titles[0] and element_text(item.element):
                    self._heading(item.element, "h2")
                continue
            if kind == "author":
                if not walked.author:
                    walked.author = element_text(item.element)
                continue
            if kind == "date":
                self._date(item.element)
                continue
            if kind == "lead" and not walked.lead and not body_started:
                walked.lead = element_text(item.element)
                continue
            if (
                kind == "paragraph"
                and not body_started
                and walked.publication_date is None
                and (date := parse_date(element_text(item.element))) is not None
            ):
                walked.publication_date = date
                continue
            if kind in ("paragraph", "lead", "caption") and not _has_content(item.element):
                continue
            body_started = True
            if kind == "heading":
                self._heading(item.element, rank.get(item.level, "h3"))
            elif kind in ("paragraph", "lead", "caption"):
                walked.blocks.append(ParagraphDraft(html=_paragraph_html(item.element)))
            elif kind == "list":
                walked.blocks.append(ParagraphDraft(html=_list_html(item.element)))
            elif kind == "quote":
                walked.blocks.append(_quote(item.element))
            elif kind == "table":
                walked.blocks.append(self._table(item.element, item.caption))
            elif kind == "pre":
                walked.blocks.append(ParagraphDraft(html=_pre_html(item.element)))
            elif kind == "image":
                index = self._image(item, items, index)
        self._lead()

    def _date(self, element: Any) -> None:
        text = element_text(element)
        date = parse_date(text)
        if date is None:
            self.warnings.append(f"«{preview(text)}» is not a date; the import date is used.")
        elif self.walked.publication_date is None:
            self.walked.publication_date = date

    def _heading(self, element: Any, level: str) -> None:
        references = element.findall(".//" + REF_TAG)
        text = element_text(element)
        if not text:
            return
        if references:
            self.warnings.append(
                f"The heading «{preview(text)}» cites a footnote; a heading cannot hold a "
                "footnote mark, so the mark was dropped."
            )
        self.walked.blocks.append(HeadingDraft(text=text, level="h2" if level == "h2" else "h3"))

    def _table(self, table: Any, caption: str | None) -> TableDraft:
        rows: list[list[str]] = []
        header = False
        captions = table.findall("caption")
        table_caption = caption or (element_text(captions[0]) if captions else "")
        for row_index, row in enumerate(table.iter("tr")):
            cells: list[str] = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                for reference in list(cell.iter(REF_TAG)):
                    key = reference.get("key")
                    self.warnings.append(
                        f"A table cell cites footnote {key}; table cells cannot link to notes, "
                        f"so the mark is kept as plain text «[{key}]»."
                    )
                    _replace_with_text(reference, f"[{key}]")
                cells.append(_cell_text(cell))
                span = _colspan(cell)
                cells.extend([""] * (span - 1))
            if row_index == 0:
                header = bool(len(row)) and (
                    all(cell.tag == "th" for cell in row if isinstance(cell.tag, str))
                    or any(a.tag == "thead" for a in row.iterancestors())
                )
            if cells:
                rows.append(cells)
        width = max((len(row) for row in rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in rows]
        return TableDraft(rows=rows, has_header_row=header, caption=table_caption)

    def _image(self, item: _Item, items: list[_Item], index: int) -> int:
        """The image, then its caption and credit from the paragraphs after it; the next index."""
        self.image_count += 1
        src = item.element.get("src", "")
        resolved = self.images(src, collapse(item.element.get("alt", "")).strip())
        caption = item.caption or ""
        credit = ""
        next_item = items[index] if index < len(items) else None
        after = items[index + 1] if index + 1 < len(items) else None
        if not caption and next_item is not None:
            if next_item.kind == "caption":
                caption = element_text(next_item.element)
                index += 1
            elif next_item.kind == "paragraph" and _is_credit(next_item.element):
                pass
            elif next_item.kind == "paragraph" and _is_caption(next_item.element, after):
                caption = element_text(next_item.element)
                index += 1
        caption, credit = split_credit(caption)
        if not credit and index < len(items) and items[index].kind in ("paragraph", "caption"):
            line = _CREDIT_LINE.fullmatch(element_text(items[index].element))
            if line is not None and len(element_text(items[index].element)) <= CAPTION_MAX_CHARS:
                credit = line.group("credit").strip()
                index += 1
        if isinstance(resolved, str):
            left_out = f"Image {self.image_count} was left out: {resolved}"
            if caption:
                left_out += f" Its caption was «{preview(caption)}»."
            self.warnings.append(left_out)
            return index
        resolved.caption, resolved.credit = caption, credit
        if not caption:
            self.warnings.append(
                f"Image {self.image_count} ({resolved.filename}) has no caption; "
                "add one in the editor."
            )
        self.walked.blocks.append(resolved)
        return index

    def _lead(self) -> None:
        """The first paragraph becomes the lead unless the document marked one."""
        walked = self.walked
        if walked.lead or not walked.blocks or not isinstance(walked.blocks[0], ParagraphDraft):
            return
        first = walked.blocks[0].html
        if not first.startswith("<p>"):
            return  # a list
        if MARKER.search(first):
            self.warnings.append(
                "The first paragraph cites a footnote, so it stays in the body; "
                "the article has no lead until an editor writes one."
            )
            return
        walked.lead = text_of_html(first)
        del walked.blocks[0]


def _is_credit(element: Any) -> bool:
    text = element_text(element)
    return len(text) <= CAPTION_MAX_CHARS and _CREDIT_LINE.fullmatch(text) is not None


def _is_caption(element: Any, after: _Item | None) -> bool:
    """A short paragraph after an image is its caption if set apart: italic, or a credit follows."""
    text = element_text(element)
    if not text or len(text) > CAPTION_MAX_CHARS or element.findall(".//" + REF_TAG):
        return False
    if _CREDIT_TAIL.search(text):
        return True
    if after is not None and after.kind == "paragraph" and _is_credit(after.element):
        return True
    return _all_italic(element)


def _all_italic(element: Any) -> bool:
    outside = (element.text or "").strip() or any((child.tail or "").strip() for child in element)
    if outside:
        return False
    children = [child for child in element if isinstance(child.tag, str)]
    return bool(children) and all(
        child.tag in ("i", "em") or (len(child) == 1 and child[0].tag in ("i", "em"))
        for child in children
    )


def split_credit(caption: str) -> tuple[str, str]:
    """«Порт Актау. Источник: пресс-служба порта» → («Порт Актау.», «пресс-служба порта»)."""
    whole = _CREDIT_LINE.fullmatch(caption)
    if whole is not None:
        return "", whole.group("credit").strip()
    tail = _CREDIT_TAIL.search(caption)
    if tail is None:
        return caption.strip(), ""
    return caption[: tail.start()].strip(), tail.group("credit").strip()


# --- rich text --------------------------------------------------------------


def _paragraph_html(element: Any) -> str:
    return rich_text_clean(f"<p>{inline_html(element)}</p>", tags=PARAGRAPH_TAGS)


def _list_html(element: Any) -> str:
    return rich_text_clean(_list(element), tags=PARAGRAPH_TAGS)


def _list(element: Any) -> str:
    tag = "ol" if element.tag == "ol" else "ul"
    items: list[str] = []
    for child in element:
        if child.tag in ("ul", "ol") and items:
            # A nested list written as a sibling of its items belongs to the item above.
            items[-1] = items[-1].removesuffix("</li>") + _list(child) + "</li>"
            continue
        if child.tag != "li":
            continue
        nested = [grandchild for grandchild in child if grandchild.tag in ("ul", "ol")]
        for grandchild in nested:
            drop_keeping_tail(grandchild)
        items.append(
            f"<li>{inline_html(child, block_breaks=True)}{''.join(_list(n) for n in nested)}</li>"
        )
    return f"<{tag}>{''.join(items)}</{tag}>" if items else ""


def _quote(element: Any) -> QuoteDraft:
    paragraphs = [child for child in element if child.tag == "p"] or [element]
    attribution = ""
    last = element_text(paragraphs[-1])
    if len(paragraphs) > 1 and re.match(r"[—–-]\s*\S", last) and len(last) <= CAPTION_MAX_CHARS:
        attribution = last.lstrip("—–- ").strip()
        paragraphs = paragraphs[:-1]
    body = "".join(
        f"<p>{inline_html(p, block_breaks=True)}</p>" for p in paragraphs if element_text(p)
    )
    return QuoteDraft(html=rich_text_clean(body, tags=QUOTE_TAGS), attribution=attribution)


def _pre_html(element: Any) -> str:
    lines = [escape_text(line) for line in (element.text_content() or "").strip("\n").splitlines()]
    return rich_text_clean(f"<p>{'<br>'.join(lines)}</p>", tags=PARAGRAPH_TAGS)


def _has_content(element: Any) -> bool:
    return bool(element_text(element).strip("\u00a0 ")) or bool(element.findall(".//" + REF_TAG))


def _cell_text(cell: Any) -> str:
    lines: list[str] = []
    blocks = [child for child in cell if child.tag in ("p", "div", "li")]
    if not blocks:
        return _br_text(cell)
    for block in blocks:
        line = _br_text(block)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _br_text(element: Any) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(collapse(line).strip() for line in element.text_content().split("\n")).strip()


def _colspan(cell: Any) -> int:
    try:
        return max(1, min(int(cell.get("colspan", "1")), 50))
    except ValueError:
        return 1


def _replace_with_text(element: Any, text: str) -> None:
    parent = element.getparent()
    if parent is None:  # pragma: no cover
        return
    element.tail = text + (element.tail or "")
    drop_keeping_tail(element)
