"""Names in the nominative: how the dictionary reads a name's words, and how they decline.

Owns the grammar of names as the tagger hands them over. A place or an
organisation changes its adjectives and its first noun and keeps the genitive
tail («Министерством обороны» → «Министерство обороны»); a person changes every
word, in the case the tagger read in context («Р. Жаксылыкова» after «министра»
→ «Р. Жаксылыков»); a word is written the way the text wrote it (`shape_like`).
The helpers that find a phrase's head noun and read its words (`head_index`,
`word_readings`, `known_common_word`) live here too, because span repair, the
entity rules and the key figures (`figures`) all ask the same questions of the
same readings.

Morphology arrives through the `Morphology` protocol; this module imports
nothing but `base` and `authors.morphology` (which owns how a person's name
changes case: this module only turns the tagger's reading into a case and a
gender), so it stays a leaf the other rule modules build on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from vestnik.authors.morphology import name_word_reading
from vestnik.insights.extractors.base import Morphology, WordParse

INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

NOUNS = frozenset({"NOUN"})
ADJECTIVES = frozenset({"ADJF", "PRTF"})
_UD_CASES = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}
_UD_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def shape_like(word: str, like: str) -> str:
    """`word` written the way `like` is: «министерство» like «Министерства» → «Министерство»."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts = word.split("-")
    models = like.split("-")
    if len(parts) != len(models):
        return word[:1].upper() + word[1:] if like[:1].isupper() else word
    return "-".join(
        part[:1].upper() + part[1:] if model[:1].isupper() else part
        for part, model in zip(parts, models, strict=True)
    )


def word_readings(morph: Morphology, word: str, pos: frozenset[str]) -> list[WordParse]:
    return [parse for parse in morph.parses(word) if parse.pos in pos]


def case_and_number(parse: WordParse) -> tuple[str, str] | None:
    case = next((case for case in _CASES if case in parse.grammemes), None)
    number = "plur" if "plur" in parse.grammemes else "sing"
    return (case, number) if case else None


def phrase_nominative(
    words: Sequence[str],
    morph: Morphology,
    *,
    prefer_nominative: bool = False,
    prefer: frozenset[str] = frozenset(),
) -> list[str]:
    """The name of a place or an organisation in the nominative.

    The adjectives before the first noun and that noun agree and change; what
    follows is a genitive or prepositional tail and stays: «Управлением военных
    заводов и верфей» → «Управление военных заводов и верфей». A singular
    reading wins over a plural one («Министерства» is «Министерство»), unless
    the noun has none («Нидерланды», «Эмиратов»); readings with a `prefer`red
    grammeme win first («Астану» is a place, Geox, not the name «Астан»). With
    `prefer_nominative`, a phrase that may already be a nominative stays as it
    is («поставки вооружений»): subjects of sentences are, names mostly not.
    """
    head = head_index(words, morph)
    if head is None:
        return list(words)
    options: list[tuple[tuple[int, int, int, int], WordParse]] = []
    for reading in word_readings(morph, words[head], NOUNS):
        case_number = case_and_number(reading)
        if case_number is None:
            continue
        case, number = case_number
        if all(_agreement(morph, words[i], case, number, reading) for i in range(head)):
            rank = (
                0 if prefer & reading.grammemes else 1,
                0 if prefer_nominative and case == "nomn" else 1,
                0 if number == "sing" else 1,
                _CASES.index(case),
            )
            options.append((rank, reading))
    if not options:
        return list(words)
    _, head_reading = min(options, key=lambda option: option[0])
    case, number = case_and_number(head_reading) or ("", "")
    result = list(words)
    for index in range(head + 1):
        modifier: WordParse | None = (
            head_reading
            if index == head
            else _agreement(morph, words[index], case, number, head_reading)
        )
        if modifier is not None and modifier.nominative:
            result[index] = shape_like(modifier.nominative, words[index])
    return result


def head_index(words: Sequence[str], morph: Morphology) -> int | None:
    """The first noun, past the adjectives that agree with it; None if the phrase has none."""
    for index, word in enumerate(words):
        if not CYRILLIC.search(word):
            return None
        followed = index + 1 < len(words) and bool(
            word_readings(morph, words[index + 1], NOUNS | ADJECTIVES)
        )
        if word_readings(morph, word, ADJECTIVES) and followed:
            continue
        if word_readings(morph, word, NOUNS):
            return index
        return None
    return None


