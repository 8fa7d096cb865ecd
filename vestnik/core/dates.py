"""Reading dates out of text: one rule for importers, references and anything else.

Accepts «28 ноября 2025», «28 ноября 2025 г.», «28 ноября 2025 года», «28.11.2025»,
«2025-11-28» (with or without a time), «March 15, 2024» and «15 March 2024».
Month names match by stem, so abbreviations («нояб.», «Nov») read too.
"""

from __future__ import annotations

import datetime
import re

# The month names, owned here: importers, references, insights and citations read them.
MONTHS_RU_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# What every case of a Russian month name begins with: «январ» (январь, января,
# январе, январём), «март», and «ма» for май/мая.
def _shared_start(first: str, second: str) -> str:
    length = 0
    while length < min(len(first), len(second)) and first[length] == second[length]:
        length += 1
    return first[:length]


MONTH_STEMS_RU = tuple(
    _shared_start(nominative, genitive)
    for nominative, genitive in zip(MONTHS_RU_NOMINATIVE, MONTHS_RU_GENITIVE, strict=True)
)

# Three letters tell a month in either language («нояб.», «Nov»); May's Russian
# stem is two, «ма», since «май» and «мая» part at the third.
_MONTH_STEMS = {
    stem: number
    for number, (russian, english) in enumerate(zip(MONTH_STEMS_RU, MONTHS_EN, strict=True), 1)
    for stem in (russian[:3], english[:3].lower())
}
# Longer stems first: «мар» (March) must win over «ма» (May).
_STEMS_LONGEST_FIRST = sorted(_MONTH_STEMS.items(), key=lambda item: -len(item[0]))
_YEAR_WORD = r"(?:\s*(?:г\.?|года))?"
_DOTTED = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_YEAR_WORD}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})\s+([^\W\d]+)\.?,?\s+(\d{{4}}){_YEAR_WORD}")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


def month_number(name: str) -> int | None:
    """«ноября», «Ноябрь», «нояб», «November», «Nov» → 11; anything else → None."""
    name = name.casefold()
    for stem, number in _STEMS_LONGEST_FIRST:
        if name.startswith(stem):
            return number
    return None


def parse_date(text: str) -> datetime.date | None:
    """The date the whole text states, or None (also for 31.02 and other impossible days)."""
    text = text.strip().strip(".,").strip()
    month: int | None
    if match := _DOTTED.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = int(match.group(1)), month_number(match.group(2)), int(match.group(3))
    elif match := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = month_number(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        return None
    if month is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
