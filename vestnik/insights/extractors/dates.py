"""Dates in Russian analytical prose: «в марте 1992 г.», «2021–2022 гг.», «с 2022 по 2024 гг.».

A date is kept only when it carries a year, and a bare number counts as a year
only when the text says so: a year word after it («г.», «гг.», «года»,
«годах», «году»…), a month before it, or a preposition of time before it («в
2023», «с 2022 по 2024»). So «2,5 млрд», «155-го калибра», «Кыш-2025» and
«до 2000 человек» are not dates. Months may be in any case («в марте», «на
сентябрь», «мая»); a day comes with its month («28 ноября 2025 г.»).
Seasons and phrases like «в начале 2022 года» keep the year alone.

Pure regular expressions; natasha's date grammar was tried and dropped because
it misses ranges («с 2022 по 2024 гг.» gave 2024 alone) and costs a second per
article.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from vestnik.core.dates import MONTH_STEMS_RU, MONTHS_RU_NOMINATIVE
from vestnik.insights.extractors.base import (
    DateMention,
    PartialDate,
    Sentence,
    TextUnit,
    TimelineItem,
)


def _month_forms(stem: str, nominative: str) -> str:
    """Every case of one month name: «январ[ьяюеё]м?», «март[аеу]?(?:ом)?», «ма[йяюе]м?»."""
    if nominative.endswith("ь"):
        return stem + "[ьяюеё]м?"
    if nominative == stem:  # a hard stem: «март», «август»
        return stem + "[аеу]?(?:ом)?"
    return stem + "[йяюе]м?"  # «май»


_MONTH = (
    "(?:"
    + "|".join(
        _month_forms(stem, nominative)
        for stem, nominative in zip(MONTH_STEMS_RU, MONTHS_RU_NOMINATIVE, strict=True)
    )
    + ")"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DASH = r"\s*[-–—]\s*"
# «г.», «гг.», «год», «года», «годах», «годов», «году», «годом», «2023-м году», «2023-го года»
_YEAR_WORD = r"(?:-?(?:м|го)\s+)?(?:гг?\.?(?![а-яё])|год(?:а|ах|ов|у|ом|ы)?(?![а-яё]))"
# «в 2024–2025 сельскохозяйственном году», «в 2023 финансовом году»: one adjective
# between the year and its year word.
_YEAR_ADJECTIVE = r"(?:\s+[а-яё]+(?:ом|ем|ых|их|ого|его|ый|ий|ой))?"
_PREPOSITION = r"(?:в|во|с|со|до|к|ко|по|на|от|после|около|между|из|за|начиная\s+с)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"

_NOT_AFTER = r"(?<![\w\-./,])"
_NOT_BEFORE = r"(?![\w\-]|[.,]\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 28.11.2025
    (
        "numeric",
        re.compile(
            rf"{_NOT_AFTER}(?P<day>{_DAY})\.(?P<month>0?[1-9]|1[0-2])\.(?P<year>{_YEAR}){_NOT_BEFORE}"
        ),
    ),
    # 1–3 марта 2024 г.
    (
        "day_range",
        re.compile(
            rf"{_NOT_AFTER}(?P<day>{_DAY}){_DASH}(?P<day2>{_DAY})\s+(?P<month>{_MONTH})\s+"
            rf"(?P<year>{_YEAR})(?:\s*{_YEAR_WORD})?{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # 28 ноября 2025 г.
    (
        "day",
        re.compile(
            rf"{_NOT_AFTER}(?P<day>{_DAY})\s+(?P<month>{_MONTH})\s+(?P<year>{_YEAR})"
            rf"(?:\s*{_YEAR_WORD})?{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # в январе–марте 2024 г.
    (
        "month_range",
        re.compile(
            rf"{_NOT_AFTER}(?P<month>{_MONTH}){_DASH}(?P<month2>{_MONTH})\s+(?P<year>{_YEAR})"
            rf"(?:\s*{_YEAR_WORD})?{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # в марте 1992 г., на сентябрь 2025 г.
    (
        "month",
        re.compile(
            rf"{_NOT_AFTER}(?P<month>{_MONTH})\s+(?P<year>{_YEAR})(?:\s*{_YEAR_WORD})?{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # с 2022 по 2024 гг., с 2014 до 2016 г.
    (
        "from_to",
        re.compile(
            rf"(?<![\w-])(?:с|со|от)\s+(?P<year>{_YEAR})(?:\s*{_YEAR_WORD})?\s+(?:по|до)\s+"
            rf"(?P<year2>{_YEAR})(?:\s*{_YEAR_WORD})?{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # 2021–2022 гг., в 2022–2023 годах
    (
        "year_range",
        re.compile(
            rf"{_NOT_AFTER}(?P<year>{_YEAR}){_DASH}(?P<year2>{_YEAR}){_YEAR_ADJECTIVE}\s*{_YEAR_WORD}"
            rf"{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    (
        "year_range_after_preposition",
        re.compile(
            rf"(?<![\w-]){_PREPOSITION}\s+(?P<year>{_YEAR}){_DASH}(?P<year2>{_YEAR}){_NOT_BEFORE}"
            rf"(?!(?-i:\s+[а-яё]))",
            re.IGNORECASE,
        ),
    ),
    # в 2014 и 2016 гг.: two years, each a date of its own
    (
        "year_pair",
        re.compile(
            rf"{_NOT_AFTER}(?P<year>{_YEAR})\s*(?:,|и|или)\s*(?P<also>{_YEAR})\s*гг\.?"
            rf"{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # 1993 г., 2023 году
    (
        "year",
        re.compile(
            rf"{_NOT_AFTER}(?P<year>{_YEAR}){_YEAR_ADJECTIVE}\s*{_YEAR_WORD}{_NOT_BEFORE}",
            re.IGNORECASE,
        ),
    ),
    # в 2023, до 2022: a preposition, and no lowercase word after the number
    (
        "year_after_preposition",
        re.compile(
            rf"(?<![\w-]){_PREPOSITION}\s+(?P<year>{_YEAR})(?:-(?:м|го|му))?{_NOT_BEFORE}"
            rf"(?!\s*[%$€₽]|(?-i:\s+[а-яё]))",
            re.IGNORECASE,
        ),
    ),
]


def _month(word: str) -> int:
    word = word.lower()
    for number, stem in enumerate(MONTH_STEMS_RU, 1):
        if word.startswith(stem) and (stem != "ма" or word[:3] in {"май", "мая", "мае", "маю"}):
            return number
    raise ValueError(word)


def date_mentions(text: str) -> list[DateMention]:
    """Every date in a sentence, left to right; overlapping readings keep the widest."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, stop = match.span()
            if any(start < b and a < stop for a, b in taken):
                continue
            mentions = _mentions(name, match)
            if mentions:
                taken.append((start, stop))
                found.extend(mentions)
    found.sort(key=lambda mention: mention.start)
    return found


