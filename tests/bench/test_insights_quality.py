"""bench/insights_quality.py: the scores it computes and the report it prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import TestCase

from bench.insights_quality import GOLD_DIR, ROOT, gold_articles, quality_report, report_text
from vestnik.insights.selectors import extraction_vocabulary
from vestnik.vocabulary.terms import vocabulary_ensure


class QualityBenchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        vocabulary_ensure()

    def test_scores_the_reference_page_and_prints_its_misses(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            shutil.copy(GOLD_DIR / "reference_page.json", Path(directory))
            (gold,) = gold_articles(Path(directory))
            report = quality_report(extraction_vocabulary(with_corrections=False), Path(directory))

        self.assertEqual([name for name, _ in report.articles], ["reference_page"])
        for category in ("countries", "dates"):
            with self.subTest(category=category):
                score = report.totals[category]
                self.assertEqual(
                    score.true_positives + score.false_negatives, len(gold.data[category])
                )
                self.assertEqual((score.precision, score.recall), (1.0, 1.0), score.misses)
        text = report_text(report, verbose=True)
        self.assertIn("| category | gold | found | correct | precision | recall |", text)
        self.assertIn("## reference_page", text)

    def test_runs_as_a_script(self) -> None:
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "insights_quality.py"), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--verbose", result.stdout)
