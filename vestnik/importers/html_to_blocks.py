"""Sanitised HTML → the parts of an `ArticleDraft`: the one walker every HTML-shaped source shares.

mammoth turns a .docx into HTML, and a legacy portal's saved page is HTML, so
both parsers hand this module a document and get back the same things: title,
author, date, lead, body blocks and footnotes. Each parser only decides what
its source *means* and says so with a few marker classes (`h1.title`,
`p.author`, `p.date`, `p.lead`, `p.caption`); everything else is plain HTML.

The input is sanitised first (`sanitize.document_clean`), so nothing below
reads a script, a style, an event handler or a dangerous URL; every piece of
rich text it produces goes through `sanitize.rich_text_clean` on the way out.

Footnotes are recognised by their shape, not by one program's ids: a short
mark («1», «[1]», «*») linking forward to an element of the same document is
a reference, the element it points to is the note, and links inside a note
that point back are backlinks. That is how mammoth writes Word's footnotes and
endnotes, how Word's "Save as HTML" writes them (`#_ftn1`) and how most
portals and wikis do (`<sup><a href="#fn1">`). References become `[^key]`,
keys are numbered by first reference.

Pure: no database, no settings, no network, no files.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import lxml.html
from lxml import etree

from vestnik.articles.drafts import (
    ArticleDraft,
    BlockDraft,
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
)
from vestnik.articles.footnotes import MARKER, marker, markers_defuse
from vestnik.core.dates import parse_date  # re-exported for the HTML and .docx parsers
from vestnik.importers.sanitize import (
    NOTE_TAGS,
    PARAGRAPH_TAGS,
    QUOTE_TAGS,
    document_clean,
    is_external_url,
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

_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
)
_CREDIT_LINE = re.compile(
    r"(?:Источник|Фото|Фотография|Source|Photo|Credit)\s*[:—–-]\s*(?P<credit>\S.*)",
    re.IGNORECASE | re.DOTALL,
)
# «… Источник: РИА Новости» at the end of a caption.
_CREDIT_TAIL = re.compile(
    r"(?:^|\s)(?:Источник|Фото|Фотография|Source|Photo|Credit)\s*:\s*(?P<credit>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# The text of a footnote mark: «1», «[1]», «(12)», «*», «†», «iv».
_NOTE_MARK = re.compile(r"[\[(]?\s*(?:\d{1,4}|[*†‡§]{1,3}|[ivxlc]{1,6})\s*[\])]?", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f]+")
# Arrows and spaces a note keeps at its edges once its backlinks are gone.
_NOTE_EDGES = re.compile(r"^(?:\s|&nbsp;|<br>|[↑^↩])+|(?:\s|&nbsp;|<br>|[↑^↩])+$")
# Elements that end a run of inline content; the rest are inline (or unwrapped).
_BLOCK_TAGS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("blockquote", "figure", "figcaption", "img", "pre", "hr"),
        *("div", "section", "article", "main"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
    }
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INLINE_MARKS = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
# The internal element a footnote reference becomes until it is written as `[^key]`.
_REF_TAG = "vestnik-fnref"


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
    footnotes = _Footnotes(root, walked.warnings)
    walked.footnotes = footnotes.notes
    items = _trim_trailing_furniture(list(_items(root)))
    _Builder(walked, images).build(items)
    return walked


def html_fragment_parse(text: str) -> Any:
    """An lxml tree of an HTML fragment, under one `<div>`; no network, no entities to resolve."""
    if not text.strip():
        return lxml.html.fragment_fromstring("<div></div>", parser=_PARSER)
    return lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)


# --- footnotes --------------------------------------------------------------


class _Footnotes:
    """Finds references and notes, numbers them, and takes the notes out of the body."""

    def __init__(self, root: Any, warnings: list[str]) -> None:
        self.notes: list[FootnoteDraft] = []
        self._warnings = warnings
        self._order = {element: index for index, element in enumerate(root.iter())}
        self._targets = _targets(root)
        keys: dict[Any, str] = {}  # note element → key
        references: list[tuple[Any, Any]] = []  # (mark element, note element)
        for link in list(root.iter("a")):
            target_id = _fragment(link.get("href", ""))
            if target_id is None or not _looks_like_mark(link):
                continue
            target = self._targets.get(target_id)
            if target is None:
                if _in_sup(link):
                    warnings.append(
                        f"The footnote mark «{_text(link)}» points to #{target_id}, which is "
                        "not in the document; it is kept as plain text."
                    )
                continue
            if self._points_back(link, target) or target.tag in _HEADINGS:
                continue  # a backlink, or a table of contents
            note = _note_element(target)
            if note is None or note is root or any(a is note for a in link.iterancestors()):
                continue
            references.append((link, note))
        for _link, note in references:
            keys.setdefault(note, str(len(keys) + 1))
        if not keys:
            return
        for link, note in references:
            _replace_with_reference(_mark_element(link), keys[note])
        containers: list[Any] = []
        for note, key in keys.items():
            self.notes.append(FootnoteDraft(key=key, html=self._note_html(note)))
            parent = note.getparent()
            if parent is not None:
                containers.append(parent)
                parent.remove(note)
        self._unreferenced(containers, list(keys))

    def _points_back(self, link: Any, target: Any) -> bool:
        return self._order.get(target, -1) < self._order.get(link, 0) or any(
            ancestor is target for ancestor in link.iterancestors()
        )

    def _note_html(self, note: Any) -> str:
        """A note's rich text without its backlinks (links from the note back into the text)."""
        for link in list(note.iter("a")):
            target_id = _fragment(link.get("href", ""))
            target = self._targets.get(target_id) if target_id is not None else None
            if target is not None and self._order.get(target, 0) < self._order.get(note, 0):
                _drop_keeping_tail(link)
        paragraphs = [child for child in note if child.tag == "p"]
        if len(paragraphs) > 1:
            inner = "".join(f"<p>{_inline(p)}</p>" for p in paragraphs if _text(p))
        else:
            inner = _inline(paragraphs[0] if paragraphs else note, block_breaks=True)
        inner = _NOTE_EDGES.sub("", inner)
        return rich_text_clean(inner, tags=NOTE_TAGS).strip()

    def _unreferenced(self, containers: list[Any], notes: list[Any]) -> None:
        """Notes beside the referenced ones that nothing cites: kept, with a warning."""
        id_shapes = {_id_shape(note) for note in notes} - {""}
        for container in dict.fromkeys(containers):
            for sibling in list(container):
                is_note = (container.tag in ("ol", "ul") and sibling.tag == "li") or (
                    _id_shape(sibling) in id_shapes
                )
                if not is_note or not _text(sibling):
                    continue
                note_html = self._note_html(sibling)
                self.notes.append(FootnoteDraft(key=str(len(self.notes) + 1), html=note_html))
                self._warnings.append(
                    f"Footnote «{_preview(_text_of_html(note_html))}» is referenced nowhere "
                    "in the text; it is kept at the end of the notes."
                )
                container.remove(sibling)
        for container in dict.fromkeys(containers):
            _remove_if_empty(container)


