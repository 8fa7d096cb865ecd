"""Footnotes in an HTML document: references and notes found by their shape, not by ids.

A short mark («1», «[1]», «*») linking forward to an element of the same
document is a reference, the element it points to is the note, and links
inside a note that point back are backlinks. That is how mammoth writes
Word's footnotes and endnotes, how Word's "Save as HTML" writes them
(`#_ftn1`) and how most portals and wikis do (`<sup><a href="#fn1">`).
`Footnotes` numbers the notes by first reference, takes them out of the
tree and leaves a `REF_TAG` element where each mark was, which the walker
(`parsers.html_blocks`) writes as `[^key]`.

Pure: no database, no settings, no network, no files.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from lxml import etree

from vestnik.articles.drafts import FootnoteDraft
from vestnik.importers.parsers.html_text import (
    HEADINGS,
    REF_TAG,
    drop_keeping_tail,
    element_text,
    inline_html,
    preview,
    text_of_html,
)
from vestnik.importers.sanitize import NOTE_TAGS, rich_text_clean

# The text of a footnote mark: «1», «[1]», «(12)», «*», «†», «iv».
_NOTE_MARK = re.compile(r"[\[(]?\s*(?:\d{1,4}|[*†‡§]{1,3}|[ivxlc]{1,6})\s*[\])]?", re.IGNORECASE)
# Arrows and spaces a note keeps at its edges once its backlinks are gone.
_NOTE_EDGES = re.compile(r"^(?:\s|&nbsp;|<br>|[↑^↩])+|(?:\s|&nbsp;|<br>|[↑^↩])+$")


class Footnotes:
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
                        f"The footnote mark «{element_text(link)}» points to #{target_id}, "
                        "which is not in the document; it is kept as plain text."
                    )
                continue
            if self._points_back(link, target) or target.tag in HEADINGS:
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
                drop_keeping_tail(link)
        paragraphs = [child for child in note if child.tag == "p"]
        if len(paragraphs) > 1:
            inner = "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs if element_text(p))
        else:
            inner = inline_html(paragraphs[0] if paragraphs else note, block_breaks=True)
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
                if not is_note or not element_text(sibling):
                    continue
                note_html = self._note_html(sibling)
                self.notes.append(FootnoteDraft(key=str(len(self.notes) + 1), html=note_html))
                self._warnings.append(
                    f"Footnote «{preview(text_of_html(note_html))}» is referenced nowhere "
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
    return bool(_NOTE_MARK.fullmatch(element_text(link))) or (
        _in_sup(link) and len(element_text(link)) <= 6
    )


def _in_sup(element: Any) -> bool:
    return any(a.tag == "sup" for a in element.iterancestors()) or any(
        d.tag == "sup" for d in element.iter()
    )


def _note_element(target: Any) -> Any | None:
    """The element holding a note: the target itself, or the block around an empty anchor."""
    if target.tag != "a" or len(element_text(target)) > 6:
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
    reference = etree.Element(REF_TAG, key=key)
    reference.tail = element.tail
    parent.replace(element, reference)


def _remove_if_empty(element: Any) -> None:
    while element is not None and element.getparent() is not None:
        if len(element) or element_text(element):
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
