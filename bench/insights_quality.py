"""Precision and recall of insights extraction against hand-labelled gold files.

    .venv/bin/python bench/insights_quality.py [--verbose] [--speed] [--gold DIR]

Prints a Markdown table of precision and recall for countries, organisations,
people, dates and figures over every gold file; `--verbose` lists each
article's misses and extras; `--speed` also times model loading and the
extraction of the reference page and reports memory. Runs on a throwaway
SQLite site (migrated, the ISO country list seeded: the gold assumes it), so
it never writes to a real database. A development tool: production neither
ships nor loads it.

A gold file (`bench/insights_gold/*.json`) names its source text and lists what a
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

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "bench" / "insights_gold"

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    # A throwaway site: seeding the country list must not touch a real database.
    os.environ["VESTNIK_VAR_DIR"] = tempfile.mkdtemp(prefix="vestnik-bench-insights-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()

# E402: these read Django's settings, so they come after the set-up above.
from vestnik.articles.drafts import (  # noqa: E402
    ArticleDraft,
    BlockDraft,
    ImageDraft,
    ParagraphDraft,
)
from vestnik.importers.decoding import text_file_read  # noqa: E402
from vestnik.importers.parsers.page_text import parse_page_text  # noqa: E402
from vestnik.insights.extractors.base import Extraction, TextUnit  # noqa: E402
from vestnik.insights.extractors.entities import Vocabulary, name_key  # noqa: E402
from vestnik.insights.extractors.natasha import analyzer, is_loaded  # noqa: E402
from vestnik.insights.extractors.pipeline import extract  # noqa: E402
from vestnik.insights.texts import draft_units  # noqa: E402
from vestnik.site.demo.content import ARTICLES  # noqa: E402
from vestnik.site.demo.spec import DemoArticle, DemoImage  # noqa: E402

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
        draft = parse_page_text(text_file_read(ROOT / source["file"]))
        return draft_units(draft), source.get("language", "ru")
    article = next(a for a in ARTICLES if a.key == source["demo"])
    return demo_units(article), "ru"


def demo_units(article: DemoArticle) -> list[TextUnit]:
    """A demo article's words, as publishing would analyse them."""
    blocks: list[BlockDraft] = []
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


# --- the command line ------------------------------------------------------------------


def table(scores: dict[str, Score]) -> str:
    lines = [
        "| category | gold | found | correct | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for category in CATEGORIES:
        score = scores[category]
        gold = score.true_positives + score.false_negatives
        found = score.true_positives + score.false_positives
        lines.append(
            f"| {category} | {gold} | {found} | {score.true_positives} | "
            f"{score.precision:.2f} | {score.recall:.2f} |"
        )
    return "\n".join(lines)


def report_text(report: Report, *, verbose: bool) -> str:
    lines = [table(report.totals)]
    if verbose:
        for name, scores in report.articles:
            lines += ["", f"## {name}", table(scores)]
            for category in CATEGORIES:
                score = scores[category]
                lines += [f"  missed {category}: {miss}" for miss in score.misses]
                lines += [f"  extra  {category}: {extra}" for extra in score.extras]
    return "\n".join(lines)


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux; 0 elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def speed_report(vocabulary: Vocabulary, repeats: int = 5) -> str:
    reference = next(g for g in gold_articles() if g.name == "reference_page")
    units, _ = gold_units(reference)
    characters = sum(len(unit.text) for unit in units)
    size = sum(len(unit.text.encode("utf-8")) for unit in units)
    before = _rss_mb()
    started = time.perf_counter()
    was_loaded = is_loaded()
    analyzer()
    loading = time.perf_counter() - started
    loaded = _rss_mb()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        extract(units, vocabulary=vocabulary)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    lines = [
        f"reference page body: {characters} characters, {size / 1024:.1f} KB UTF-8",
        f"models loaded in {loading:.2f} s" + (" (already loaded)" if was_loaded else ""),
        f"extraction, {repeats} runs: first {walls[0]:.2f} s, "
        f"median {statistics.median(walls):.2f} s wall, "
        f"{statistics.median(cpus):.2f} s CPU",
        f"resident memory: {before:.0f} MB before loading, {loaded:.0f} MB with the models, "
        f"{_rss_mb():.0f} MB after extracting",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="a directory of gold files")
    parser.add_argument("--verbose", action="store_true", help="each article's misses and extras")
    parser.add_argument(
        "--speed", action="store_true", help="also time the models and the reference page"
    )
    arguments = parser.parse_args()

    from django.core.management import call_command

    from vestnik.insights.selectors import extraction_vocabulary
    from vestnik.vocabulary.terms import vocabulary_ensure

    call_command("migrate", verbosity=0)
    vocabulary_ensure()
    # The machine is measured, not the editors: their corrections are left out.
    vocabulary = extraction_vocabulary(with_corrections=False)
    if arguments.speed:
        print(speed_report(vocabulary))
    print(report_text(quality_report(vocabulary, arguments.gold), verbose=arguments.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