def _targets(root: Any) -> dict[str, Any]:
    targets: dict[str, Any] = {}
    for element in root.iter():
        for name in ("id", "name"):
            value = element.get(name)
            if value and value not in targets:
                targets[value] = element
    return targets


def _fragment(href: str) -> str | None:
    href = href.strip()
    if not href.startswith("#") or len(href) < 2:
        return None
    return unquote(href[1:])


def _looks_like_mark(link: Any) -> bool:
    return bool(_NOTE_MARK.fullmatch(_text(link))) or (_in_sup(link) and len(_text(link)) <= 6)


def _in_sup(element: Any) -> bool:
    return any(a.tag == "sup" for a in element.iterancestors()) or any(
        d.tag == "sup" for d in element.iter()
    )


def _note_element(target: Any) -> Any | None:
    """The element holding a note: the target itself, or the block around an empty anchor."""
    if target.tag != "a" or len(_text(target)) > 6:
        return target
    for ancestor in target.iterancestors():
        if ancestor.tag in ("p", "li", "div", "dd", "section"):
            return ancestor
    return None


def _mark_element(link: Any) -> Any:
    """The element a reference replaces: the link, with the `<sup>`s that hold only it."""
    element = link
    parent = element.getparent()
    while (
        parent is not None
        and parent.tag == "sup"
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (element.tail or "").strip()
    ):
        element, parent = parent, parent.getparent()
    return element


def _replace_with_reference(element: Any, key: str) -> None:
    parent = element.getparent()
    if parent is None:  # pragma: no cover (a reference is never the root)
        return
    reference = etree.Element(_REF_TAG, key=key)
    reference.tail = element.tail
    parent.replace(element, reference)


