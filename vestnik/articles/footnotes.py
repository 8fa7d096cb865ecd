"""Footnotes: numbering by first reference, markers linked both ways.

Editors write `[^key]` in a paragraph where a reference belongs and keep the
notes themselves in the article's footnote list. A note is numbered by its
first reference across all blocks, may be referenced any number of times, and
links back to every reference (DPUB-ARIA roles on both ends).

This module owns the marker grammar: the renderer, the mapper that stores
imported notes and every importer that writes or recognises `[^key]` use the
pattern and helpers below, so a key an import accepts is a key that renders.

A marker is read only in text: «[^1]» inside a tag, e.g. a link to
`http://x/[^1]`, is part of the address and stays as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from vestnik.core.text import html_text_spans

# A key: letters, digits, «_» and «-», as the editor's help text promises.
KEY_MAX_CHARS = 40
KEY_PATTERN = rf"[\w\-]{{1,{KEY_MAX_CHARS}}}"
MARKER = re.compile(rf"\[\^({KEY_PATTERN})\]")
_KEY = re.compile(KEY_PATTERN)
_NOT_KEY_CHARS = re.compile(r"[^\w\-]+")
# Sits between «[» and «^» in text that only looks like a marker, so it stays text.
_WORD_JOINER = "\u2060"


def is_valid_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None


def marker(key: str) -> str:
    """The reference to `key` as an editor writes it: `[^key]`."""
    return f"[^{key}]"


def markers_defuse(text: str) -> str:
    """Text in which nothing is read as a reference: «[^1]» typed as text stays text."""
    return text.replace("[^", "[" + _WORD_JOINER + "^")


def key_normalise(key: str, taken: Iterable[str] = ()) -> str:
    """A valid key made from `key`, not in `taken`: «IMF report, 2024» → «IMF-report-2024».

    A key that leaves nothing usable, or one already taken, becomes the lowest
    number not taken, the way importers number notes.
    """
    taken_keys = set(taken)
    candidate = _NOT_KEY_CHARS.sub("-", key).strip("-")[:KEY_MAX_CHARS].rstrip("-")
    if candidate and candidate not in taken_keys:
        return candidate
    number = 1
    while str(number) in taken_keys:
        number += 1
    return str(number)


@dataclass
class Note:
    number: int
    key: str
    html: str
    backlink_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"fn-{self.number}"


def reference_id(number: int, occurrence: int) -> str:
    return f"fnref-{number}" if occurrence == 1 else f"fnref-{number}-{occurrence}"


def _text_markers(html: str) -> Iterator[re.Match[str]]:
    """The markers in the text of `html`, in order; none from inside a tag.

    Most paragraphs cite nothing and are never tokenised; in the others the few
    markers are looked up among the text nodes rather than each node searched.
    """
    matches = list(MARKER.finditer(html))
    if not matches:
        return
    spans = list(html_text_spans(html))
    starts = [start for start, _end in spans]
    for match in matches:
        node = bisect_right(starts, match.start()) - 1
        if node >= 0 and match.end() <= spans[node][1]:
            yield match


def markers_in(texts: Iterable[str]) -> list[str]:
    """The keys referenced in the text of these HTML fragments, in order."""
    return [match.group(1) for text in texts for match in _text_markers(text)]


class FootnoteIndex:
    """Numbers the notes of one article and renders its reference markers.

    Build one per rendering: `render()` counts references as they are emitted,
    in body order, which is also the order of the pre-pass.
    """

    def __init__(self, notes: Sequence[tuple[str, str]], texts_in_order: Iterable[str]) -> None:
        note_html = dict(notes)
        referenced = [key for key in markers_in(texts_in_order) if key in note_html]
        occurrences = Counter(referenced)
        order = list(dict.fromkeys(referenced))
        self.unreferenced = [key for key, _html in notes if key not in occurrences]
        self.unknown_keys: set[str] = set()
        self.notes: list[Note] = []
        self._by_key: dict[str, Note] = {}
        for number, key in enumerate([*order, *self.unreferenced], start=1):
            note = Note(
                number=number,
                key=key,
                html=note_html[key],
                backlink_ids=[reference_id(number, n) for n in range(1, occurrences[key] + 1)],
            )
            self.notes.append(note)
            self._by_key[key] = note
        self._emitted: Counter[str] = Counter()

    def __bool__(self) -> bool:
        return bool(self.notes)

    def render(self, html: str) -> str:
        """`html` with each marker in its text replaced by a link to the note."""
        parts: list[str] = []
        position = 0
        for match in _text_markers(html):
            parts += [html[position : match.start()], self._reference(match)]
            position = match.end()
        parts.append(html[position:])
        return "".join(parts)

    def _reference(self, match: re.Match[str]) -> str:
        key = match.group(1)
        note = self._by_key.get(key)
        if note is None:
            self.unknown_keys.add(key)
            return escape(match.group(0))
        self._emitted[key] += 1
        ref_id = reference_id(note.number, self._emitted[key])
        label = _("Footnote %(number)s") % {"number": note.number}
        return (
            f'<sup class="noteref"><a href="#{note.id}" id="{ref_id}" role="doc-noteref" '
            f'aria-label="{escape(label)}">[{note.number}]</a></sup>'
        )
