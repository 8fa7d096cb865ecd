"""An lxml tree's text and inline rich text: what the walker and the footnote finder share.

`REF_TAG` is the element a footnote reference stands as between the two: the
finder (`parsers.footnotes`) puts it where a mark was, and `inline_html`
writes it as `[^key]` with the marker grammar of `articles.footnotes`.

Pure: no database, no settings, no network, no files.
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html

from vestnik.articles.footnotes import marker, markers_defuse
from vestnik.importers.sanitize import is_external_url

_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
)
_SPACES = re.compile(r"[ \t\r\n\f]+")
# Elements that end a run of inline content; the rest are inline (or unwrapped).
BLOCK_TAGS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("blockquote", "figure", "figcaption", "img", "pre", "hr"),
        *("div", "section", "article", "main"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
    }
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INLINE_MARKS = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
# The internal element a footnote reference becomes until it is written as `[^key]`.
REF_TAG = "vestnik-fnref"


def html_fragment_parse(text: str) -> Any:
    """An lxml tree of an HTML fragment, under one `<div>`; no network, no entities to resolve."""
    if not text.strip():
        return lxml.html.fragment_fromstring("<div></div>", parser=_PARSER)
    return lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)


def drop_keeping_tail(element: Any) -> None:
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


def inline_html(element: Any, *, block_breaks: bool = False) -> str:
    """The element's content as inline rich text; nested blocks become line breaks."""
    parts: list[str] = [escape_text(collapse(element.text or ""))]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_inline_child(child, block_breaks=block_breaks))
        parts.append(escape_text(collapse(child.tail or "")))
    return _tidy("".join(parts))


def _inline_child(child: Any, *, block_breaks: bool) -> str:
    tag = child.tag
    if tag == REF_TAG:
        return marker(child.get("key"))
    if tag == "br":
        return "<br>"
    inner = inline_html(child, block_breaks=block_breaks)
    if tag in _INLINE_MARKS:
        mark = _INLINE_MARKS[tag]
        return f"<{mark}>{inner}</{mark}>" if inner.strip() else inner
    if tag == "a":
        href = (child.get("href") or "").strip()
        if is_external_url(href) and inner.strip():
            return f'<a href="{html.escape(href, quote=True)}">{inner}</a>'
        return inner
    if tag in BLOCK_TAGS and block_breaks and inner:
        return f"<br>{inner}<br>"
    if tag in BLOCK_TAGS and inner:
        return f" {inner} "
    return inner


def _tidy(text: str) -> str:
    text = re.sub(r"(?:<br>\s*){2,}", "<br>", text)
    text = re.sub(r"^(?:\s|<br>)+|(?:\s|<br>)+$", "", text)
    return re.sub(r" {2,}", " ", text)


def escape_text(text: str) -> str:
    """Plain text as rich text: escaped, and never mistaken for a `[^key]` reference."""
    return markers_defuse(html.escape(text, quote=False))


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text)


def element_text(element: Any) -> str:
    """An element's visible text, whitespace collapsed (footnote marks excluded)."""
    parts: list[str] = []
    for node in element.iter():
        if node is not element and node.tag == REF_TAG:
            pass
        elif node.text and node.tag != REF_TAG:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return collapse("".join(parts)).strip()


def text_of_html(fragment: str) -> str:
    if not fragment.strip():
        return ""
    return element_text(html_fragment_parse(fragment))


def preview(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
