"""The simpler path for English articles: no tagger, the vocabulary and patterns.

natasha reads Russian only. For English text, entities are the names the
vocabulary knows (countries by English name and alias, editors' entities and
aliases) and organisations that introduce an abbreviation («Turkish Aerospace
Industries (TUSAŞ)», then «TUSAŞ»); people are not looked for. Dates and
figures follow the same rules as in Russian, with English month names and
«$2.5 billion»; figures carry no label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vestnik.core.dates import MONTHS_EN
from vestnik.insights.extractors.base import (
    DateMention,
    Extraction,
    Figure,
    PartialDate,
    Sentence,
    TextUnit,
    TimelineItem,
)
from vestnik.insights.extractors.figures import figures_in
from vestnik.insights.extractors.lexicon import Vocabulary, abbreviation_like, name_key
from vestnik.insights.extractors.merging import NameMention, entities_merge

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(‘'])")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|the|de|on)?\s*[A-Z][\w&'’.-]*)*")
_INTRODUCED = re.compile(
    r"(?P<name>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|the|on|de)?\s*[A-Z][\w&'’.-]*)+)"
    r"\s*\((?P<short>[A-Z][\w&.-]{1,15})\)"
)
# «Kazakhstan's independence», «the States' position»: the name is the word without it.
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")
# Full names and the abbreviations of English prose («Jan.», «Sept.»).
_MONTHS = {
    name: number
    for number, month in enumerate(MONTHS_EN, 1)
    for name in {month.lower(), month[:3].lower()} | ({"sept"} if number == 9 else set())
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day_month_year",
        re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>{_YEAR})\b", re.I),
    ),
    (
        "month_day_year",
        re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>{_YEAR})\b", re.I),
    ),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>{_YEAR})\b", re.I)),
    (
        "range",
        re.compile(
            rf"\b(?:from|between)\s+(?P<year>{_YEAR})\s+(?:to|and|until)\s+(?P<year2>{_YEAR})\b"
            rf"|\b(?P<year3>{_YEAR})\s*[-–—]\s*(?P<year4>{_YEAR}|\d\d)\b",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|since|by|until|from|of|after|before|during)\s+(?P<year>{_YEAR})\b"
            rf"(?!\s*(?:%|per\s?cent|bn|billion|million))",
            re.I,
        ),
    ),
]


def extract(units: Sequence[TextUnit], *, vocabulary: Vocabulary, language: str) -> Extraction:
    sentences: list[Sentence] = []
    for index, unit in enumerate(units):
        offset = 0
        for part in _SENTENCE_END.split(unit.text):
            start = unit.text.find(part, offset)
            if part.strip():
                sentences.append(Sentence(index, start, start + len(part), part))
            offset = start + len(part)
    mentions = _mentions(sentences, vocabulary)
    timeline: list[TimelineItem] = []
    figures: list[Figure] = []
    for position, sentence in enumerate(sentences):
        if not units[sentence.unit].is_statement:
            continue
        text = " ".join(sentence.text.split())
        seen: set[str] = set()
        mentions_of_dates = date_mentions(text)
        for mention in mentions_of_dates:
            if mention.iso() not in seen:
                seen.add(mention.iso())
                timeline.append(TimelineItem(mention.date, mention.end, text, position))
        for start, _stop, value, code, display in figures_in(text):
            years = [d.date.year for d in mentions_of_dates if d.stop <= start and d.end is None]
            figures.append(
                Figure(value, code, display, "", years[-1] if years else None, text, position)
            )
    timeline.sort(key=lambda item: (item.date.sort_key, item.position))
    return Extraction(
        language=language,
        entities=entities_merge(mentions, vocabulary),
        timeline=timeline,
        figures=figures,
    )


def _mentions(sentences: Sequence[Sentence], vocabulary: Vocabulary) -> list[NameMention]:
    mentions: list[NameMention] = []
    introduced: dict[str, str] = {}
    for index, sentence in enumerate(sentences):
        taken: list[tuple[int, int]] = []
        for match in _INTRODUCED.finditer(sentence.text):
            name = re.sub(r"^the\s+", "", match["name"], flags=re.I)
            short = match["short"]
            introduced[name_key(short)] = name
            mentions.append(NameMention("ORG", name, short, index, match.group(0)))
            taken.append(match.span())
        for match in _CAPITALISED_RUN.finditer(sentence.text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            words = [_POSSESSIVE.sub("", word) for word in match.group(0).split()]
            # The longest run of words the vocabulary knows, left to right.
            position = 0
            while position < len(words):
                end = _longest_known(words, position, vocabulary)
                if end:
                    candidate = " ".join(words[position:end]).strip(".,")
                    mentions.append(NameMention("LOC", candidate, "", index, candidate))
                    position = end
                    continue
                word = words[position].strip(".,")
                full = introduced.get(name_key(word)) if abbreviation_like(word) else None
                if full is not None:
                    mentions.append(NameMention("ORG", full, word, index, word))
                position += 1
    return mentions


def _longest_known(words: list[str], position: int, vocabulary: Vocabulary) -> int:
    for end in range(len(words), position, -1):
        if vocabulary.lookup(" ".join(words[position:end]).strip(".,")) is not None:
            return end
    return 0


def date_mentions(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, stop = match.span()
            if any(start < b and a < stop for a, b in taken):
                continue
            groups = match.groupdict()
            month = _MONTHS[groups["month"].lower().rstrip(".")] if groups.get("month") else None
            day = int(groups["day"]) if groups.get("day") else None
            end = None
            if name == "range":
                first = groups.get("year") or groups.get("year3")
                last = groups.get("year2") or groups.get("year4")
                if first is None or last is None:
                    continue
                if len(last) == 2:
                    last = first[:2] + last
                if int(last) <= int(first):
                    continue
                year = int(first)
                end = PartialDate(int(last))
            else:
                year = int(groups["year"])
            taken.append((start, stop))
            found.append(DateMention(start, stop, PartialDate(year, month, day), end))
    found.sort(key=lambda mention: mention.start)
    return found
