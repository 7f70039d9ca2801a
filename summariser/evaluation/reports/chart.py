"""The diff page's score chart: one horizontal bar per metric, this run beside the baseline's.

`score_chart` lays the bars out (plain numbers, no drawing library); the template draws
them as inline SVG, so the page keeps no external reference and every label passes through
the template's escaping. Scores are in [0, 1]; a metric that is not applicable (None) gets
no bar, only its label and "n/a".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Bar", "Chart", "score_chart"]

#: Pixels: the label column, the bar area (a score of 1), one row, and the margins.
LABEL_WIDTH = 230
BAR_WIDTH = 420
ROW = 22
TOP = 26


@dataclass(frozen=True)
class Bar:
    """One metric's row: its label, this run's score and the baseline's, as widths in pixels."""

    label: str
    y: int
    value: float | None
    baseline: float | None
    width: float
    baseline_width: float
    regressed: bool


@dataclass(frozen=True)
class Chart:
    """The chart's bars and size; ``ticks`` are the x positions of 0, .25, .5, .75 and 1."""

    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_width: int
    row: int
    top: int
    has_baseline: bool
    ticks: list[tuple[float, str]]


def _px(value: float | None) -> float:
    return 0.0 if value is None else round(max(0.0, min(1.0, value)) * BAR_WIDTH, 1)


def score_chart(
    metrics: Mapping[str, float | None],
    baseline: Mapping[str, float | None] | None = None,
    regressed: frozenset[str] = frozenset(),
) -> Chart:
    """Lay out one bar (and, with a baseline, a second one) per metric, in the order given."""
    bars = [
        Bar(
            label=name,
            y=TOP + i * ROW,
            value=value,
            baseline=baseline.get(name) if baseline else None,
            width=_px(value),
            baseline_width=_px(baseline.get(name)) if baseline else 0.0,
            regressed=name in regressed,
        )
        for i, (name, value) in enumerate(metrics.items())
    ]
    ticks = [(LABEL_WIDTH + t * BAR_WIDTH, f"{t:g}") for t in (0, 0.25, 0.5, 0.75, 1)]
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + 70,
        height=TOP + len(bars) * ROW + 10,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        row=ROW,
        top=TOP,
        has_baseline=baseline is not None,
        ticks=ticks,
    )
