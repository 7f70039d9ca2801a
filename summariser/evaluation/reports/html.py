"""The per-field diff page of a gold evaluation (``summariser eval --html FILE``).

One self-contained HTML file: the scores as a chart (inline SVG, `chart.score_chart`) and a
table, both beside the baseline when one was given, then for every briefing each field's
diff — paired items with their similarity, missing gold items, extra predictions, paired
items whose attributes are wrong (gold → predicted), the date and place, ROUGE of the texts
and which gold facts the summary covers.

Given the briefings, `write_html` also writes the review page of each gold and each
(valid) predicted briefing into ``STEM-pages/`` beside the diff page, and every missing,
extra and wrong item links to its item there (``NAME.gold.html#people-3``): the review
page's anchors are the field and the item's index, which the scores carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from summariser.atomic import write_atomic
from summariser.evaluation.baseline import Comparison
from summariser.evaluation.models import GoldReport
from summariser.evaluation.reports.chart import score_chart
from summariser.evaluation.scoring.briefing import parse_prediction
from summariser.output.index import href
from summariser.output.review import write_review
from summariser.schemas import Briefing

__all__ = ["Pages", "render_html", "write_html"]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Pages:
    """The links from the diff page to one briefing's review pages (None: that page was not written)."""

    gold: str | None = None
    pred: str | None = None


def render_html(
    report: GoldReport, comparison: Sequence[Comparison] = (), pages: Mapping[str, Pages] | None = None
) -> str:
    """The diff page of ``report`` (with the baseline comparison and review-page links, if any) as HTML."""
    rows = {c.metric: c for c in comparison}
    chart = score_chart(
        report.metrics,
        {m: c.baseline for m, c in rows.items()} if rows else None,
        frozenset(m for m, c in rows.items() if c.regressed),
    )
    env = Environment(loader=FileSystemLoader(_HERE), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("diff.html.j2").render(report=report, comparison=rows, chart=chart, pages=pages or {})


def _write_pages(path: Path, briefings: Mapping[str, tuple[Briefing, bytes]]) -> dict[str, Pages]:
    folder = path.parent / f"{path.stem}-pages"
    pages = {}
    for name, (gold, raw) in briefings.items():
        write_review(gold, folder / f"{name}.gold.html")
        pred, _ = parse_prediction(raw)
        if pred is not None:
            write_review(pred, folder / f"{name}.pred.html")
        pages[name] = Pages(
            href(f"{folder.name}/{name}.gold.html"), href(f"{folder.name}/{name}.pred.html") if pred else None
        )
    return pages


def write_html(
    report: GoldReport,
    path: Path,
    comparison: Sequence[Comparison] = (),
    briefings: Mapping[str, tuple[Briefing, bytes]] | None = None,
) -> None:
    """Write the diff page of ``report`` to ``path`` atomically; with ``briefings`` (name → gold, raw
    prediction), their review pages too, linked from the diff."""
    pages = _write_pages(path, briefings) if briefings else None
    write_atomic(path, render_html(report, comparison, pages))
