"""Precision and recall of extraction against hand-labelled gold files.

A gold file (`tests/gold/*.json`) names its source text and lists what a
careful reader finds in it:

    {
      "source": {"file": "vestnik/importers/tests/files/reference_page.txt"},
      "countries": ["Казахстан", …],
      "organisations": [["ОДКБ", "Организация Договора о коллективной безопасности"], …],
      "people": ["Р. Жаксылыков", …],
      "dates": [["1992-03", "признавшей независимый Казахстан"], …],
      "figures": [[2500000000, "USD"], [83, "%"], …]
    }

A source is a saved page (`file`, read like `import_page` reads it) or a demo
article (`demo`: its key). An entity is an item with its other names (the
first matching prediction counts; a second prediction of the same item is a
false positive: the merge failed). A dated event is an ISO date and a snippet
of its sentence; a figure is a value and a unit. Extraction runs without the
editors' corrections, against the country vocabulary, the capitals and the
international organisations of the data files: the machine is measured, not
the editors.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from vestnik.insights.extractors.base import Extraction, TextUnit
from vestnik.insights.extractors.entities import Vocabulary, name_key
from vestnik.insights.extractors.pipeline import extract
from vestnik.insights.texts import draft_units

GOLD_DIR = Path(__file__).resolve().parent / "tests" / "gold"
CATEGORIES = ("countries", "organisations", "people", "dates", "figures")
_KINDS = {"countries": "country", "organisations": "organisation", "people": "person"}


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives
        self.misses += other.misses
        self.extras += other.extras


@dataclass(frozen=True)
class GoldArticle:
    path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem


def gold_articles(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    return [
        GoldArticle(path, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.json"))
    ]


def gold_units(gold: GoldArticle) -> tuple[list[TextUnit], str]:
    """The analysed text of a gold file's source, and its language."""
    source = gold.data["source"]
    if "file" in source:
        from vestnik.importers.decoding import text_file_read
        from vestnik.importers.parsers.page_text import parse_page_text

        draft = parse_page_text(text_file_read(Path(settings.BASE_DIR) / source["file"]))
        return draft_units(draft), source.get("language", "ru")
    from vestnik.core.demo.content import ARTICLES

    article = next(a for a in ARTICLES if a.key == source["demo"])
    return demo_units(article), "ru"


def demo_units(article: Any) -> list[TextUnit]:
    """A demo article's words, as publishing would analyse them."""
    from vestnik.articles.drafts import ArticleDraft, ImageDraft, ParagraphDraft
    from vestnik.core.demo.spec import DemoImage

    blocks: list[Any] = []
    for item in article.body:
        if isinstance(item, str):
            blocks.append(ParagraphDraft(html=f"<p>{item}</p>"))
        elif isinstance(item, DemoImage):
            blocks.append(ImageDraft(filename=item.filename, caption=item.caption))
        else:
            blocks.append(item)
    draft = ArticleDraft(title=article.title, author_name="", lead=article.lead, blocks=blocks)
    return draft_units(draft)


def score_article(gold: GoldArticle, extraction: Extraction) -> dict[str, Score]:
    scores = {
        category: _score_entities(gold.data.get(category, []), extraction, _KINDS[category])
        for category in ("countries", "organisations", "people")
    }
    scores["dates"] = _score_dates(gold.data.get("dates", []), extraction)
    scores["figures"] = _score_figures(gold.data.get("figures", []), extraction)
    return scores


def _alternatives(item: str | Sequence[str]) -> set[str]:
    names = [item] if isinstance(item, str) else list(item)
    return {name_key(name) for name in names}


def _score_entities(
    gold: Iterable[str | Sequence[str]], extraction: Extraction, kind: str
) -> Score:
    score = Score()
    items = [_alternatives(item) for item in gold]
    matched: set[int] = set()
    for entity in (e for e in extraction.entities if e.kind == kind):
        names = {name_key(entity.name), name_key(entity.display_name)}
        if entity.short_name:
            names.add(name_key(entity.short_name))
        hit = next((i for i, alts in enumerate(items) if alts & names), None)
        if hit is None or hit in matched:
            score.false_positives += 1
            score.extras.append(entity.display_name)
        else:
            matched.add(hit)
            score.true_positives += 1
    for index, alternatives in enumerate(items):
        if index not in matched:
            score.false_negatives += 1
            score.misses.append(sorted(alternatives)[0])
    return score


def _score_dates(gold: Iterable[Sequence[str]], extraction: Extraction) -> Score:
    score = Score()
    remaining = [(iso, name_key(snippet)) for iso, snippet in gold]
    for item in extraction.timeline:
        text = name_key(item.text)
        hit = next(
            (
                i
                for i, (iso, snippet) in enumerate(remaining)
                if iso == item.iso() and snippet in text
            ),
            None,
        )
        if hit is None:
            score.false_positives += 1
            score.extras.append(f"{item.iso()} {item.text[:70]}")
        else:
            remaining.pop(hit)
            score.true_positives += 1
    score.false_negatives = len(remaining)
    score.misses = [f"{iso} {snippet}" for iso, snippet in remaining]
    return score


def _score_figures(gold: Iterable[Sequence[Any]], extraction: Extraction) -> Score:
    score = Score()
    remaining = [(float(value), str(unit)) for value, unit in gold]
    for figure in extraction.figures:
        hit = next(
            (
                i
                for i, (value, unit) in enumerate(remaining)
                if unit == figure.unit and abs(value - figure.value) <= 1e-9 * max(1.0, value)
            ),
            None,
        )
        if hit is None:
            score.false_positives += 1
            score.extras.append(figure.text)
        else:
            remaining.pop(hit)
            score.true_positives += 1
    score.false_negatives = len(remaining)
    score.misses = [f"{value:g} {unit}" for value, unit in remaining]
    return score


@dataclass
class Report:
    articles: list[tuple[str, dict[str, Score]]]
    totals: dict[str, Score]


def quality_report(vocabulary: Vocabulary, directory: Path = GOLD_DIR) -> Report:
    articles: list[tuple[str, dict[str, Score]]] = []
    totals = {category: Score() for category in CATEGORIES}
    for gold in gold_articles(directory):
        units, language = gold_units(gold)
        scores = score_article(gold, extract(units, vocabulary=vocabulary, language=language))
        articles.append((gold.name, scores))
        for category, score in scores.items():
            totals[category].add(score)
    return Report(articles=articles, totals=totals)
