"""Snippets: the passage of an article that best shows why it matched, words marked.

A word is marked when its own term shares a lemma with a query term — the very
rule the index matched by — so «турецких беспилотников» marks «турецкие
беспилотники». Lemmatising every word of every result would cost more than
the search itself, so a regex first finds the words that begin like some form
of a query lemma (with the common beginning of its forms, «турецк»), and only
those are lemmatised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vestnik.discovery.search.lemmas import Term, fold, lemma_forms, word_term

SNIPPET_LENGTH = 280
# Context kept before the first marked word of the snippet.
LEAD_IN = 60
_PREFIX = 3
# Snippet windows tried, one per marked word from the start of the text.
_WINDOWS = 200
_WORD_TAIL = re.compile(r"(?:[^\W_]|[\u0300-\u036f])*")
_PARTS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    term: int


class Highlighter:
    """Marks the words of a text that match a query's terms."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self._term_of = {lemma: index for index, term in enumerate(terms) for lemma in term}
        prefixes = {prefix for lemma in self._term_of for prefix in _stems(lemma_forms(lemma))}
        # Longest first, so the alternation never stops at a shorter prefix; «е»
        # also stands for «ё», which the text may spell out.
        alternatives = "|".join(
            re.escape(prefix).replace("е", "[её]")
            for prefix in sorted(prefixes, key=len, reverse=True)
        )
        self._candidates = (
            re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE) if alternatives else None
        )

    def marks(self, text: str) -> list[_Mark]:
        if self._candidates is None:
            return []
        found: list[_Mark] = []
        position = 0
        while (candidate := self._candidates.search(text, position)) is not None:
            word = _WORD_TAIL.match(text, candidate.start())
            end = word.end() if word is not None else candidate.end()
            position = max(end, candidate.start() + 1)
            for part in _PARTS.findall(fold(text[candidate.start() : end])):
                term = next(
                    (self._term_of[lemma] for lemma in word_term(part) if lemma in self._term_of),
                    None,
                )
                if term is not None:
                    found.append(_Mark(candidate.start(), end, term))
                    break
        return found

    def highlight(self, text: str) -> SafeString:
        """All of `text`, escaped, with every matching word in <mark>."""
        return _render(text, 0, len(text), self.marks(text))

    def snippet(self, text: str, *, length: int = SNIPPET_LENGTH) -> SafeString:
        """The passage of about `length` characters with the most distinct query terms."""
        text = text.replace("\n", " ")
        marks = self.marks(text)
        if not marks:
            return _render(text, 0, _word_boundary(text, length), [])
        best, best_terms = 0, 0
        for index, mark in enumerate(marks[:_WINDOWS]):
            terms = set()
            for other in marks[index:]:
                if other.end > mark.start + length - LEAD_IN:
                    break
                terms.add(other.term)
            if len(terms) > best_terms:
                best, best_terms = index, len(terms)
        start = marks[best].start
        if start > LEAD_IN:
            start = text.find(" ", start - LEAD_IN, start) + 1 or start - LEAD_IN
        else:
            start = 0
        end = _word_boundary(text, start + length)
        return _render(text, start, end, [m for m in marks if start <= m.start and m.end <= end])


def _stems(forms: frozenset[str]) -> set[str]:
    """Short prefixes that begin every form: «турецк» for «турецкий», «турецких», ….

    Forms are grouped by their first letters and each group gives its common
    beginning, so suppletive forms («человек», «люди») keep a prefix of their own.
    """
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[:_PREFIX], []).append(form)
    return {os.path.commonprefix(group) for group in groups.values()}  # noqa: RUF071 (strings, not paths)


def _word_boundary(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position)
    return space if space > 0 else position


def _render(text: str, start: int, end: int, marks: list[_Mark]) -> SafeString:
    pieces = ["…"] if start > 0 else []
    cursor = start
    for mark in marks:
        pieces += [escape(text[cursor : mark.start]), "<mark>", escape(text[mark.start : mark.end])]
        pieces.append("</mark>")
        cursor = mark.end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of text is escaped above)
