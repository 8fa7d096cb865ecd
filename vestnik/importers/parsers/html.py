"""A page saved as HTML from a legacy portal → `ArticleDraft`.

A saved page is the article wrapped in the portal's furniture: menus, share
buttons, a print link, polls, the footer. This module finds the article,
reads what the page says about it (title, author, date — from the markup, the
`<meta>` tags, or the portal's «Блог <автора>» line), drops the furniture and
hands the rest to the shared walker (`importers.parsers.html_blocks`), marking the
title, author and date with the walker's marker classes.

The raw page is parsed here only to find things; nothing from it is output
without going through the walker's sanitiser. Nothing is fetched: an image on
another site or in a file beside the saved page is left out with a warning;
only images embedded in the page itself (`data:` URLs of bitmap formats) are
kept.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final

import lxml.html
from lxml import etree

from vestnik.articles.drafts import ArticleDraft, ImageDraft
from vestnik.authors.morphology import name_nominative
from vestnik.core.text import latin_slug
from vestnik.importers.decoding import text_decode
from vestnik.importers.errors import ImportFailed
from vestnik.importers.images import image_draft_checked
from vestnik.importers.parsers.html_blocks import (
    TITLE_MAX_CHARS,
    html_walk,
    parse_date,
)
from vestnik.importers.parsers.page_text import CHROME_LINES
from vestnik.importers.safety import Limits, html_sniff

# Charsets a Russian portal's page may declare; anything else is decoded by guessing.
_CHARSETS: Final = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "windows-1251": "cp1251",
    "cp1251": "cp1251",
    "koi8-r": "koi8_r",
    "koi8-u": "koi8_u",
    "iso-8859-5": "iso8859_5",
    "windows-1252": "cp1252",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
}
_META_CHARSET: Final = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Class and id words of portal furniture: dropped wherever they are.
_CHROME_WORDS: Final = frozenset(
    {
        *("share", "sharing", "social", "socials", "likes", "rating", "counter", "print"),
        *("menu", "navbar", "nav", "navigation", "breadcrumb", "breadcrumbs", "pagination"),
        *("comments", "comment", "sidebar", "banner", "advert", "adv", "ads", "promo"),
        *("subscribe", "subscription", "related", "poll", "polls", "cookie", "cookies"),
        *("toolbar", "pager", "widget", "widgets"),
    }
)
_CODE_TAGS: Final = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
_CHROME_TAGS: Final = frozenset({"nav", "aside", "form", "button", "footer", "script", "style"})
_BODY_WORDS: Final = (
    "article-body",
    "article__body",
    "article-content",
    "article__content",
    "post-content",
    "post-body",
    "entry-content",
    "news-text",
    "content",
)
_BLOG_LINE: Final = re.compile(r"Блог\s+(?P<name>\S.{2,80})")
_DATA_IMAGE: Final = re.compile(
    r"data:image/(?:png|jpeg|jpg|gif|webp|bmp);base64,(?P<data>[A-Za-z0-9+/=\s]+)", re.I
)
_TITLE_SEPARATORS: Final = re.compile(r"\s+(?:\||—|–|::|/)\s+")
_PARSER: Final = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
)


def parse_html_checked(
    data: bytes, *, filename: str, author: str | None = None, limits: Limits
) -> ArticleDraft:
    """Refuse what is not a page, then parse it: what the sandbox runs."""
    del limits  # the size was checked before the file was read
    html_sniff(data)
    return parse_html(data, filename=filename, author=author)


def parse_html(data: bytes, *, filename: str, author: str | None = None) -> ArticleDraft:
    text = html_decode(data)
    try:
        document = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailed(f"The file is not an HTML page ({exc}).") from exc
    # Code is never content: without it, the text of a title or a byline is just text.
    etree.strip_elements(document, *_CODE_TAGS, with_tail=False)
    meta = _Meta.read(document)
    root = _article_root(document)
    images = _EmbeddedImages(filename)

    title = _title_take(document, root) or meta.title
    if not title:
        raise ImportFailed("The page has no title: no <h1> heading and no <title>.")
    if len(title) > TITLE_MAX_CHARS:
        raise ImportFailed(
            f"The page's title is too long ({len(title)} characters, at most "
            f"{TITLE_MAX_CHARS}): «{title[:60]}…»."
        )
    author_genitive = ""
    author_name = " ".join((author or "").split())
    if not author_name:
        author_name, author_genitive = _author_take(document, root, meta)
    date_text = _date_take(root) or meta.date
    _chrome_drop(root)
    images.embed(root)

    markers = [("h1", "title", title), ("p", "author", author_name), ("p", "date", date_text)]
    for tag, marker, value in reversed(markers):
        if value:
            element = etree.Element(tag, {"class": marker})
            element.text = value
            root.insert(0, element)
            element.tail = root.text
            root.text = None
    walked = html_walk(lxml.html.tostring(root, encoding="unicode"), images=images.resolve)
    warnings = walked.warnings
    if not walked.author:
        raise ImportFailed(
            "The page does not name its author (no «Блог …» line, author link or "
            '<meta name="author">): name the author when importing (--author, or the '
            "Author field)."
        )
    if not walked.lead and not walked.blocks:
        raise ImportFailed(f"«{title[:60]}» has no text: no paragraphs follow the title.")
    if walked.publication_date is None:
        warnings.append("The page has no date: the import date is used.")
    return ArticleDraft(
        title=walked.title or title,
        author_name=walked.author,
        author_name_genitive=author_genitive,
        publication_date=walked.publication_date,
        lead=walked.lead,
        blocks=walked.blocks,
        footnotes=walked.footnotes,
        warnings=warnings,
    )


def html_decode(data: bytes) -> str:
    """The page's declared charset when it is one we know, else the text decoder's guess."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return text_decode(data)
    declared = _META_CHARSET.search(data[:4096])
    encoding = _CHARSETS.get(declared.group(1).decode("ascii").lower()) if declared else None
    if encoding is not None:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in decoded:
                return decoded
    return text_decode(data)


