"""Hostile payloads and the checks that none of them survives an import.

Every payload tries to run `window.__pwned = 1` (or reach a dangerous URL) in
a reader's browser. The importers get them as markup (saved HTML pages), as
text (Word manuscripts, saved page text: mammoth and the text parser escape
it) and in attributes, link targets, titles, captions, alt texts and notes.
`assert_harmless` checks rendered or stored HTML structurally: what is left
may show a payload as *text*, never as an element, attribute or URL.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '<svg onload="window.__pwned=1"><circle r="1"></circle></svg>',
    "<svg><script>window.__pwned=1</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>"
    "</style></mglyph></table></mtext></math>",
    '<a href="javascript:window.__pwned=1">click me</a>',
    '<a href="JaVaScRiPt:window.__pwned=1">click me</a>',
    '<a href="&#106;avascript:window.__pwned=1">click me</a>',
    '<a href=" java\tscript:window.__pwned=1">click me</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+">click me</a>',
    '<a href="vbscript:window.__pwned=1">click me</a>',
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    '<iframe srcdoc="&lt;script&gt;parent.__pwned=1&lt;/script&gt;"></iframe>',
    '<object data="javascript:window.__pwned=1"></object>',
    '<embed src="javascript:window.__pwned=1">',
    '<form action="javascript:window.__pwned=1"><button>go</button></form>',
    '<details open ontoggle="window.__pwned=1"><summary>x</summary></details>',
    '<body onload="window.__pwned=1">',
    '<div style="background:url(javascript:window.__pwned=1)">styled</div>',
    "<style>@import 'javascript:window.__pwned=1';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
    '<base href="javascript:window.__pwned=1//">',
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>',
    "<template><img src=x onerror=window.__pwned=1></template>",
    "<!--<img src=x onerror=window.__pwned=1>-->",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3B3bmVkPTEiLz4=">',
    '<p onclick="window.__pwned=1" onmouseover="window.__pwned=1">hover me</p>',
    '<a href="https://example.org/" onclick="window.__pwned=1">a real link</a>',
    '"><script>window.__pwned=1</script>',
    "</textarea><script>window.__pwned=1</script>",
    "</title><script>window.__pwned=1</script>",
    "<xmp><img src=x onerror=window.__pwned=1></xmp>",
    "<table><tr><td><img src=x onerror=window.__pwned=1></td></tr></table>",
    '<input autofocus onfocus="window.__pwned=1">',
    '<video><source onerror="window.__pwned=1"></video>',
    '<sup><a href="#x" onclick="window.__pwned=1">1</a></sup>',
    '[^1]"><script>window.__pwned=1</script>',
    "{{ request }}{% debug %}<scr<script>ipt>window.__pwned=1</script>",
)
# Link targets a manuscript's hyperlinks may carry.
HOSTILE_URLS = (
    "javascript:window.__pwned=1",
    "JAVASCRIPT:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "vbscript:window.__pwned=1",
)

_DANGEROUS_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button"}
    | {"textarea", "select", "base", "meta", "link", "video", "audio", "source", "template"}
    | {"frame", "frameset", "applet", "noscript", "xmp", "details"}
)
_DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")


def hostile_html_page() -> str:
    """A saved portal page carrying every payload where a page can carry one."""
    body = "\n".join(f"<p>Абзац {n}: {payload}</p>" for n, payload in enumerate(PAYLOADS))
    raw = "\n".join(PAYLOADS)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Заголовок </title><script>window.__pwned=1</script></title>
<meta name="author" content="Иван Петров">
<script>window.__pwned=1</script>
</head>
<body onload="window.__pwned=1">
<article>
<h1>Опасная статья <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"></h1>
<p class="author">Иван Петров<img src=x onerror="window.__pwned=1"></p>
<time datetime="2025-11-28">28 ноября 2025</time>
<p>Лид статьи с <a href="javascript:window.__pwned=1">ссылкой</a>.</p>
{body}
<div>{raw}</div>
<figure><img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3B3bmVkPTEiLz4="
 alt="&quot; onerror=&quot;window.__pwned=1"><figcaption>Подпись <script>window.__pwned=1</script>
 Источник: <a href="javascript:window.__pwned=1">пресс-служба</a></figcaption></figure>
<table><tr><th onclick="window.__pwned=1">Год<script>window.__pwned=1</script></th></tr>
<tr><td><a href="javascript:window.__pwned=1">2024</a></td></tr></table>
<blockquote onmouseover="window.__pwned=1">
<p>Цитата <svg onload="window.__pwned=1"></svg></p></blockquote>
<p>Сноска<sup><a href="#fn1" onclick="window.__pwned=1">[1]</a></sup>.</p>
<ol><li id="fn1">Примечание <img src=x onerror="window.__pwned=1">
<a href="javascript:window.__pwned=1">ссылка</a> <a href="#fn1">↑</a></li></ol>
</article></body></html>"""


