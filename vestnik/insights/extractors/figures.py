"""Key figures: sums of money and percentages, with what they measure.

«в 2023 г. они достигли исторического максимума в 2,5 млрд. долл.» gives
2.5e9 USD, shown as «2,5 млрд долл.», measuring «военные расходы Казахстана»
(«военные расходы республики», earlier in the sentence, the republic being
the one country the sentence before names), in 2023 (the sentence's date).

What a figure measures is found without a parser, by the words around it:

1. «Италия — 23%», «Китай (17,6%)»: a name right before a dash or a bracket
   is the item the figure belongs to;
2. otherwise the nearest *measure noun* (расходы, экспорт, доля, дефицит,
   оборот…) in the figure's clause, or else earlier in the sentence, with its
   adjectives and its genitive or prepositional tail: «поставки вооружений из
   России», «доля Казахстана и Кыргызстана в турецком военном экспорте»; the
   phrase is put into the nominative («дефицита бюджета» → «дефицит
   бюджета»). Vague nouns («сумма», «уровень») are used only when nothing
   better is there.

Counts of things (138 БКМ, 17 мероприятий) are not key figures: only money
and percentages are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vestnik.insights.extractors.base import (
    Figure,
    Morphology,
    Sentence,
    TextUnit,
    WordParse,
)
from vestnik.insights.extractors.dates import date_mentions
from vestnik.insights.extractors.inflection import (
    known_common_word,
    phrase_nominative,
    shape_like,
)

_NUMBER = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULTIPLIER = (
    r"тыс(?:\.|яч[а-яё]*)?|млн\.?|миллион[а-яё]*|млрд\.?|миллиард[а-яё]*|трлн\.?|триллион[а-яё]*"
    r"|thousand|million|billion|trillion|bn\b|mn\b|m\b"
)
_CURRENCY = (
    r"долл(?:\.|ар[а-яё]*)?(?:\s+США)?|руб(?:\.|л[а-яё]+)?|евро|тенге|юан[а-яё]*|лир[а-яё]*"
    r"|сом(?:ов|а)?(?![а-яё])|сум(?:ов|а)?(?![а-яё])|манат(?:ов|а)?|гривн[а-яё]*|гривен"
    r"|фунт[а-яё]*(?:\s+стерлингов)?|иен[а-яё]*|рупи[а-яё]*|dollars?|euros?|roubles?|rubles?"
    r"|[$€₽£¥]|USD|EUR|RUB|KZT|CNY|TRY"
)
_FIGURE = re.compile(
    rf"(?<![\w.,])(?:(?P<prefix>[$€₽£])\s?)?(?P<number>{_NUMBER})"
    rf"(?:\s*[-–—]\s*(?P<number2>{_NUMBER}))?"
    rf"(?:\s*(?P<multiplier>{_MULTIPLIER}))?"
    rf"(?:\s*(?P<percent>%|процент[а-яё]*|per\s?cent|п\.\s?п\.)|\s*(?P<currency>{_CURRENCY}))?",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "тыс": 1e3,
    "thousand": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
    "billion": 1e9,
    "bn": 1e9,
    "трлн": 1e12,
    "триллион": 1e12,
    "trillion": 1e12,
}
_CURRENCIES = (
    ("долл", "USD"),
    ("dollar", "USD"),
    ("$", "USD"),
    ("usd", "USD"),
    ("руб", "RUB"),
    ("rub", "RUB"),
    ("roub", "RUB"),
    ("₽", "RUB"),
    ("евро", "EUR"),
    ("euro", "EUR"),
    ("eur", "EUR"),
    ("€", "EUR"),
    ("тенге", "KZT"),
    ("kzt", "KZT"),
    ("юан", "CNY"),
    ("cny", "CNY"),
    ("лир", "TRY"),
    ("try", "TRY"),
    ("сом", "KGS"),
    ("сум", "UZS"),
    ("манат", "AZN"),
    ("гривн", "UAH"),
    ("гривен", "UAH"),
    ("фунт", "GBP"),
    ("£", "GBP"),
    ("иен", "JPY"),
    ("¥", "JPY"),
    ("рупи", "INR"),
)

# Lemmas of nouns that say what a sum or a share measures.
MEASURE_NOUNS = frozenset(
    {
        "расход",
        "бюджет",
        "дефицит",
        "профицит",
        "оборот",
        "товарооборот",
        "грузооборот",
        "экспорт",
        "импорт",
        "доля",
        "стоимость",
        "инвестиция",
        "поставка",
        "закупка",
        "помощь",
        "ввп",
        "доход",
        "выручка",
        "цена",
        "кредит",
        "заём",
        "заем",
        "займ",
        "долг",
        "капитал",
        "рост",
        "снижение",
        "сокращение",
        "прирост",
        "выплата",
        "финансирование",
        "ассигнование",
        "затрата",
        "вложение",
        "продажа",
        "производство",
        "добыча",
        "тариф",
        "пошлина",
        "налог",
        "инфляция",
        "ставка",
        "безработица",
        "нужда",
        "контракт",
        "сделка",
        "субсидия",
        "резерв",
        "фонд",
        "зарплата",
        "пенсия",
        "потребление",
        "спрос",
        "население",
        "перевозка",
        "транзит",
        "потеря",
        "ущерб",
        "компенсация",
        "трансферт",
        "выбросы",
        "выброс",
        "объём",
        "объем",
        "сумма",
        "уровень",
        "размер",
        "показатель",
    }
)
# Measure nouns that say little on their own: «на сумму 500 тыс. долл.».
_VAGUE = frozenset({"объём", "объем", "сумма", "уровень", "размер", "показатель"})
# «военные расходы республики»: a state named by what it is, in the genitive singular.
_STATE_GENITIVES = frozenset({"республики", "страны", "государства"})
_MEASURE_STARTS = frozenset(lemma.replace("ё", "е")[:3] for lemma in MEASURE_NOUNS)
_PLACE = frozenset({"Geox"})
_PREPOSITIONS = frozenset({"в", "из", "между", "на", "по", "с", "для", "от", "со", "во"})
_CONJUNCTIONS = frozenset({"и"})
_TOKEN = re.compile(r"[A-Za-zА-ЯЁа-яё][\w-]*|\d+(?:[.,]\d+)?|[^\w\s]")
_CLAUSE_BREAK = re.compile(r"[;:()]|,\s+(?:а|но|тогда как|однако|при этом|что)\s|,\s*$")
# «Италия — 23%», «Китай (17,6%)», «на долю Узбекистана – 0,6%»
_ITEM_BEFORE = re.compile(
    r"(?P<item>[A-ZА-ЯЁ][\w-]*(?:\s+[A-ZА-ЯЁ][\w-]*)?)\s*(?:[—–-]|\()\s*(?:по\s+)?$"
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    stop: int


def figures_in(text: str) -> list[tuple[int, int, float, str, str]]:
    """(start, stop, value, unit, display) for every sum of money and percentage."""
    found: list[tuple[int, int, float, str, str]] = []
    for match in _FIGURE.finditer(text):
        percent, currency, prefix = match["percent"], match["currency"], match["prefix"]
        if not (percent or currency or prefix):
            continue
        multiplier = match["multiplier"]
        if multiplier and multiplier.lower() == "m" and not (prefix or currency):
            continue
        value = _number(match["number"]) * _factor(multiplier)
        unit = "%" if percent else _currency(prefix or currency or "")
        if not unit:
            continue
        found.append((match.start(), match.end(), value, unit, _display(match)))
    return found


def _number(text: str) -> float:
    return float(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))


def _factor(multiplier: str | None) -> float:
    if not multiplier:
        return 1.0
    word = multiplier.lower().rstrip(".")
    for stem, factor in _MULTIPLIERS.items():
        if word.startswith(stem) and (stem != "m" or word == "m"):
            return factor
    return 1.0


def _currency(text: str) -> str:
    word = text.lower()
    for stem, code in _CURRENCIES:
        if word.startswith(stem):
            return code
    return ""


def _display(match: re.Match[str]) -> str:
    """The figure as the article writes it, tidied: «2,5 млрд. долл.» → «2,5 млрд долл.»."""
    text = re.sub(r"[\s\u00a0\u202f]+", " ", match.group(0)).strip()
    return re.sub(r"\b(млн|млрд|трлн)\.", r"\1", text)


def key_figures(
    sentences: Sequence[Sentence],
    units: Sequence[TextUnit],
    morph: Morphology,
    countries: Mapping[int, Sequence[str]] | None = None,
) -> list[Figure]:
    """Every key figure, labelled; `countries` (sentence → the countries it names)
    lets «расходы республики» say which republic."""
    figures: list[Figure] = []
    for position, sentence in enumerate(sentences):
        if not units[sentence.unit].is_statement:
            continue
        text = re.sub(r"\s+", " ", sentence.text).strip()
        dates = date_mentions(text)
        referent = _referent(countries or {}, position, morph)
        for start, stop, value, unit, display in figures_in(text):
            before = [d.date.year for d in dates if d.stop <= start and d.end is None]
            after = [d.date.year for d in dates if d.start >= stop and d.end is None]
            year = before[-1] if before else after[0] if after else None
            figures.append(
                Figure(
                    value=value,
                    unit=unit,
                    display=display,
                    label=figure_label(text, start, stop, morph, referent=referent),
                    year=year,
                    sentence=text,
                    position=position,
                )
            )
    return figures


def _referent(
    countries: Mapping[int, Sequence[str]], position: int, morph: Morphology
) -> str | None:
    """The country «республика» or «страна» stands for here, in the genitive, if plain.

    It is the only country of this sentence or, if it names none, of the
    nearest of the two sentences before that names any; two countries there
    leave the word as it is.
    """
    for index in (position, position - 1, position - 2):
        named = countries.get(index, ())
        if len(named) == 1:
            return " ".join(phrase_genitive(named[0].split(), morph))
        if named:
            return None
    return None


def phrase_genitive(words: Sequence[str], morph: Morphology) -> list[str]:
    """«Казахстан» → «Казахстана», «Саудовская Аравия» → «Саудовской Аравии»."""
    result = []
    for word in words:
        readings = [
            r
            for r in morph.parses(word)
            if r.pos in {"NOUN", "ADJF"} and {"nomn", "sing"} <= r.grammemes
        ]
        readings.sort(key=lambda r: "Geox" not in r.grammemes)
        genitive = readings[0].genitive if readings else None
        result.append(shape_like(genitive, word) if genitive else word)
    return result


def figure_label(
    text: str, start: int, stop: int, morph: Morphology, *, referent: str | None = None
) -> str:
    """What the figure at text[start:stop] measures, or "" when the words do not say."""
    clause_start = 0
    for match in _CLAUSE_BREAK.finditer(text[:start]):
        clause_start = match.end()
    item_match = _ITEM_BEFORE.search(text[:start])
    item = ""
    if item_match is not None:
        item = " ".join(phrase_nominative(item_match["item"].split(), morph, prefer=_PLACE))
    tokens = [
        _Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.end() <= start
    ]
    clause = [t for t in tokens if t.start >= clause_start]
    measure = _measure_phrase(clause, morph, referent) or _measure_phrase(tokens, morph, referent)
    if measure is None:
        after = [
            _Token(m.group(0), m.start() + stop, m.end() + stop)
            for m in _TOKEN.finditer(text[stop:])
        ]
        measure = _measure_phrase(_until_break(after), morph, referent, nearest_first=True)
    if item and measure and item.casefold() not in measure.casefold():
        return f"{measure}: {item}"
    if measure or item:
        return measure or item
    return _subject(clause, first_counts=clause_start > 0)


def _until_break(tokens: list[_Token]) -> list[_Token]:
    for index, token in enumerate(tokens):
        if token.text in {".", ";", ":", "(", ")"}:
            return tokens[:index]
    return tokens


def _measure_phrase(
    tokens: Sequence[_Token],
    morph: Morphology,
    referent: str | None = None,
    *,
    nearest_first: bool = False,
) -> str | None:
    words = [t.text for t in tokens]
    candidates = [i for i, word in enumerate(words) if _lemma_in(word, MEASURE_NOUNS, morph)]
    if not candidates:
        return None
    precise = [i for i in candidates if not _lemma_in(words[i], _VAGUE, morph)]
    pool = precise or candidates
    head = pool[0] if nearest_first or _first_wins(words, pool, morph) else pool[-1]
    tail = _tail(words, head + 1, morph)
    if referent is not None:
        tail = [referent if word.lower() in _STATE_GENITIVES else word for word in tail]
    phrase = [*_left_modifiers(words, head, morph), words[head], *tail]
    if phrase[0][:1].isupper() and known_common_word(phrase[0], morph):
        phrase[0] = phrase[0][:1].lower() + phrase[0][1:]  # capitalised only to open a sentence
    return " ".join(phrase_nominative(phrase, morph, prefer_nominative=True))


def _first_wins(words: list[str], pool: list[int], morph: Morphology) -> bool:
    """«долю … в … экспорте»: a measure noun whose tail holds the next one is the head."""
    if len(pool) < 2:
        return True
    first = pool[0]
    tail_end = first + 1 + len(_tail(words, first + 1, morph))
    return tail_end > pool[-1]


def _lemma_in(word: str, lemmas: frozenset[str], morph: Morphology) -> bool:
    # Most words cannot be measure nouns; skip reading them by their first letters.
    if word.lower().replace("ё", "е")[:3] not in _MEASURE_STARTS:
        return False
    return any(r.pos == "NOUN" and r.normal in lemmas for r in morph.parses(word))


def _readings(word: str, morph: Morphology) -> Sequence[WordParse]:
    return morph.parses(word) if re.match(r"[A-Za-zА-ЯЁа-яё]", word) else ()


def _left_modifiers(words: list[str], head: int, morph: Morphology) -> list[str]:
    modifiers: list[str] = []
    index = head - 1
    while index >= 0:
        readings = _readings(words[index], morph)
        if not any(r.pos in {"ADJF", "PRTF"} and "Apro" not in r.grammemes for r in readings):
            break
        if any(r.pos in {"PREP", "CONJ", "NUMR"} for r in readings):
            break
        modifiers.insert(0, words[index])
        index -= 1
    return modifiers


def _tail(words: list[str], index: int, morph: Morphology, limit: int = 8) -> list[str]:
    """The genitive and prepositional words that complete a measure noun."""
    tail: list[str] = []
    while index < len(words) and len(tail) < limit:
        word = words[index]
        lowered = word.lower()
        if lowered in _PREPOSITIONS or lowered in _CONJUNCTIONS:
            group = _noun_group(words, index + 1, morph)
            if not group:
                break
            tail.extend([word, *group])
            index += 1 + len(group)
            continue
        group = _noun_group(words, index, morph, case="gent")
        if not group:
            break
        tail.extend(group)
        index += len(group)
    return tail


def _noun_group(
    words: list[str], index: int, morph: Morphology, case: str | None = None
) -> list[str]:
    """Adjectives and a noun (or a name) from `index`: «турецком военном экспорте»."""
    group: list[str] = []
    while index < len(words):
        word = words[index]
        readings = _readings(word, morph)
        if not readings:
            break
        fixed_name = word[:1].isupper() and any("Fixd" in r.grammemes for r in readings)
        if case is not None and not fixed_name and not any(case in r.grammemes for r in readings):
            break
        if any(r.pos == "NOUN" for r in readings) and not any(
            r.pos in {"ADJF", "PRTF"} for r in readings
        ):
            group.append(word)
            return group
        if any(r.pos in {"ADJF", "PRTF"} for r in readings):
            group.append(word)
            index += 1
            continue
        break
    return []


def _subject(tokens: Sequence[_Token], *, first_counts: bool) -> str:
    """The first capitalised word of the clause, «а Турция находится…»; a sentence's
    first word is capitalised anyway and counts only after a clause break."""
    for token in tokens if first_counts else tokens[1:]:
        if token.text[:1].isupper() and token.text[:1].isalpha():
            return token.text
    return ""