def _mentions(name: str, match: re.Match[str]) -> list[DateMention]:
    groups = match.groupdict()
    year = int(groups["year"])
    start, stop = match.span()
    month = _month(groups["month"]) if groups.get("month") and name != "numeric" else None
    if name == "numeric":
        month = int(groups["month"])
    day = int(groups["day"]) if groups.get("day") else None
    date = PartialDate(year, month, day)
    if day is not None and month is not None and not _valid_day(year, month, day):
        return []
    end: PartialDate | None = None
    if groups.get("day2"):
        end = PartialDate(year, month, int(groups["day2"]))
    elif groups.get("month2"):
        end = PartialDate(year, _month(groups["month2"]))
    elif groups.get("year2"):
        end = PartialDate(int(groups["year2"]))
        if end.year <= year:
            return []
    mentions = [DateMention(start, stop, date, end)]
    if groups.get("also"):
        mentions.append(DateMention(start, stop, PartialDate(int(groups["also"]))))
    return mentions


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def timeline(sentences: Sequence[Sentence], units: Sequence[TextUnit]) -> list[TimelineItem]:
    """Each dated sentence once per date it names, sorted by date, then by place in the text."""
    items: list[TimelineItem] = []
    for position, sentence in enumerate(sentences):
        if not units[sentence.unit].is_statement:
            continue
        seen: set[str] = set()
        for mention in date_mentions(sentence.text):
            if mention.iso() in seen:
                continue
            seen.add(mention.iso())
            items.append(
                TimelineItem(
                    date=mention.date,
                    end=mention.end,
                    text=_tidy(sentence.text),
                    position=position,
                )
            )
    items.sort(key=lambda item: (item.date.sort_key, item.position))
    return items


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