def hostile_page_text() -> str:
    """A saved page's text with every payload as a line (and in the title and a note)."""
    lines = [
        "Блог Ивана Петрова",
        "Опасная статья <script>window.__pwned=1</script>",
        "28 ноября 2025",
        "Лид статьи, обычный текст.",
        *(f"Абзац {n}: {payload}." for n, payload in enumerate(PAYLOADS)),
        "Абзац со сноской [[1]].",
        "[1] Примечание <img src=x onerror=window.__pwned=1>",
    ]
    return "\n".join(lines) + "\n"


def assert_harmless(html: str, *, where: str = "") -> None:
    """Fail if a fragment (stored rich text) holds a dangerous element, handler or URL."""
    if not html.strip():
        return
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        _assert_element_harmless(element, where)


def assert_page_harmless(html: str, *, where: str = "") -> None:
    """The same for a whole rendered page, which may keep the site's own furniture.

    Scripts must be the site's: external ones from /static/, or JSON-LD that
    parses as JSON (which proves no payload broke out of it). Forms, buttons
    and the like are the site's too, so dangerous elements are looked for only
    where imported content is shown: the article's header, body and notes.
    """
    tree = lxml.html.fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() == "script":
            _assert_site_script(element, f"{where}: <script {dict(element.attrib)}>")
        _assert_attributes_harmless(element, where)
    regions = tree.xpath(
        '//*[contains(@class, "article__header") or contains(@class, "article__body")'
        ' or contains(@class, "footnotes")]'
    )
    assert regions, f"{where}: no article on the page"
    for region in regions:
        for element in region.iter():
            _assert_element_harmless(element, where)


def _assert_element_harmless(element: Any, where: str) -> None:
    if not isinstance(element.tag, str):
        return
    tag = element.tag.lower()
    assert tag not in _DANGEROUS_TAGS, f"{where}: dangerous element <{tag} {dict(element.attrib)}>"
    _assert_attributes_harmless(element, where)


def _assert_attributes_harmless(element: Any, where: str) -> None:
    context = f"{where}: <{element.tag} {dict(element.attrib)}>"
    for name, value in element.attrib.items():
        # Escaped text in an ordinary attribute (a title in og:title) is harmless;
        # handlers, inline documents, styles and URLs are where attributes run code.
        assert not name.lower().startswith("on"), f"event handler survived: {context}"
        assert name.lower() != "srcdoc", f"inline document survived: {context}"
        if name.lower() == "style":
            assert not re.search(r"javascript|expression|url\(", value, re.I), context
        if name.lower() in _URL_ATTRIBUTES:
            cleaned = re.sub(r"[\x00-\x20]", "", value)
            assert not _DANGEROUS_URL.match(cleaned), f"dangerous URL survived: {context}"


def _assert_site_script(element: Any, context: str) -> None:
    kind = (element.get("type") or "").lower()
    if kind == "application/ld+json":
        json.loads(element.text or "")
        return
    source = element.get("src") or ""
    assert source.startswith("/static/") and not (element.text or "").strip(), (
        f"an inline or foreign script: {context}"
    )