def _drop_keeping_tail(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _remove_if_empty(element: Any) -> None:
    while element is not None and element.getparent() is not None:
        if len(element) or _text(element):
            return
        parent = element.getparent()
        parent.remove(element)
        element = parent


def _id_shape(element: Any) -> str:
    """An id with its digits taken out: «ftn3» and «ftn12» have one shape."""
    names = [element.get("id") or ""] + [a.get("name") or "" for a in element.iter("a")]
    for name in names:
        if re.search(r"\d", name):
            return re.sub(r"\d+", "#", name)
    return ""


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
        if child.tag in _BLOCK_TAGS:
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
    elif tag in _HEADINGS:
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
                    _drop_keeping_tail(image)
                segment.append(duplicate)
            if _text(segment) or len(segment.findall(".//" + _REF_TAG)):
                yield _Item("paragraph", segment)
            segment = etree.Element("p")
            for image in nested:
                yield _Item("image", image)
        else:
            segment.append(_detached_copy(child))
        _append_text(segment, child.tail or "")
    if _text(segment) or len(segment.findall(".//" + _REF_TAG)):
        yield _Item("paragraph", segment)


def _figure(figure: Any) -> Iterator[_Item]:
    captions = figure.findall(".//figcaption")
    caption = _text(captions[0]) if captions else None
    for figcaption in captions:
        _drop_keeping_tail(figcaption)
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
        or (items[-1].kind == "heading" and _text(items[-1].element).casefold() in NOTES_HEADINGS)
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
            walked.title = _text(titles[0].element)
        else:
            headings = [item for item in items if item.kind == "heading"]
            if headings:
                walked.title = _text(headings[0].element)
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
                if titles and item is not titles[0] and _text(item.element):
                    self._heading(item.element, "h2")
                continue
            if kind == "author":
                if not walked.author:
                    walked.author = _text(item.element)
                continue
            if kind == "date":
                self._date(item.element)
                continue
            if kind == "lead" and not walked.lead and not body_started:
                walked.lead = _text(item.element)
                continue
            if (
                kind == "paragraph"
                and not body_started
                and walked.publication_date is None
                and (date := parse_date(_text(item.element))) is not None
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
        text = _text(element)
        date = parse_date(text)
        if date is None:
            self.warnings.append(f"«{_preview(text)}» is not a date; the import date is used.")
        elif self.walked.publication_date is None:
            self.walked.publication_date = date

    def _heading(self, element: Any, level: str) -> None:
        references = element.findall(".//" + _REF_TAG)
        text = _text(element)
        if not text:
            return
        if references:
            self.warnings.append(
                f"The heading «{_preview(text)}» cites a footnote; a heading cannot hold a "
                "footnote mark, so the mark was dropped."
            )
        self.walked.blocks.append(HeadingDraft(text=text, level="h2" if level == "h2" else "h3"))

    def _table(self, table: Any, caption: str | None) -> TableDraft:
        rows: list[list[str]] = []
        header = False
        captions = table.findall("caption")
        table_caption = caption or (_text(captions[0]) if captions else "")
        for row_index, row in enumerate(table.iter("tr")):
            cells: list[str] = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                for reference in list(cell.iter(_REF_TAG)):
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
        resolved = self.images(src, _collapse(item.element.get("alt", "")).strip())
        caption = item.caption or ""
        credit = ""
        next_item = items[index] if index < len(items) else None
        after = items[index + 1] if index + 1 < len(items) else None
        if not caption and next_item is not None:
            if next_item.kind == "caption":
                caption = _text(next_item.element)
                index += 1
            elif next_item.kind == "paragraph" and _is_credit(next_item.element):
                pass
            elif next_item.kind == "paragraph" and _is_caption(next_item.element, after):
                caption = _text(next_item.element)
                index += 1
        caption, credit = split_credit(caption)
        if not credit and index < len(items) and items[index].kind in ("paragraph", "caption"):
            line = _CREDIT_LINE.fullmatch(_text(items[index].element))
            if line is not None and len(_text(items[index].element)) <= CAPTION_MAX_CHARS:
                credit = line.group("credit").strip()
                index += 1
        if isinstance(resolved, str):
            left_out = f"Image {self.image_count} was left out: {resolved}"
            if caption:
                left_out += f" Its caption was «{_preview(caption)}»."
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
        walked.lead = _text_of_html(first)
        del walked.blocks[0]


def _is_credit(element: Any) -> bool:
    text = _text(element)
    return len(text) <= CAPTION_MAX_CHARS and _CREDIT_LINE.fullmatch(text) is not None


def _is_caption(element: Any, after: _Item | None) -> bool:
    """A short paragraph after an image is its caption if set apart: italic, or a credit follows."""
    text = _text(element)
    if not text or len(text) > CAPTION_MAX_CHARS or element.findall(".//" + _REF_TAG):
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
    return rich_text_clean(f"<p>{_inline(element)}</p>", tags=PARAGRAPH_TAGS)


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
            _drop_keeping_tail(grandchild)
        items.append(
            f"<li>{_inline(child, block_breaks=True)}{''.join(_list(n) for n in nested)}</li>"
        )
    return f"<{tag}>{''.join(items)}</{tag}>" if items else ""


def _quote(element: Any) -> QuoteDraft:
    paragraphs = [child for child in element if child.tag == "p"] or [element]
    attribution = ""
    last = _text(paragraphs[-1])
    if len(paragraphs) > 1 and re.match(r"[—–-]\s*\S", last) and len(last) <= CAPTION_MAX_CHARS:
        attribution = last.lstrip("—–- ").strip()
        paragraphs = paragraphs[:-1]
    body = "".join(f"<p>{_inline(p, block_breaks=True)}</p>" for p in paragraphs if _text(p))
    return QuoteDraft(html=rich_text_clean(body, tags=QUOTE_TAGS), attribution=attribution)


def _pre_html(element: Any) -> str:
    lines = [escape_text(line) for line in (element.text_content() or "").strip("\n").splitlines()]
    return rich_text_clean(f"<p>{'<br>'.join(lines)}</p>", tags=PARAGRAPH_TAGS)


def _inline(element: Any, *, block_breaks: bool = False) -> str:
    """The element's content as inline rich text; nested blocks become line breaks."""
    parts: list[str] = [escape_text(_collapse(element.text or ""))]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_inline_child(child, block_breaks=block_breaks))
        parts.append(escape_text(_collapse(child.tail or "")))
    return _tidy("".join(parts))


def _inline_child(child: Any, *, block_breaks: bool) -> str:
    tag = child.tag
    if tag == _REF_TAG:
        return marker(child.get("key"))
    if tag == "br":
        return "<br>"
    inner = _inline(child, block_breaks=block_breaks)
    if tag in _INLINE_MARKS:
        mark = _INLINE_MARKS[tag]
        return f"<{mark}>{inner}</{mark}>" if inner.strip() else inner
    if tag == "a":
        href = (child.get("href") or "").strip()
        if is_external_url(href) and inner.strip():
            return f'<a href="{html.escape(href, quote=True)}">{inner}</a>'
        return inner
    if tag in _BLOCK_TAGS and block_breaks and inner:
        return f"<br>{inner}<br>"
    if tag in _BLOCK_TAGS and inner:
        return f" {inner} "
    return inner


def _tidy(text: str) -> str:
    text = re.sub(r"(?:<br>\s*){2,}", "<br>", text)
    text = re.sub(r"^(?:\s|<br>)+|(?:\s|<br>)+$", "", text)
    return re.sub(r" {2,}", " ", text)


def escape_text(text: str) -> str:
    """Plain text as rich text: escaped, and never mistaken for a `[^key]` reference."""
    return markers_defuse(html.escape(text, quote=False))


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text)