def _agreement(
    morph: Morphology, word: str, case: str, number: str, head: WordParse
) -> WordParse | None:
    """The reading of an adjective that agrees with the head noun's reading, if any."""
    gender = next((g for g in ("masc", "femn", "neut") if g in head.grammemes), None)
    for reading in word_readings(morph, word, ADJECTIVES):
        if case_and_number(reading) != (case, number):
            continue
        if number == "sing" and gender and not ({gender, "ms-f"} & reading.grammemes):
            continue
        return reading
    return None


def person_nominative(
    words: Sequence[str], grammar: Sequence[tuple[str, str]], morph: Morphology
) -> list[str]:
    """A person's name in the nominative, in the case the tagger read in context.

    The tagger reads the case of initials and given names well and of unknown
    surnames badly, so the sentence's case is the one most of the name's words
    were given; the dictionary then supplies a reading of each word in that case
    («Жаксылыкова», genitive, masculine → «Жаксылыков»), chosen the way
    `authors.morphology.name_word_reading` reads a person's name.
    """
    cases = Counter(_UD_CASES[case] for case, _ in grammar if case in _UD_CASES)
    genders = Counter(_UD_GENDERS[g] for _, g in grammar if g in _UD_GENDERS)
    context_case = cases.most_common(1)[0][0] if cases else None
    gender = genders.most_common(1)[0][0] if genders else None
    name_words = [i for i, w in enumerate(words) if not INITIAL.match(w) and CYRILLIC.search(w)]
    if not name_words:
        return list(words)
    feasible: list[str] = []
    for case in _CASES:
        if all(_person_reading(morph, words[i], case, gender) is not None for i in name_words):
            feasible.append(case)
    if not feasible or (context_case == "nomn" and "nomn" not in feasible):
        # The tagger read a nominative the dictionary cannot confirm: an unknown
        # name («Чиленга Мвале», not «Чиленг») is already in the nominative.
        return list(words)
    if context_case in feasible:
        case = context_case
    elif "nomn" in feasible:
        case = "nomn"
    else:
        case = feasible[0]
    result = list(words)
    for index in name_words:
        reading = _person_reading(morph, words[index], case, gender)
        if reading is not None and reading.nominative:
            result[index] = shape_like(reading.nominative, words[index])
    return result


def _person_reading(
    morph: Morphology, word: str, case: str, gender: str | None
) -> WordParse | None:
    # The adapter's readings, not `core.morphology`'s: read once per process and
    # spelt as the adapter spells them («Мирзиёевым» → «Мирзиеев»).
    return name_word_reading(morph.parses(word), case=case, gender=gender)


def maybe_nominative(words: Sequence[str], morph: Morphology) -> bool:
    """Whether a name's head noun can be a singular nominative: «Росатом», not «Группы»."""
    head = head_index(words, morph)
    if head is None:
        return True
    return any(
        {"nomn", "sing"} <= r.grammemes or "Fixd" in r.grammemes
        for r in word_readings(morph, words[head], NOUNS)
    )


def head_lemmas(words: Sequence[str], morph: Morphology) -> frozenset[str]:
    head = head_index(words, morph)
    if head is None:
        return frozenset()
    return frozenset(r.normal for r in word_readings(morph, words[head], NOUNS))


def known_common_word(word: str, morph: Morphology) -> bool:
    """A dictionary word that is not a name, a place or an abbreviation."""
    readings = morph.parses(word)
    return bool(readings) and not any(
        {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad", "UNKN"} & r.grammemes
        for r in readings
    )


def person_name(text: str, grammar: Sequence[tuple[str, str]], morph: Morphology) -> str:
    # «Р.Жаксылыков» and «Р. Жаксылыков» are the same; initials keep their dots.
    words = re.sub(r"([A-ZА-ЯЁ]\.)(?=[A-ZА-ЯЁ])", r"\1 ", text).split()
    tagged = list(grammar) if grammar else []
    # The grammar has a slot per token, and «Р.» is two tokens: keep only words' slots.
    word_grammar = [g for g in tagged if g != ("", "")]
    return " ".join(person_nominative(words, word_grammar, morph))
