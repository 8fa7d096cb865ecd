"""The server-drawn bar chart: round steps, one bar per day, labels that never overlap."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase
from django.utils import translation

from vestnik.readership.charts import HEIGHT, LABEL_SPACING, TOP, bar_chart, nice_step

DAY = datetime.date(2025, 11, 28)


def series(*values: int) -> list[tuple[datetime.date, int]]:
    return [(DAY + datetime.timedelta(days=n), value) for n, value in enumerate(values)]


class ChartTests(SimpleTestCase):
    def test_round_steps(self) -> None:
        cases = {0: 1, 3: 1, 5: 2, 9: 5, 40: 10, 41: 20, 230: 100, 1999: 500}
        self.assertEqual({top: nice_step(top) for top in cases}, cases)

    def test_one_bar_per_day_scaled_to_the_axis(self) -> None:
        chart = bar_chart(series(0, 10, 20, 40))
        self.assertEqual([bar.value for bar in chart.bars], [0, 10, 20, 40])
        self.assertEqual([bar.day for bar in chart.bars], [day for day, _ in series(0, 0, 0, 0)])
        # 40 sits on the axis's top line (steps of 10); 0 is a bar of no height on the baseline.
        self.assertEqual(chart.bars[3].y, TOP)
        self.assertEqual((chart.bars[0].height, chart.bars[0].y), (0, chart.baseline))
        self.assertAlmostEqual(chart.bars[1].height * 2, chart.bars[2].height, places=1)
        self.assertEqual([tick.value for tick in chart.ticks], [0, 10, 20, 30, 40])
        xs = [bar.x for bar in chart.bars]
        self.assertEqual(xs, sorted(xs))
        self.assertTrue(all(bar.y + bar.height <= HEIGHT for bar in chart.bars))

    def test_a_period_nobody_read_still_has_its_bars_and_an_axis(self) -> None:
        chart = bar_chart(series(*[0] * 7))
        self.assertEqual(len(chart.bars), 7)
        self.assertEqual([tick.value for tick in chart.ticks], [0, 1])

    def test_day_labels_are_spaced_and_dated_in_russian_order(self) -> None:
        with translation.override("ru"):
            chart = bar_chart(series(*range(30)))
        self.assertEqual(chart.labels[0].text, "28.11")
        gaps = [b.x - a.x for a, b in zip(chart.labels, chart.labels[1:], strict=False)]
        self.assertTrue(all(gap >= LABEL_SPACING for gap in gaps))
        self.assertGreater(len(chart.labels), 3)
