"""The words entity extraction knows by heart: names, aliases and the word classes of its rules.

Owns how two names are compared (`name_key`: case, «ё», quotes and dashes do
not matter), the `Vocabulary` of names that stand for a known entity (countries
and their aliases, editors' entities and aliases: «РК» and «Казахстан» are one
key), and the fixed word lists the rules read names with (institution,
territorial, facility and place nouns, heads of lists that are not
organisations, generic terms that are never entities). They live together so
that a word an editor or a developer wants to teach the extractor has one
place to go.

The vocabulary is filled from the database by `selectors.extraction_vocabulary`
and arrives here as a plain object: this module reads no database, no
morphology and no natasha, and imports nothing but `base`, so every other rule
module can build on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from vestnik.insights.extractors.base import EntityKind

_SPACES = re.compile(r"\s+")
QUOTES = "\"'«»“”„‘’"
OPENING_QUOTES = "«“„\"'‘"
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})
_ABBREVIATION = re.compile(r"^[^\W\d_][\w&-]*[^\W_]$")

# Terms natasha's news model tags as organisations or people although, in the
# analytical prose we publish, they name sectors, operations and weapons. Kept
# short and generic on purpose; anything particular is an editor's correction.
NOT_ENTITIES = frozenset(
    {
        "впк",
        "опк",
        "сво",
        "бпла",
        "ввп",
        "вс",
        "рэб",
        "пво",
        "ии",
    }
)


# Nouns that head the name of an institution: «Объединённый военный комитет …».
INSTITUTION_NOUNS = frozenset(
    {
        "министерство", "ведомство", "агентство", "служба", "комитет", "комиссия", "совет",
        "союз", "организация", "ассоциация", "альянс", "банк", "фонд", "центр", "институт",
        "университет", "академия", "бюро", "управление", "департамент", "дирекция",
        "секретариат", "парламент", "правительство", "администрация", "суд", "трибунал",
        "партия", "движение", "компания", "корпорация", "концерн", "холдинг", "консорциум",
        "завод", "фабрика", "комбинат", "верфь", "предприятие", "объединение", "флотилия",
        "командование", "штаб", "палата", "дума", "собрание", "меджлис", "сейм", "рада",
        "конгресс", "сенат", "биржа", "издательство", "федерация", "лига", "общество",
        "сообщество", "содружество", "миссия", "представительство", "посольство",
        "консульство", "прокуратура", "инспекция", "казначейство", "канцелярия", "аппарат",
        "мэрия", "кабинет", "коллегия", "группа", "дивизия", "бригада", "полк", "гвардия",
    }
)  # fmt: skip
# Nouns that head the name of a territory: «Дашогузский велаят» is a place.
TERRITORIAL_NOUNS = frozenset(
    {
        "область", "край", "провинция", "велаят", "вилаят", "район", "округ", "штат",
        "регион", "губерния", "уезд", "кантон", "графство", "префектура", "воеводство",
        "аймак", "оазис", "полуостров", "остров", "бассейн", "пролив", "залив", "море",
        "река", "озеро", "хребет", "долина", "пустыня", "месторождение",
    }
)  # fmt: skip
# Nouns and abbreviations that head the name of a facility: «Камбаратинская
# ГЭС-1», «АЭС „Эль-Дабаа“» are places where things are built, not organisations.
FACILITY_NOUNS = frozenset(
    {
        "электростанция", "плотина", "водохранилище", "порт", "аэропорт", "космодром",
        "терминал", "трубопровод", "нефтепровод", "газопровод", "канал", "мост", "тоннель",
        "рудник", "шахта",
    }
)  # fmt: skip
FACILITY_ABBREVIATIONS = frozenset({"аэс", "гэс", "тэс", "тэц", "грэс", "гаэс", "нпз", "гпз"})
# Nouns a place name follows as its apposition: «у рифа Второй Томас» is a reef,
# whatever the tagger's reading of «Второй Томас» as a man's name.
PLACE_NOUNS = TERRITORIAL_NOUNS | frozenset(
    {
        "риф", "мель", "атолл", "архипелаг", "мыс", "гора", "вулкан", "перевал", "ледник",
        "город", "село", "посёлок", "деревня", "станица", "аул", "кишлак", "порт", "аэропорт",
        "улица", "площадь", "проспект", "плато", "равнина", "столица",
    }
)  # fmt: skip
# Heads of lists of things that are not organisations: «карточные системы … —
# российская «Мир», китайская UnionPay»; «системы …, такие как российская СПФС».
# An organisation named after an adjective whose noun was left out takes that
# noun from the head of its list.
NOT_ORGANISATION_HEADS = frozenset(
    {
        "система", "карта", "платформа", "бренд", "мессенджер", "приложение", "проект",
        "программа", "инициатива", "маршрут", "коридор", "трубопровод", "газопровод",
        "нефтепровод", "месторождение", "соглашение", "декларация", "конвенция", "кодекс",
        "доктрина", "стратегия", "валюта", "технология", "стандарт",
    }
)  # fmt: skip


def name_key(text: str) -> str:
    """How names are compared: case, «ё», quotes, dashes and spacing do not matter."""
    text = text.translate(_DASHES).replace("ё", "е").replace("Ё", "Е")
    return _SPACES.sub(" ", text.strip().strip(QUOTES).casefold()).strip()


@dataclass(frozen=True)
class VocabularyEntry:
    key: str  # "country:TR" or "entity:42"
    kind: EntityKind
    name: str
    short_name: str = ""
    hidden: bool = False


@dataclass
class Vocabulary:
    """Names → what they stand for: countries, their aliases, editors' entities and aliases."""

    labels: dict[str, VocabularyEntry] = field(default_factory=dict)

    def add(self, entry: VocabularyEntry, names: Iterable[str]) -> None:
        for name in names:
            key = name_key(name)
            if key:
                self.labels[key] = entry

    def lookup(self, *names: str) -> VocabularyEntry | None:
        for name in names:
            entry = self.labels.get(name_key(name))
            if entry is not None:
                return entry
        return None


def abbreviation_like(text: str) -> bool:
    """«ОДКБ», «TUSAŞ», «G20»: two or more characters, letters all capitals."""
    return bool(_ABBREVIATION.match(text)) and text.upper() == text