# --- what the page says about the article -----------------------------------


@dataclass
class _Meta:
    title: str = ""
    author: str = ""
    date: str = ""

    @classmethod
    def read(cls, document: Any) -> _Meta:
        # Names compared in lower case: Word writes <meta name=Author>.
        values: dict[str, str] = {}
        for element in document.iter("meta"):
            name = element.get("property") or element.get("name") or element.get("itemprop")
            key = (name or "").strip().lower()
            value = " ".join((element.get("content") or "").split())
            if key and value:
                values.setdefault(key, value)

        def first(*keys: str) -> str:
            return next((values[key] for key in keys if key in values), "")

        title = first("og:title", "twitter:title")
        if not title:
            titles = document.xpath("//title")
            if titles:
                title = _title_without_site(_text(titles[0]))
        return cls(
            title=title,
            # article:author is often a link to the author's page, not a name.
            author=next(
                (
                    value
                    for value in (first("author"), first("article:author"))
                    if value and "/" not in value and len(value) <= 120
                ),
                "",
            ),
            date=first("article:published_time", "date", "datepublished"),
        )


def _title_without_site(title: str) -> str:
    """«Статья | Портал» → «Статья»: the longest part of a title joined to the site's name."""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    return max(parts, key=len) if parts else ""


def _article_root(document: Any) -> Any:
    """The element holding the article: the richest <article>, the marked body, <main>, <body>."""
    for query in (
        "//article",
        '//*[@itemprop="articleBody"]',
        "//main",
        '//*[@role="main"]',
    ):
        found = document.xpath(query)
        if found:
            return max(found, key=lambda element: len(_text(element)))
    for word in _BODY_WORDS:
        found = [
            element
            for element in document.iter()
            if isinstance(element.tag, str) and word in _words(element)
        ]
        if found:
            return max(found, key=lambda element: len(_text(element)))
    body = document.find("body")
    return body if body is not None else document


def _title_take(document: Any, root: Any) -> str:
    for scope in (root, document):
        headings = scope.xpath(".//h1")
        for heading in headings:
            text = _text(heading)
            if text:
                _remove(heading)
                return text
    return ""


