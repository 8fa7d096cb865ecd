"""How a Russian person's name changes case: the one owner of that grammar.

Two callers ask it. Authors' names go between the nominative and the genitive
(«Асан Жакупов» ↔ «Асана Жакупова», for «Блог …» headings), knowing which word
is the given name, the patronymic and the surname. Insights reads a person the
tagger found in any case and does not know which word is which
(`insights.extractors.inflection.person_nominative`), so it asks for the
dictionary reading of each word instead (`name_word_reading`).

Given names and patronymics are inflected with pymorphy3's dictionary; surnames
follow the grammar's declension rules, because most surnames of the region
(«Жакупов», «Токаева») are not in any dictionary. Words are read through the
process's one analyser, `core.morphology`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, Protocol, TypeVar

from vestnik.core.morphology import parses

Gender = Literal["masc", "femn"]
Case = Literal["nomn", "gent", "datv", "accs", "ablt", "loct"]
NameRole = Literal["given", "patronymic", "surname"]

CASES: tuple[Case, ...] = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})

_CYRILLIC_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*")
_HUSHING_OR_VELAR = tuple("жшчщкгх")
_DICTIONARY_GRAMMEME = {"given": "Name", "patronymic": "Patr"}


class NameReading(Protocol):
    """One dictionary reading of a word: its OpenCorpora grammemes, part of speech included."""

    @property
    def grammemes(self) -> frozenset[str]: ...


ReadingT = TypeVar("ReadingT", bound=NameReading)


def person_word_forms(
    word: str, *, role: NameRole, case: Case | None, to: Case, gender: Gender | None = None
) -> list[str]:
    """A word of a person's name, read in `case`, in the case `to`; likeliest first.

    Given names («Асана», genitive, masc → «Асан») and patronymics come from the
    dictionary: every reading in `case` (any case when None) and `gender` (any
    when None), capitalised, without repeats; empty when the dictionary has
    none. Surnames («Жакупова», «Петрова-Водкина», «Шевченко») follow the
    declension rules between the nominative and the genitive, each part of a
    hyphenated one on its own: the nominative gives the one genitive, the
    genitive gives every nominative it may come from (indeclinable first), to
    be checked by inflecting back. Surnames need `gender`.
    """
    if role != "surname":
        grammeme = _DICTIONARY_GRAMMEME[role]
        forms = (
            parse.inflect({to})
            for parse in parses(word)
            if grammeme in parse.tag
            and (case is None or case in parse.tag)
            and (gender is None or parse.tag.gender == gender)
        )
        return list(dict.fromkeys(_capitalised(form.word) for form in forms if form))
    if gender is None:
        raise ValueError("a surname declines by gender: pass `gender`")
    if case == to:
        return [word]
    if (case, to) == ("nomn", "gent"):
        return ["-".join(_surname_genitive(part, gender) for part in word.split("-"))]
    if (case, to) == ("gent", "nomn"):
        return _hyphenated_candidates(word, gender)
    raise ValueError(f"surnames decline between the nominative and the genitive, not {case}→{to}")


def name_word_reading(
    readings: Iterable[ReadingT], *, case: str, gender: str | None
) -> ReadingT | None:
    """The reading of a name's word in `case`, when which word is which is unknown.

    A singular noun in that case; one of `gender` (or of common gender, «Саша»)
    if there is one, and a name's reading (given name, surname, patronymic)
    before a common noun's. Insights passes its adapter's readings, so a word is
    read once per process and spelt the way the tagger's side spells it.
    """
    candidates = [
        r
        for r in readings
        if "NOUN" in r.grammemes and case in r.grammemes and "plur" not in r.grammemes
    ]
    if gender:
        same = [r for r in candidates if {gender, "ms-f"} & r.grammemes]
        candidates = same or candidates
    named = [r for r in candidates if NAME_GRAMMEMES & r.grammemes]
    best = named or candidates
    return best[0] if best else None


def _given_name_parse(word: str, case: str | None = None) -> Any | None:
    for parse in parses(word):
        if "Name" in parse.tag and (case is None or case in parse.tag):
            return parse
    return None


def _is_patronymic(word: str) -> bool:
    return any("Patr" in parse.tag for parse in parses(word))


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _surname_genitive(surname: str, gender: Gender) -> str:
    s = surname
    if gender == "masc":
        if s.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return s + "а"
        if s.endswith(("ский", "цкий", "ской", "цкой")):
            return s[:-2] + "ого"
        if s.endswith(("ый", "ий", "ой")):
            return s[:-2] + "ого"
        if s.endswith(("о", "е", "э", "и", "ы", "у", "ю", "ых", "их")):
            return s
        if s.endswith("а"):
            return s[:-1] + ("и" if s[:-1].endswith(_HUSHING_OR_VELAR) else "ы")
        if s.endswith("я"):
            return s[:-1] + "и"
        if s.endswith(("ь", "й")):
            return s[:-1] + "я"
        return s + "а"
    if s.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return s[:-1] + "ой"
    if s.endswith(("ская", "цкая", "ая")):
        return s[:-2] + "ой"
    if s.endswith("а") and not s.endswith(("иа", "уа", "оа")):
        return s[:-1] + ("и" if s[:-1].endswith(_HUSHING_OR_VELAR) else "ы")
    if s.endswith("я") and not s.endswith("ия"):
        return s[:-1] + "и"
    return s


def _surname_nominative_candidates(surname: str, gender: Gender) -> list[str]:
    s = surname
    if gender == "masc":
        if s.endswith(("ского", "цкого")):
            return [s[:-3] + "ий"]
        if s.endswith("ого"):
            return [s[:-3] + "ой", s[:-3] + "ый", s[:-3] + "ий"]
        if s.endswith("я"):
            return [s[:-1] + "ь", s[:-1] + "й", s]
        if s.endswith("ы"):
            return [s[:-1] + "а"]
        if s.endswith("и"):
            # Indeclinable first («Сейткали»), then «-а»/«-я» surnames in the genitive.
            return [s, s[:-1] + "а", s[:-1] + "я"]
        if s.endswith("а"):
            return [s[:-1], s]
        return [s]
    if s.endswith(("ской", "цкой")):
        return [s[:-2] + "ая"]
    if s.endswith(("овой", "евой", "ёвой", "иной", "ыной")):
        return [s[:-2] + "а"]
    if s.endswith("ой"):
        return [s[:-2] + "ая"]
    if s.endswith("ы"):
        return [s[:-1] + "а"]
    if s.endswith("и"):
        return [s, s[:-1] + "а", s[:-1] + "я"]
    return [s]


def _hyphenated_candidates(surname: str, gender: Gender) -> list[str]:
    candidates = [""]
    for part in surname.split("-"):
        options = _surname_nominative_candidates(part, gender)
        candidates = [
            f"{head}-{option}" if head else option for head in candidates for option in options
        ]
    return candidates


def _gender_of(given_name: str, case: str | None = None) -> Gender | None:
    parse = _given_name_parse(given_name, case)
    if parse is not None and parse.tag.gender in {"masc", "femn"}:
        return parse.tag.gender  # type: ignore[no-any-return]
    return None


def _split(full_name: str) -> tuple[str, str | None, str] | None:
    """(given name, patronymic or None, surname) for «Имя Фамилия» or «Имя Отчество Фамилия»."""
    words = full_name.split()
    if not 2 <= len(words) <= 3 or not all(_CYRILLIC_WORD.fullmatch(w) for w in words):
        return None
    if len(words) == 2:
        return words[0], None, words[1]
    if _is_patronymic(words[1]):
        return words[0], words[1], words[2]
    # «Фамилия Имя Отчество», the order of official documents.
    return words[1], words[2], words[0]


def name_genitive(full_name: str) -> str:
    """«Асан Жакупов» → «Асана Жакупова»; «Мария Иванова» → «Марии Ивановой».

    Names that are not Cyrillic «Имя [Отчество] Фамилия» are returned unchanged,
    so an editor can always type the right form by hand.
    """
    parts = _split(full_name)
    if parts is None:
        return full_name
    given, patronymic, surname = parts
    gender = _gender_of(given, "nomn")
    if gender is None:
        return full_name
    given_forms = person_word_forms(given, role="given", case="nomn", to="gent", gender=gender)
    words = [given_forms[0] if given_forms else given]
    if patronymic:
        # Any reading: «Отчество» is told apart by being a patronymic at all (`_split`).
        forms = person_word_forms(patronymic, role="patronymic", case=None, to="gent")
        words.append(forms[0] if forms else patronymic)
    words.extend(person_word_forms(surname, role="surname", case="nomn", to="gent", gender=gender))
    if full_name.split()[0] == surname and len(full_name.split()) == 3:
        words = [words[-1], *words[:-1]]
    return " ".join(words)


def name_nominative(name_in_genitive: str) -> str:
    """«Асана Жакупова» → «Асан Жакупов», for names read off «Блог …» headings.

    Every reading is checked by inflecting it back; the first that gives the
    text we were given wins.
    """
    words = name_in_genitive.split()
    if not 2 <= len(words) <= 3 or not all(_CYRILLIC_WORD.fullmatch(w) for w in words):
        return name_in_genitive
    given_gent = words[0]
    surname_gent = words[-1]
    patronymic_gent = words[1] if len(words) == 3 else None
    genders: tuple[Gender, ...] = ("masc", "femn")
    for gender in genders:
        given_candidates = person_word_forms(
            given_gent, role="given", case="gent", to="nomn", gender=gender
        )
        if not given_candidates:
            continue
        patronymic_nom = None
        if patronymic_gent:
            forms = person_word_forms(patronymic_gent, role="patronymic", case="gent", to="nomn")
            patronymic_nom = forms[0] if forms else patronymic_gent
        surnames = person_word_forms(
            surname_gent, role="surname", case="gent", to="nomn", gender=gender
        )
        for given in given_candidates:
            for surname in surnames:
                candidate = " ".join(w for w in (given, patronymic_nom, surname) if w)
                if name_genitive(candidate) == name_in_genitive:
                    return candidate
    return name_in_genitive
