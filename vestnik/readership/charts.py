"""A bar chart of counts per day, laid out on the server for an inline SVG (no script).

The geometry is computed here and drawn by a template
(`wagtailadmin/readership/bar_chart.html`): one bar per day, a y axis with
round steps, and a day label under every few bars so they never overlap. The
same numbers go into a table beside the chart; the picture is for the eye.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format

# The drawing's own units (the SVG scales to its box): room for the axis on the
# left and the day labels below.
WIDTH = 960
HEIGHT = 260
LEFT = 48
RIGHT = 8
TOP = 12
BOTTOM = 28
# Day labels at least this far apart, in drawing units.
LABEL_SPACING = 72
# Of each day's slot, the bar fills this share; the rest is the gap.
BAR_SHARE = 0.72


@dataclass(frozen=True)
class Bar:
    day: datetime.date
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DayLabel:
    text: str
    x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[DayLabel]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM


def nice_step(top: int, *, steps: int = 4) -> int:
    """A round step (1, 2 or 5 × 10ⁿ) that reaches `top` in at most `steps` steps."""
    if top <= steps:
        return 1
    raw = top / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover (the loop always returns)


def bar_chart(points: Sequence[tuple[datetime.date, int]]) -> BarChart:
    """One bar per (day, count), scaled to the largest count rounded up to a round step."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    largest = max((value for _, value in points), default=0)
    step = nice_step(largest)
    scale_top = max(step, math.ceil(largest / step) * step)
    slot = plot_width / max(len(points), 1)
    bar_width = slot * BAR_SHARE
    bars = []
    for index, (day, value) in enumerate(points):
        height = plot_height * value / scale_top
        bars.append(
            Bar(
                day=day,
                value=value,
                x=round(LEFT + index * slot + (slot - bar_width) / 2, 2),
                y=round(baseline - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
            )
        )
    ticks = [
        Tick(value=value, y=round(baseline - plot_height * value / scale_top, 2))
        for value in range(0, scale_top + 1, step)
    ]
    every = max(1, math.ceil(LABEL_SPACING / slot))
    labels = [
        DayLabel(text=date_format(day, "d.m"), x=round(LEFT + (index + 0.5) * slot, 2))
        for index, (day, _) in enumerate(points)
        if index % every == 0
    ]
    return BarChart(bars=bars, ticks=ticks, labels=labels)
