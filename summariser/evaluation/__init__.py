"""Evaluation: score briefings against gold JSON field by field, gate on a baseline, benchmark summaries.

Deterministic by construction — no model judges anything here. Its rooms:

* `scoring` — similarity, pairing, phrases, text scores (ROUGE, gold-fact coverage) and one briefing
  against its gold (`scoring.briefing`), with aggregates over briefings; a grouping of articles into
  events against gold groups (`scoring.clusters`: B-cubed, pairwise);
* `gold` — gold sets on disk (`gold.sets`), ``gold check`` (`gold.check`), ``gold init`` (`gold.start`);
* `reports` — the per-field diff page (`reports.html`) and its chart;
* the root — `models` (the results), `baseline` (stored scores and the regression gate), `dataset`
  (the reference-summary benchmark beside Lead-3), `ner_baseline` (spaCy alone: the entity baseline).

This package never imports the CLI framework; ``summariser.cli.eval_tables`` draws its tables.
"""

from __future__ import annotations

from summariser.evaluation.baseline import (
    DEFAULT_MAX_DROP,
    Comparison,
    RegressionError,
    baseline_items,
    compare,
    gate,
    load_baseline,
    save_baseline,
)
from summariser.evaluation.dataset import lead3, read_dataset, run_dataset
from summariser.evaluation.gold.check import Problem, check_gold
from summariser.evaluation.gold.sets import evaluate, generate_predictions, load_gold, load_predictions
from summariser.evaluation.gold.start import InitReport, init_gold
from summariser.evaluation.models import Baseline, BriefingScore, DatasetReport, GoldReport
from summariser.evaluation.reports.html import render_html, write_html
from summariser.evaluation.scoring.briefing import DEFAULT_THRESHOLD, score_briefing

__all__ = [
    "DEFAULT_MAX_DROP",
    "DEFAULT_THRESHOLD",
    "Baseline",
    "BriefingScore",
    "Comparison",
    "DatasetReport",
    "GoldReport",
    "InitReport",
    "Problem",
    "RegressionError",
    "baseline_items",
    "check_gold",
    "compare",
    "evaluate",
    "gate",
    "generate_predictions",
    "init_gold",
    "lead3",
    "load_baseline",
    "load_gold",
    "load_predictions",
    "read_dataset",
    "render_html",
    "run_dataset",
    "save_baseline",
    "score_briefing",
    "write_html",
]
