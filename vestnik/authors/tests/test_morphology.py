import pytest

from vestnik.authors.morphology import (
    Case,
    Gender,
    NameRole,
    name_genitive,
    name_nominative,
    name_word_reading,
    person_word_forms,
)
from vestnik.core.morphology import parses

NAMES = [
    ("Асан Жакупов", "Асана Жакупова"),
    ("Мария Иванова", "Марии Ивановой"),
    ("Дина Токаева", "Дины Токаевой"),
    ("Айгерим Сулейменова", "Айгерим Сулейменовой"),
    ("Анна Ким", "Анны Ким"),
    ("Пётр Чайковский", "Петра Чайковского"),
    ("Ирина Вишневская", "Ирины Вишневской"),
    ("Иван Петрович Сидоров", "Ивана Петровича Сидорова"),
    ("Елена Шевченко", "Елены Шевченко"),
    ("Айгерим Сейткали", "Айгерим Сейткали"),
]


@pytest.mark.parametrize(("nominative", "genitive"), NAMES)
def test_genitive_for_blog_titles(nominative: str, genitive: str) -> None:
    assert name_genitive(nominative) == genitive


@pytest.mark.parametrize(("nominative", "genitive"), NAMES)
def test_nominative_from_blog_titles(nominative: str, genitive: str) -> None:
    assert name_nominative(genitive) == nominative


def test_non_cyrillic_names_are_left_for_the_editor() -> None:
    assert name_genitive("John Smith") == "John Smith"


# (word, role, gender, the word in the nominative, in the genitive): each read both ways.
WORDS: list[tuple[str, NameRole, Gender, str, str]] = [
    ("given", "given", "masc", "Асан", "Асана"),
    ("given", "given", "femn", "Мария", "Марии"),
    ("patronymic", "patronymic", "masc", "Иванович", "Ивановича"),
    ("male surname", "surname", "masc", "Жакупов", "Жакупова"),
    ("female surname", "surname", "femn", "Токаева", "Токаевой"),
    ("female adjectival surname", "surname", "femn", "Вишневская", "Вишневской"),
    ("indeclinable surname", "surname", "femn", "Шевченко", "Шевченко"),
    ("indeclinable surname", "surname", "masc", "Шевченко", "Шевченко"),
    ("hyphenated surname", "surname", "masc", "Петров-Водкин", "Петрова-Водкина"),
    ("hyphenated surname", "surname", "femn", "Римская-Корсакова", "Римской-Корсаковой"),
]


@pytest.mark.parametrize(("label", "role", "gender", "nominative", "genitive"), WORDS)
def test_person_word_forms_between_nominative_and_genitive(
    label: str, role: NameRole, gender: Gender, nominative: str, genitive: str
) -> None:
    assert (
        person_word_forms(nominative, role=role, case="nomn", to="gent", gender=gender)[0]
        == genitive
    ), label
    # From the genitive a surname may have come from several nominatives
    # («Жакупова»: «Жакупов» or the indeclinable «Жакупова»); the right one is among them.
    assert nominative in person_word_forms(
        genitive, role=role, case="gent", to="nomn", gender=gender
    ), label


def test_given_names_in_other_cases_come_from_the_dictionary() -> None:
    assert person_word_forms("Марией", role="given", case="ablt", to="nomn") == ["Мария"]
    assert person_word_forms("Асаном", role="given", case="ablt", to="nomn") == ["Асан"]
    assert person_word_forms("Асаном", role="given", case="gent", to="nomn") == []


def test_surnames_need_a_gender() -> None:
    with pytest.raises(ValueError, match="gender"):
        person_word_forms("Жакупова", role="surname", case="gent", to="nomn")


@pytest.mark.parametrize(
    ("word", "case", "gender", "lemma"),
    [
        ("Жаксылыковым", "ablt", "masc", "жаксылыков"),
        ("Жаксылыкова", "gent", "masc", "жаксылыков"),
        ("Марией", "ablt", "femn", "мария"),
        ("Марии", "gent", "femn", "мария"),
    ],
)
def test_name_word_reading_in_the_case_the_sentence_gives(
    word: str, case: Case, gender: Gender, lemma: str
) -> None:
    readings = list(parses(word))
    reading = name_word_reading([p.tag for p in readings], case=case, gender=gender)
    assert reading is not None
    chosen = next(p for p in readings if p.tag is reading)
    assert chosen.normal_form == lemma
    # The other case is no reading of this word: insights then tries another case.
    other: Case = "gent" if case == "ablt" else "ablt"
    assert name_word_reading([p.tag for p in readings], case=other, gender=gender) is None
