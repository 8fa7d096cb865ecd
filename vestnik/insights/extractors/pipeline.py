"""One article's text → its `Extraction`: entities, timeline, figures.

Russian goes through natasha (`extractors.natasha`); other languages take the
simpler path of `extractors.english` (vocabulary look-ups, abbreviations,
dates and figures by pattern). The vocabulary comes from the caller, so the
same function serves the publish task, the command's `--file` and the
quality report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from vestnik.insights.extractors import dates, english, entities, figures
from vestnik.insights.extractors.base import (
    Extraction,
    Morphology,
    NamedSpan,
    Sentence,
    TextUnit,
)


class Analyzer(Morphology, Protocol):
    def sentences(self, units: Sequence[TextUnit]) -> list[Sentence]: ...

    def named_spans(self, sentences: Sequence[Sentence]) -> list[NamedSpan]: ...


def extract(
    units: Sequence[TextUnit],
    *,
    vocabulary: entities.Vocabulary,
    language: str = "ru",
    analyzer: Analyzer | None = None,
) -> Extraction:
    units = [unit for unit in units if unit.text.strip()]
    if language != "ru":
        return english.extract(units, vocabulary=vocabulary, language=language)
    if analyzer is None:
        # Deferred: importing the natasha adapter pulls in natasha's models (~100 MB).
        from vestnik.insights.extractors.natasha import analyzer as natasha_analyzer

        analyzer = natasha_analyzer()
    sentences = analyzer.sentences(units)
    spans = analyzer.named_spans(sentences)
    mentions = entities.span_mentions(spans, sentences, analyzer)
    mentions += entities.gazetteer_mentions(sentences, spans, mentions, vocabulary, analyzer)
    found = entities.entities_merge(mentions, vocabulary)
    countries: dict[int, list[str]] = {}
    for entity in found:
        if entity.kind == "country":
            for sentence in entity.sentences:
                countries.setdefault(sentence, []).append(entity.name)
    return Extraction(
        language=language,
        entities=found,
        timeline=dates.timeline(sentences, units),
        figures=figures.key_figures(sentences, units, analyzer, countries),
    )