def _text(element: Any) -> str:
    """An element's visible text, whitespace collapsed (footnote marks excluded)."""
    parts: list[str] = []
    for node in element.iter():
        if node is not element and node.tag == _REF_TAG:
            pass
        elif node.text and node.tag != _REF_TAG:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return _collapse("".join(parts)).strip()


def _has_content(element: Any) -> bool:
    return bool(_text(element).strip("\u00a0 ")) or bool(element.findall(".//" + _REF_TAG))


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
    return "\n".join(_collapse(line).strip() for line in element.text_content().split("\n")).strip()


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
    _drop_keeping_tail(element)


def _text_of_html(fragment: str) -> str:
    if not fragment.strip():
        return ""
    return _text(html_fragment_parse(fragment))


def _preview(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the fingerprint --------------------------------------------------------


def draft_fingerprint(draft: ArticleDraft) -> str:
    """SHA-256 of what the draft says; not of the file, whose bytes Word changes on every save."""

    def default(value: Any) -> Any:
        if isinstance(value, bytes):
            return hashlib.sha1(value, usedforsecurity=False).hexdigest()
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    content = dataclasses.asdict(draft)
    content.pop("warnings", None)
    content.pop("source_fingerprint", None)
    content["blocks"] = [
        {"type": type(block).__name__, **dataclasses.asdict(block)} for block in draft.blocks
    ]
    encoded = json.dumps(content, default=default, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
