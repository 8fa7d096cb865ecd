"""The plain shapes extraction works in: no database, no models, no natasha.

An article reaches the extractors as `TextUnit`s (its lead, headings,
paragraphs, quotes, captions, in reading order); the language adapter
(`extractors.natasha`) cuts them into `Sentence`s and finds `NamedSpan`s; the
rule modules (`entities`, `dates`, `figures`) turn those into the
`Extraction` that services store and the command prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol

UnitKind = Literal["lead", "heading", "paragraph", "quote", "caption", "table"]
SpanKind = Literal["PER", "LOC", "ORG"]
EntityKind = Literal["country", "location", "organisation", "person"]

ENTITY_KINDS: tuple[EntityKind, ...] = ("country", "organisation", "person", "location")


@dataclass(frozen=True)
class TextUnit:
    """One block of an article's text, as plain text."""

    kind: UnitKind
    text: str

    @property
    def is_statement(self) -> bool:
        """Headings name sections; dated events and figures come from sentences only."""
        return self.kind != "heading"


@dataclass(frozen=True)
class Sentence:
    unit: int  # index of its `TextUnit`
    start: int  # offsets within the unit's text
    stop: int
    text: str


@dataclass(frozen=True)
class NamedSpan:
    """A name the tagger found: «Министерством обороны», ORG, in sentence 12."""

    kind: SpanKind
    text: str
    sentence: int  # index into the analysed sentences
    start: int  # offsets within the sentence's text
    stop: int
    # «Р. Жаксылыковым»: per word, the case and gender the tagger read in context,
    # e.g. ("Ins", "Masc"); empty where the adapter did not tag (locations, organisations).
    grammar: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class WordParse:
    """One dictionary reading of a word (OpenCorpora grammemes)."""

    normal: str  # the lemma, lowercase
    pos: str  # NOUN, ADJF, PRTF, …
    grammemes: frozenset[str]
    # Inflecting costs more than reading, and few readings are ever inflected:
    # the adapter passes a function of the wanted case ("nomn", "gent").
    inflect: Callable[[str], str | None] | None = field(default=None, repr=False)

    @cached_property
    def nominative(self) -> str | None:
        """The same word in the nominative, its number and gender kept."""
        return self.inflect("nomn") if self.inflect is not None else None

    @cached_property
    def genitive(self) -> str | None:
        return self.inflect("gent") if self.inflect is not None else None


class Morphology(Protocol):
    """What the rules need from a morphological dictionary; natasha's adapter provides it."""

    def parses(self, word: str) -> Sequence[WordParse]: ...


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the text is: a year, a month of a year, or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets within the sentence
    stop: int
    date: PartialDate
    end: PartialDate | None = None  # «2021–2022 гг.», «с 2022 по 2024 гг.»

    def iso(self) -> str:
        """ISO 8601: «1992-03», or an interval «2021/2022»."""
        return self.date.iso() if self.end is None else f"{self.date.iso()}/{self.end.iso()}"


@dataclass(frozen=True)
class ExtractedEntity:
    kind: EntityKind
    name: str  # nominative, as displayed: «Министерство обороны», «Р. Жаксылыков»
    count: int
    short_name: str = ""  # the abbreviation the text introduces: «ОДКБ»
    # Vocabulary key when the name is known: "country:TR" or "entity:42".
    key: str = ""
    # Every normalised form met in the text (for aliases and editors' corrections).
    forms: tuple[str, ...] = ()
    sentences: tuple[int, ...] = ()

    @property
    def display_name(self) -> str:
        """«Организация Договора о коллективной безопасности (ОДКБ)»."""
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


@dataclass(frozen=True)
class TimelineItem:
    date: PartialDate
    end: PartialDate | None
    text: str  # the sentence
    position: int  # order in the article, for stable sorting

    def iso(self) -> str:
        return self.date.iso() if self.end is None else f"{self.date.iso()}/{self.end.iso()}"


@dataclass(frozen=True)
class Figure:
    value: float  # in units: 2.5e9 for «2,5 млрд долл.»
    unit: str  # "USD", "RUB", "EUR", "KZT", …, or "%"
    display: str  # as written, tidied: «2,5 млрд долл.»
    label: str  # what it measures: «военные расходы Казахстана»
    year: int | None
    sentence: str
    position: int

    @property
    def text(self) -> str:
        """«2,5 млрд долл. — военные расходы Казахстана, 2023»."""
        parts = [self.display]
        if self.label:
            parts.append(f" — {self.label}")
        if self.year is not None:
            parts.append(f", {self.year}")
        return "".join(parts)


@dataclass
class Extraction:
    language: str
    entities: list[ExtractedEntity] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def as_json(self) -> dict[str, list[dict[str, object]]]:
        """The shape `extract_insights --json` prints."""
        return {
            "entities": [
                {"name": entity.display_name, "kind": entity.kind, "count": entity.count}
                for entity in self.entities
            ],
            "timeline": [{"date": item.iso(), "text": item.text} for item in self.timeline],
            "figures": [
                {"value": figure.value, "unit": figure.unit, "text": figure.text}
                for figure in self.figures
            ],
        }