def _author_take(document: Any, root: Any, meta: _Meta) -> tuple[str, str]:
    """(nominative, genitive): the article's byline, the portal's «Блог …» line, or <meta>.

    A byline elsewhere on the page (a card of a related article) is the last resort
    before <meta>: the «Блог …» line names the blog the page belongs to.
    """
    byline = _byline_take(root)
    if byline:
        return byline, ""
    for element in document.iter():
        if not isinstance(element.tag, str) or len(element):
            continue
        match = _BLOG_LINE.fullmatch(_text(element))
        if match is not None:
            genitive = " ".join(match.group("name").split())
            _remove(element)
            return name_nominative(genitive), genitive
    return _byline_take(document) or meta.author, ""


def _byline_take(scope: Any) -> str:
    for element in scope.iter():
        if not isinstance(element.tag, str):
            continue
        marked = (
            element.get("rel") == "author"
            or element.get("itemprop") == "author"
            or bool({"author", "byline"} & _words(element))
        )
        text = _text(element) if marked else ""
        if text and len(text) <= 120:
            _remove(element)
            return " ".join(text.removeprefix("Автор:").split())
    return ""


def _date_take(root: Any) -> str:
    for element in root.iter("time"):
        value = element.get("datetime") or _text(element)
        if parse_date(value) is not None:
            _remove(element)
            return value
    for element in root.iter():
        if not isinstance(element.tag, str) or len(element):
            continue
        if {"date", "published"} & _words(element):
            text = _text(element)
            if parse_date(text) is not None:
                _remove(element)
                return text
    return ""


# --- furniture --------------------------------------------------------------


def _chrome_drop(root: Any) -> None:
    """Menus, share buttons, polls and the like, by tag, by class or id, or by their whole text."""
    total = len(_text(root)) or 1
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        if element.getparent() is None or not _is_inside(element, root):
            continue  # already removed with an ancestor
        is_chrome = element.tag in _CHROME_TAGS or bool(_CHROME_WORDS & _words(element))
        # A wrapper named «…-with-sidebar» can hold the whole article: keep big ones.
        is_chrome = is_chrome and len(_text(element)) < 0.4 * total
        # «Распечатать», «Поделиться статьей»: the portal's own links, by their text.
        is_chrome = is_chrome or (len(element) <= 2 and _chrome_line(_text(element)))
        if is_chrome:
            _remove(element)


def _chrome_line(text: str) -> bool:
    return text.casefold().replace("ё", "е") in CHROME_LINES


def _is_inside(element: Any, root: Any) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors())


def _words(element: Any) -> set[str]:
    """The words of an element's class and id: «article__share-links» → article, share, links."""
    value = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    tokens = set(value.split())
    return tokens | set(re.split(r"[\s_\-]+", value)) - {""}


# --- images -----------------------------------------------------------------


@dataclass
class _EmbeddedImages:
    """Images carried inside the page as data: URLs; everything else is left out."""

    filename: str
    found: list[ImageDraft | str] = field(default_factory=list)

    def embed(self, root: Any) -> None:
        for image in root.iter("img"):
            src = (image.get("src") or "").strip()
            match = _DATA_IMAGE.fullmatch(src)
            if src.lower().startswith("data:"):
                image.set("src", f"#vestnik-image-{len(self.found)}")
                self.found.append(self._decode(match.group("data")) if match else _NOT_BITMAP)

    def resolve(self, src: str, alt: str) -> ImageDraft | str:
        prefix = "#vestnik-image-"
        if src.startswith(prefix) and src[len(prefix) :].isdigit():
            index = int(src[len(prefix) :])
            if index < len(self.found):
                found = self.found[index]
                if isinstance(found, ImageDraft):
                    found.alt = alt
                return found
        if re.match(r"(?:[a-z][a-z0-9+.\-]*:)?//", src, re.I):
            return (
                f"it is on another site ({_preview(src)}), and the importer fetches nothing "
                "from the network. Download it and add it in the editor."
            )
        if not src:
            return "it has no source."
        return (
            f"it is a separate file beside the saved page ({_preview(src)}), and the importer "
            "reads only the uploaded file. Add it in the editor."
        )

    def _decode(self, encoded: str) -> ImageDraft | str:
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            return "its embedded data is damaged."
        stem = latin_slug(PurePath(self.filename).stem, max_length=60) or "page"
        return image_draft_checked(data, f"{stem}-{len(self.found) + 1}")


_NOT_BITMAP: Final = "it is embedded as data that is not a bitmap picture (SVG or a document?)."


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _preview(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(element: Any) -> str:
    return " ".join((element.text_content() or "").split())
