import pytest

from vestnik.authors.morphology import name_genitive, name_nominative

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
