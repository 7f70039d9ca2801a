"""The rich tables of ``summariser eval``: the scores of a gold set, of a benchmark, against a baseline."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ..evaluation import Comparison, DatasetReport, GoldReport
from ..evaluation.dataset import ROUGE_KEYS
from .sanitise import line

__all__ = ["PIPED_MAX_WIDTH", "comparison_table", "dataset_tables", "gold_tables", "score"]

_log = logging.getLogger(__name__)

#: The most columns piped output widens to for the per-briefing table (its names are not cut).
PIPED_MAX_WIDTH = 240


def score(value: float | None) -> str:
    """A score as the tables show it: three decimals, or a dash for none."""
    return "–" if value is None else f"{value:.3f}"


def gold_tables(out: Console, report: GoldReport) -> None:
    """The tables of a gold evaluation: list fields, texts and scalars, one row per briefing."""
    n = len(report.briefings)
    lists = Table(title=f"List fields ({n} briefings, micro-averaged, pairing threshold {report.threshold:g})")
    for column in ("field", "P", "R", "F1", "paired / gold / pred", "attributes (accuracy)"):
        lists.add_column(column, justify="left" if column in {"field", "attributes (accuracy)"} else "right")
    for name, agg in report.lists.items():
        attrs = ", ".join(f"{a} {score(s.accuracy)} ({s.correct}/{s.total})" for a, s in agg.attributes.items())
        paired = f"{agg.matched} / {agg.gold} / {agg.pred}"
        lists.add_row(name, score(agg.precision), score(agg.recall), score(agg.f1), paired, attrs)
    out.print(lists)
    texts = Table(title="Texts (mean ROUGE F1; R-L is Lsum for bullets) and scalars")
    for column in ("field", "R-1", "R-2", "R-L", "other"):
        texts.add_column(column, justify="left" if column in {"field", "other"} else "right")
    for name, t in report.texts.items():
        values = list(t.rouge.values())
        other = f"gold facts covered {score(t.fact_coverage)}" if t.fact_coverage is not None else ""
        texts.add_row(name, *(score(v) for v in values), other)
    for name, s in report.scalars.items():
        texts.add_row(name, "", "", "", f"exact after normalisation {score(s.accuracy)} ({s.correct}/{s.total})")
    out.print(texts)
    per = Table(title="Per briefing (list fields: F1)")
    short = {"organisations": "orgs"}
    columns = ["briefing", "valid", "grounding", "names in source", *(short.get(f, f) for f in report.lists)]
    # A briefing's name is how a reader finds it: one too long for the table folds onto a second
    # line rather than being cut short.
    per.add_column("briefing", justify="left", overflow="fold")
    for column in (*columns[1:], "summary R-L", "facts"):
        per.add_column(column, justify="right")
    for b in report.briefings:
        found = (
            "n/a" if b.names_checked is None else f"{b.names_checked - len(b.names_not_in_source)}/{b.names_checked}"
        )
        summary = b.texts["summary"]
        per.add_row(
            b.name,
            "yes" if b.valid else line(("NO", "red")),
            score(b.grounding_rate),
            found,
            *(score(b.lists[f].f1) for f in report.lists),
            score(summary.rouge.get("rougeLsum")),
            score(summary.fact_coverage),
        )
    if not out.is_terminal:  # piped: as wide as the table needs (no terminal to fit), so no name folds
        needed = Measurement.get(out, out.options.update_width(PIPED_MAX_WIDTH), per).maximum
        out.width = max(out.width, needed)
    out.print(per)
    for b in report.briefings:
        if not b.valid:
            out.print(f"{b.name} is not a valid briefing: " + "; ".join(b.errors), highlight=False, markup=False)
        if b.names_not_in_source:
            names = ", ".join(b.names_not_in_source)
            out.print(f"{b.name}: names not in the source text: {names}", highlight=False, markup=False)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def dataset_tables(out: Console, report: DatasetReport) -> None:
    """The summary benchmark beside Lead-3, and the articles that failed."""
    n = len(report.articles)
    table = Table(
        title="Summary benchmark (ROUGE F1 × 100)",
        caption=f"{Path(report.dataset).name}: {n} articles, {report.failures} failed",
    )
    for column in ("system", "articles", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum"):
        table.add_column(column, justify="left" if column == "system" else "right")
    if report.scored:
        table.add_row(report.model or "model", str(report.scored), *(_pct(report.model_rouge[k]) for k in ROUGE_KEYS))
        table.add_row("Lead-3, same articles", str(report.scored), *(_pct(report.lead3_rouge[k]) for k in ROUGE_KEYS))
    if report.failures:
        table.add_row("Lead-3, all articles read", str(n), *(_pct(report.lead3_all_rouge[k]) for k in ROUGE_KEYS))
    out.print(table)
    for article in report.articles:
        if not article.ok:
            out.print(f"failed: {article.id}: {article.error}", highlight=False, markup=False)
            if article.error_details:  # shown with --debug (the debug log); in --json always
                _log.debug("%s: %s", article.id, json.dumps(article.error_details, ensure_ascii=False))


def comparison_table(out: Console, rows: list[Comparison], path: Path | None) -> None:
    """Every score against the baseline at ``path``, regressions flagged."""
    table = Table(title=f"Against baseline {path}")
    for column in ("metric", "baseline", "now", "change", ""):
        table.add_column(column, justify="left" if column in {"metric", ""} else "right")
    for r in rows:
        delta = "" if r.delta is None else f"{r.delta:+.3f}"
        flag = line(("REGRESSED", "red")) if r.regressed else ""
        table.add_row(r.metric, score(r.baseline), score(r.current), delta, flag)
    out.print(table)
