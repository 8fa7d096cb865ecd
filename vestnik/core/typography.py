"""Typography for text and HTML fragments: Russian rules, and English quotes for English text.

Applied when content is rendered, never stored, so editors keep plain text in
the admin and the rules can improve without a data migration. Only text nodes
change: tags, attributes and the contents of <code>/<pre>/<script> stay intact.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language

from vestnik.core.locales import content_language

NBSP = "\u00a0"

_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_RAW_ELEMENTS = ("code", "pre", "script", "style", "kbd", "samp")
# A one- or two-letter word (в, и, к, на, по, от, A, of …) binds to the next word.
_SHORT_WORD = re.compile(r"(?<![\w\-\u00ad])(\w{1,2})[ \t]+(?=\S)", re.UNICODE)
# English binds only one-letter words («a», «I»): «of», «to», «in» at a line's end are usual there.
_SHORT_WORD_EN = re.compile(r"(?<![\w\-\u00ad])(\w)[ \t]+(?=\S)", re.UNICODE)
# Dashes never start a line: «слово — слово».
_SPACE_BEFORE_DASH = re.compile(r"[ \t]+([—–])(?=\s)")
# Numbers stay with their units and abbreviations: «2023 г.», «2,5 млрд», «500 тыс.».
_NUMBER_UNIT = re.compile(
    r"(\d)[ \t]+(гг?\.|г\b|млн\.?|млрд\.?|тыс\.?|трлн\.?|долл\.?|руб\.?|чел\.|км|%|€|\$)",
    re.UNICODE,
)
_DOUBLE_QUOTE = re.compile(r'"|&quot;|&#34;')
# Opening and closing marks, outer and nested, per language of the text.
_QUOTES = {"ru": ("«", "»", "„", "“"), "en": ("“", "”", "‘", "’")}


def _convert_quotes(text: str, depth: list[int], language: str = "ru") -> str:
    """Straight double quotes become «ёлочки», nested ones „лапки“ (“ ” and ‘ ’ in English).

    `depth` carries the nesting level across text nodes, so a quotation that
    spans a <b> or <a> still closes with the right mark.
    """
    out: list[str] = []
    position = 0
    for match in _DOUBLE_QUOTE.finditer(text):
        out.append(text[position : match.start()])
        if match.start() == 0:
            opening = depth[0] == 0
        else:
            before = text[match.start() - 1]
            opening = before.isspace() or before in "([{—–-"
        outer_open, outer_close, inner_open, inner_close = _QUOTES.get(language, _QUOTES["ru"])
        if opening:
            out.append(outer_open if depth[0] == 0 else inner_open)
            depth[0] += 1
        else:
            depth[0] = max(depth[0] - 1, 0)
            out.append(outer_close if depth[0] == 0 else inner_close)
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def typograph_text(text: str, depth: list[int] | None = None, language: str | None = None) -> str:
    """The rules for a text in `language` (the reader's, `core.locales`, by default).

    Dashes and numbers with units bind the same way in both languages; English
    has its own quotation marks and binds only one-letter words.
    """
    depth = depth if depth is not None else [0]
    language = language or content_language()
    text = _convert_quotes(text, depth, language)
    text = _SPACE_BEFORE_DASH.sub(NBSP + r"\1", text)
    text = _NUMBER_UNIT.sub(r"\1" + NBSP + r"\2", text)
    # Run twice so that chains of short words («и в 2023») all bind.
    short_word = _SHORT_WORD_EN if language == "en" else _SHORT_WORD
    text = short_word.sub(r"\1" + NBSP, text)
    return short_word.sub(r"\1" + NBSP, text)


def typograph_html(html: str, language: str | None = None) -> str:
    """Apply the rules to the text nodes of an HTML fragment."""
    language = language or content_language()
    parts = _TAG_OR_TEXT.split(html)
    raw_depth = 0
    quote_depth = [0]
    for index, part in enumerate(parts):
        if not part:
            continue
        if part.startswith("<"):
            name = (
                part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            )
            if name in _RAW_ELEMENTS:
                raw_depth += -1 if part.startswith("</") else 1
            continue
        if raw_depth <= 0:
            parts[index] = typograph_text(part, quote_depth, language)
    return "".join(parts)


def number_grouped(value: int, language: str | None = None) -> str:
    """A count as it is set in the reader's language: «34 275», «1538»; "34,275", "1,538".

    Russian groups thousands with a non-breaking space from five digits up
    (four-digit numbers stay whole, as Russian typesetting has it); English
    with commas from four.
    """
    language = (language or get_language() or "ru")[:2]
    number = int(value)
    if language == "ru":
        return f"{number:,}".replace(",", NBSP) if abs(number) >= 10_000 else str(number)
    return f"{number:,}"
