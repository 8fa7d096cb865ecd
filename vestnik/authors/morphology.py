"""Russian personal names in the genitive and back.

First names and patronymics are inflected with pymorphy3's dictionary; surnames
follow the grammar's declension rules, because most surnames of the region
(«Жакупов», «Токаева») are not in any dictionary. Words are read through the
process's one analyser, `core.morphology`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from vestnik.core.morphology import parses

Gender = Literal["masc", "femn"]

_CYRILLIC_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*")
_HUSHING_OR_VELAR = tuple("жшчщкгх")


def _given_name_parse(word: str, case: str | None = None) -> Any | None:
    for parse in parses(word):
        if "Name" in parse.tag and (case is None or case in parse.tag):
            return parse
    return None


def _patronymic_parse(word: str, case: str | None = None) -> Any | None:
    for parse in parses(word):
        if "Patr" in parse.tag and (case is None or case in parse.tag):
            return parse
    return None


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
    if _patronymic_parse(words[1]) is not None:
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
    given_parse = _given_name_parse(given, "nomn")
    given_form = given_parse.inflect({"gent"}) if given_parse is not None else None
    words = [_capitalised(given_form.word) if given_form else given]
    if patronymic:
        patronymic_parse = _patronymic_parse(patronymic)
        form = patronymic_parse.inflect({"gent"}) if patronymic_parse is not None else None
        words.append(_capitalised(form.word) if form else patronymic)
    words.append("-".join(_surname_genitive(part, gender) for part in surname.split("-")))
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
    for gender in ("masc", "femn"):
        given_candidates = [
            _capitalised(p.inflect({"nomn"}).word)
            for p in parses(given_gent)
            if "Name" in p.tag
            and "gent" in p.tag
            and p.tag.gender == gender
            and p.inflect({"nomn"})
        ]
        if not given_candidates:
            continue
        patronymic_nom = None
        if patronymic_gent:
            parse = _patronymic_parse(patronymic_gent, "gent")
            form = parse.inflect({"nomn"}) if parse is not None else None
            patronymic_nom = _capitalised(form.word) if form else patronymic_gent
        for given in dict.fromkeys(given_candidates):
            for surname in _hyphenated_candidates(surname_gent, gender):  # type: ignore[arg-type]
                candidate = " ".join(w for w in (given, patronymic_nom, surname) if w)
                if name_genitive(candidate) == name_in_genitive:
                    return candidate
    return name_in_genitive
