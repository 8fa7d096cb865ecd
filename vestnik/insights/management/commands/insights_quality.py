"""Precision and recall of insights extraction on the hand-labelled gold files."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vestnik.insights.quality import CATEGORIES, GOLD_DIR, Score, quality_report
from vestnik.insights.selectors import extraction_vocabulary
from vestnik.vocabulary.terms import vocabulary_ensure


class Command(BaseCommand):
    help = (
        "Run extraction on every gold file (vestnik/insights/tests/gold/*.json) and print "
        "precision and recall for countries, organisations, people, dates and figures. "
        "Seeds the ISO country list first if it is missing (the gold assumes it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gold", default=str(GOLD_DIR), help="a directory of gold files")
        parser.add_argument(
            "--verbose", action="store_true", help="list each article's misses and extras"
        )
        parser.add_argument(
            "--speed",
            action="store_true",
            help="also time model loading and extraction of the reference page, and report memory",
        )

    def handle(self, *args: Any, gold: str, verbose: bool, speed: bool, **options: Any) -> None:
        vocabulary_ensure()
        if speed:
            self.stdout.write(_speed_report())
        report = quality_report(extraction_vocabulary(with_corrections=False), Path(gold))
        self.stdout.write(_table(report.totals))
        if not verbose:
            return
        for name, scores in report.articles:
            self.stdout.write(f"\n## {name}")
            self.stdout.write(_table(scores))
            for category in CATEGORIES:
                score = scores[category]
                for miss in score.misses:
                    self.stdout.write(f"  missed {category}: {miss}")
                for extra in score.extras:
                    self.stdout.write(f"  extra  {category}: {extra}")


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux; 0 elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def _speed_report(repeats: int = 5) -> str:
    from vestnik.insights.extractors.natasha import analyzer, is_loaded
    from vestnik.insights.extractors.pipeline import extract
    from vestnik.insights.quality import gold_articles, gold_units

    reference = next(g for g in gold_articles() if g.name == "reference_page")
    units, _ = gold_units(reference)
    vocabulary = extraction_vocabulary(with_corrections=False)
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


def _table(scores: dict[str, Score]) -> str:
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
