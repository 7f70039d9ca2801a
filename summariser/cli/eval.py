"""The ``summariser eval`` command: option handling and progress (its tables: `eval_tables`).

Scoring lives in `summariser.evaluation` (no CLI framework there); this module only turns
options into calls and results into tables, JSON and HTML.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .. import progress
from ..atomic import write_atomic
from ..config import Settings, load_settings_from_flags
from ..errors import ConfigError
from ..evaluation import (
    DEFAULT_MAX_DROP,
    DEFAULT_THRESHOLD,
    Baseline,
    Comparison,
    DatasetReport,
    GoldReport,
    baseline_items,
    compare,
    evaluate,
    gate,
    generate_predictions,
    load_baseline,
    load_gold,
    load_predictions,
    run_dataset,
    save_baseline,
    write_html,
)
from ..evaluation.gold.sets import GoldItem
from ..evaluation.models import DatasetArticle
from ..evaluation.scoring.pairing import MAX_PAIRED_ITEMS
from ..llm import CacheMode
from .eval_tables import comparison_table, dataset_tables, gold_tables
from .options import AllowUnreviewed, JsonFile, Model, NoCache, Refresh, Timeout, cache_mode, html_page
from .sanitise import SafeConsole, data, status, stderr_console

__all__ = ["EPILOG", "eval_command"]

err_console = stderr_console(soft_wrap=True)  # progress lines stay whole in logs
#: The width of piped output (the per-briefing table may widen it: `eval_tables.PIPED_MAX_WIDTH`).
PIPED_WIDTH = 120

EPILOG = (
    "Examples: summariser eval --gold gold/ --pred briefings/ --html diff.html · "
    "summariser eval --gold gold/ --save-baseline baseline.json · "
    "summariser eval --gold gold/ --baseline baseline.json --max-drop 0.02 · "
    "summariser eval --dataset ../shared/eval-data/frank_cnndm_dev.jsonl --limit 30"
)


def _check_options(
    gold: Path | None,
    dataset: Path | None,
    pred: Path | None,
    model: str | None,
    limit: int | None,
    html: Path | None,
    save_pred: Path | None,
    threshold: float,
    max_drop: float,
    no_cache: bool,
    refresh: bool,
) -> CacheMode | None:
    """Refuse options that do not go together; return the cache mode the flags ask for."""
    if (gold is None) == (dataset is None):
        raise ConfigError("pass exactly one of --gold DIR (score briefings) or --dataset FILE (summary benchmark)")
    if not 0 < threshold <= 1:
        raise ConfigError(f"--threshold must be in (0, 1], not {threshold:g}")
    if max_drop < 0:
        raise ConfigError(f"--max-drop must be 0 or more, not {max_drop:g}")
    cache = cache_mode(no_cache, refresh)
    if dataset is not None:
        for flag, value in (("--pred", pred), ("--html", html), ("--save-pred", save_pred)):
            if value is not None:
                raise ConfigError(f"{flag} applies to --gold runs; drop it with --dataset")
    else:
        if limit is not None:
            raise ConfigError("--limit applies to --dataset runs; drop it with --gold")
        if pred is not None and (model is not None or save_pred is not None):
            raise ConfigError("--model and --save-pred brief the gold articles on the fly; drop them with --pred")
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be at least 1, not {limit}")
    return cache


def eval_command(
    gold: Annotated[Path | None, typer.Option("--gold", help="Folder of gold NAME.json briefings.")] = None,
    pred: Annotated[
        Path | None,
        typer.Option("--pred", help="Folder of predicted NAME.json briefings (omit to brief gold/sources.yaml now)."),
    ] = None,
    model: Model = None,
    dataset: Annotated[
        Path | None, typer.Option("--dataset", help="JSON Lines of {id, article, reference}: summary benchmark.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N dataset articles.")] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Similarity at which list items pair up.")
    ] = DEFAULT_THRESHOLD,
    json_out: JsonFile = None,
    html: Annotated[Path | None, html_page("Write the per-field diff page here.")] = None,
    save_pred: Annotated[
        Path | None, typer.Option("--save-pred", help="Also write the briefings made on the fly to this folder.")
    ] = None,
    save_baseline_to: Annotated[
        Path | None, typer.Option("--save-baseline", help="Store the scores as a baseline file.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Compare with this baseline; fail on a regression.")
    ] = None,
    max_drop: Annotated[
        float, typer.Option("--max-drop", help="Largest allowed fall of any score below the baseline.")
    ] = DEFAULT_MAX_DROP,
    allow_unreviewed: AllowUnreviewed = False,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    timeout: Timeout = None,
) -> None:
    """Score briefings against gold JSON field by field, or benchmark summaries beside Lead-3.

    Deterministic: the same inputs always give the same scores. With --baseline it exits
    non-zero, naming the fields, when any score fell by more than --max-drop.
    """
    cache = _check_options(gold, dataset, pred, model, limit, html, save_pred, threshold, max_drop, no_cache, refresh)
    stored = load_baseline(baseline) if baseline is not None else None  # fail fast, before any model work
    width = None if sys.stdout.isatty() else PIPED_WIDTH  # piped: a fixed width (`gold_tables` may widen it)
    out: Console = (
        stderr_console(width=None if sys.stderr.isatty() else PIPED_WIDTH)
        if json_out == "-"
        else SafeConsole(width=width)
    )
    report: GoldReport | DatasetReport
    items: list[GoldItem] = []
    raw: dict[str, bytes] = {}
    if gold is not None:
        items = load_gold(gold, allow_unreviewed=allow_unreviewed)
        settings = load_settings_from_flags(model=model, cache=cache, timeout=timeout) if pred is None else None
        raw = _predictions(gold, items, pred, settings, save_pred)
        report = evaluate(gold, raw, items, threshold=threshold, pred_dir=pred, model=None)
        gold_tables(out, report)
        _warn_over_limit(report)
    else:
        assert dataset is not None
        settings = load_settings_from_flags(model=model, cache=cache, timeout=timeout)
        report = run_dataset(dataset, settings, limit=limit, on_article=_dataset_progress)
        dataset_tables(out, report)
    rows = _against_baseline(out, report, stored, max_drop, baseline)
    _write_outputs(report, json_out, html, rows, items, raw)
    if baseline is not None:
        gate(rows, max_drop, baseline)
    if save_baseline_to is not None:
        save_baseline(report, save_baseline_to)
        err_console.print(f"wrote baseline {save_baseline_to}")


def _predictions(
    gold: Path, items: list[GoldItem], pred: Path | None, settings: Settings | None, save_to: Path | None
) -> dict[str, bytes]:
    """The predicted briefing of each gold item: read from ``pred``, or briefed now with ``settings``."""
    if pred is not None:
        return load_predictions(pred, items)
    assert settings is not None
    with err_console.status("briefing the gold articles…") as shown:
        quiet = not err_console.is_terminal
        with progress.listen(lambda event: None if quiet else shown.update(status(event))):
            return generate_predictions(
                items, gold, settings, save_to=save_to, on_item=lambda n: _note(f"briefing {n}")
            )


def _against_baseline(
    out: Console, report: GoldReport | DatasetReport, stored: Baseline | None, max_drop: float, path: Path | None
) -> list[Comparison]:
    """Every score against the ``stored`` baseline (none: no rows), as a table; a warning if it scored other items."""
    if stored is None:
        return []
    rows = compare(report, stored, max_drop)
    if stored.items != baseline_items(report):
        err_console.print(
            f"warning: the baseline scored {len(stored.items)} items and this run {len(baseline_items(report))} "
            "different ones; the scores may not be comparable",
            highlight=False,
        )
    if rows:
        comparison_table(out, rows, path)
    return rows


def _write_outputs(
    report: GoldReport | DatasetReport,
    json_out: str | None,
    html: Path | None,
    rows: list[Comparison],
    items: list[GoldItem],
    raw: dict[str, bytes],
) -> None:
    """``--json`` (a file, or ``-``: stdout) and ``--html`` (the per-field diff page of a gold run, with the
    review page of each gold item beside its prediction, ``raw``)."""
    if json_out == "-":
        sys.stdout.write(data(report.model_dump_json(indent=2) + "\n", is_json=True))
    elif json_out is not None:
        write_atomic(Path(json_out), report.model_dump_json(indent=2) + "\n")
        err_console.print(f"wrote {json_out}")
    if html is not None and isinstance(report, GoldReport):
        write_html(report, html, rows, {g.name: (g.briefing, raw[g.name]) for g in items})
        err_console.print(f"wrote {html} (and the review pages it links to, in {html.stem}-pages/)")


def _warn_over_limit(report: GoldReport) -> None:
    """One line per list too long to pair in full (`MAX_PAIRED_ITEMS`): the scores count its excess as unpaired."""
    for b in report.briefings:
        for name, field in b.lists.items():
            if max(field.gold, field.pred) > MAX_PAIRED_ITEMS:
                err_console.print(
                    f"warning: {b.name}: {name} has {field.gold} gold and {field.pred} predicted items; only the "
                    f"first {MAX_PAIRED_ITEMS} of each were paired, the rest count as missing or extra",
                    highlight=False,
                )


def _note(message: str) -> None:
    if not err_console.is_terminal:
        err_console.print(message, highlight=False)


def _dataset_progress(index: int, total: int, result: DatasetArticle | None, article_id: str) -> None:
    if result is None:
        err_console.print(f"[{index + 1}/{total}] {article_id} …", highlight=False)
        return
    if result.ok:
        scores = " ".join(f"{k} {100 * v:.1f}" for k, v in result.model.items())
        status = f"ok in {result.seconds:.0f} s: {scores}"
    else:
        status = f"FAILED in {result.seconds:.0f} s: {result.error}"
    err_console.print(f"[{index + 1}/{total}] {article_id} {status}", highlight=False, markup=False)
