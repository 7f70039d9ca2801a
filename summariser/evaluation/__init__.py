"""Evaluation: score briefings against gold JSON field by field, gate on a baseline, benchmark summaries.

Deterministic by construction — no model judges anything here. The pieces:

* `similarity` — normalisation (case, accents, punctuation, titles, country aliases) and
  the similarity of list items and attributes;
* `pairing` — one-to-one optimal assignment of gold and predicted items, P/R/F1;
* `textscore` — ROUGE and gold-fact coverage (sentences split with
  `summariser.text.sentences.scoring_sentences`, pysbd);
* `scoring` — one briefing against its gold, and aggregates over briefings;
* `goldset` — gold folders, prediction folders, briefing gold articles on the fly;
* `goldcheck` — ``gold check``: schema, review mark, offsets and ``sources.yaml`` of a gold folder;
* `goldinit` — ``gold init``: unreviewed gold drafts from predicted briefings;
* `baseline` — stored scores and the regression gate;
* `htmlreport` — the per-field diff page;
* `dataset` — the reference-summary benchmark beside Lead-3.

This package never imports the CLI framework; ``summariser.cli.eval_tables`` draws its tables.
"""

from __future__ import annotations

from .baseline import (
    DEFAULT_MAX_DROP,
    Comparison,
    RegressionError,
    baseline_items,
    compare,
    gate,
    load_baseline,
    save_baseline,
)
from .dataset import lead3, read_dataset, run_dataset
from .goldcheck import Problem, check_gold
from .goldinit import InitReport, init_gold
from .goldset import evaluate, generate_predictions, load_gold, load_predictions
from .htmlreport import render_html, write_html
from .models import Baseline, BriefingScore, DatasetReport, GoldReport
from .scoring import DEFAULT_THRESHOLD, score_briefing

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
