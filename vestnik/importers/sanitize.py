"""What HTML may pass from a foreign document into an article: the one nh3 policy.

Imported HTML is sanitised twice, with two policies:

- `document_clean` runs on whatever a parser hands over (mammoth's output, a
  saved page) before anything reads it. It keeps the *structure* the shared
  walker understands — blocks, inline marks, tables, figures, the ids and
  fragment links footnotes are made of, and the few marker classes parsers use
  (`h1.title`, `p.author`, `p.date`, `p.lead`, `p.caption`) — and drops the rest:
  scripts and styles with their content, event handlers, SVG and MathML,
  forms, frames, comments, and every URL that is not http, https, mailto or a
  relative reference.
- `rich_text_clean` runs on each piece of rich text the walker produces, so
  what reaches the page is exactly Wagtail's rich-text storage format for the
  block it lands in: `<p>`, `<b>`, `<i>`, `<a href>` (absolute http, https and
  mailto only), `<ul>`/`<ol>`/`<li>`, `<sup>`/`<sub>`, `<br>`.

Text nodes are escaped by nh3 on output, so text that merely looks like markup
(«<script>» typed into a manuscript) stays visible as text.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import nh3

# Blocks, inline marks and containers the walker understands (or flattens).
_DOCUMENT_TAGS: Final = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "pre", "blockquote"),
        *("ul", "ol", "li", "dl", "dt", "dd", "div", "section", "article", "main", "span"),
        *("b", "strong", "i", "em", "u", "s", "small", "mark", "cite", "code", "abbr", "time"),
        *("a", "sup", "sub", "img", "figure", "figcaption"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    }
)
# Removed together with everything inside them: code, foreign markup, media, site furniture.
_DOCUMENT_DROPPED_WITH_CONTENT: Final = frozenset(
    {
        *("script", "style", "template", "noscript", "xmp", "plaintext", "title", "head"),
        *("svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet", "canvas"),
        *("noembed", "noframes", "video", "audio"),
        *("form", "button", "select", "textarea"),
        *("nav", "header", "footer", "aside"),
    }
)
_DOCUMENT_ATTRIBUTES: Final = {
    # Footnotes are fragment links between ids (or the `name` of old HTML anchors).
    "*": {"id"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "td": {"colspan"},
    "th": {"colspan"},
    "time": {"datetime"},
}
# The marker classes a parser may set for the walker; every other class is dropped.
MARKER_CLASSES: Final = {
    "h1": {"title"},
    "p": {"author", "date", "lead", "caption"},
}
_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})

# Wagtail's rich-text storage for the paragraph block's features
# (bold, italic, link, ol, ul, superscript, subscript).
PARAGRAPH_TAGS: Final = frozenset({"p", "b", "i", "a", "ul", "ol", "li", "sup", "sub", "br"})
# The quote block and footnotes allow bold, italic and links only.
QUOTE_TAGS: Final = frozenset({"p", "b", "i", "a", "br"})
NOTE_TAGS: Final = QUOTE_TAGS


def document_clean(html: str) -> str:
    """A foreign HTML document reduced to the structure the walker reads; see the module."""
    return nh3.clean(
        html,
        tags=set(_DOCUMENT_TAGS),
        clean_content_tags=set(_DOCUMENT_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _DOCUMENT_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in MARKER_CLASSES.items()},
        strip_comments=True,
        link_rel=None,
        url_schemes=set(_URL_SCHEMES),
        # Relative references stay: footnotes are `#fragment` links, and a linked
        # image's path is needed to tell the editor which file was left out.
        url_relative="pass_through",
    )


def rich_text_clean(html: str, *, tags: Collection[str] = PARAGRAPH_TAGS) -> str:
    """Rich text exactly as Wagtail stores it for a block allowing `tags`."""
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}} if "a" in tags else {},
        strip_comments=True,
        link_rel=None,
        url_schemes=set(_URL_SCHEMES),
        # An article links out only: a relative URL would point into our own site.
        url_relative="deny",
    )


def is_external_url(url: str) -> bool:
    """An absolute http(s) or mailto URL: the only links rich text keeps."""
    scheme, colon, _rest = url.strip().partition(":")
    return bool(colon) and scheme.lower() in _URL_SCHEMES
