"""Helpers shared by the insights tests: the reference page, a vocabulary without a database."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.test import TestCase

from vestnik.articles.models import ArticlePage
from vestnik.importers.decoding import text_file_read
from vestnik.importers.parsers.page_text import parse_page_text
from vestnik.importers.services import import_page_file
from vestnik.insights.extractors.base import Extraction, TextUnit
from vestnik.insights.extractors.entities import Vocabulary, VocabularyEntry
from vestnik.insights.extractors.pipeline import extract
from vestnik.insights.models import Entity
from vestnik.insights.selectors import capitals, organisations
from vestnik.insights.services import insights_extract_for_page
from vestnik.insights.texts import draft_units
from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure

REFERENCE = (
    Path(__file__).resolve().parents[2] / "importers" / "tests" / "files" / "reference_page.txt"
)
DIGEST = Path(__file__).resolve().parent / "files" / "diplomacy_digest.txt"
COUNTRIES = Path(__file__).resolve().parents[2] / "vocabulary" / "data" / "countries.json"


@cache
def data_vocabulary(*, with_capitals: bool = True) -> Vocabulary:
    """The vocabulary extraction sees on a seeded site, built from the data files alone."""
    vocabulary = Vocabulary()
    for row in json.loads(COUNTRIES.read_text(encoding="utf-8")):
        entry = VocabularyEntry(f"country:{row['iso_code']}", "country", row["name_ru"])
        names = [row["name_ru"], row["name_en"], *row["aliases"].split(",")]
        if with_capitals:
            names += capitals().get(row["iso_code"], [])
        vocabulary.add(entry, names)
    for row in organisations():
        entry = VocabularyEntry(
            f"seed:{row['name']}", "organisation", row["name"], short_name=row["short"]
        )
        vocabulary.add(entry, [row["name"], row["short"], *row["aliases"].split(",")])
    return vocabulary


@cache
def reference_units() -> tuple[TextUnit, ...]:
    return tuple(draft_units(parse_page_text(text_file_read(REFERENCE))))


@cache
def reference_extraction() -> Extraction:
    return extract(reference_units(), vocabulary=data_vocabulary())


def paragraph(text: str, *, vocabulary: Vocabulary | None = None) -> Extraction:
    return extract([TextUnit("paragraph", text)], vocabulary=vocabulary or data_vocabulary())


def entities_of(extraction: Extraction, kind: str) -> dict[str, int]:
    return {e.display_name: e.count for e in extraction.entities if e.kind == kind}


class ReferenceArticleTestCase(TestCase):
    """The reference page, imported, published and extracted once per class."""

    article: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        vocabulary_ensure()
        cls.article = import_page_file(path=REFERENCE, publish=True).article
        insights_extract_for_page(page=cls.article)

    def entity(self, name: str) -> Entity:
        return Entity.objects.get(name=name)
