"""Baselines and the regression gate.

``--save-baseline FILE`` stores a run's ``metrics`` (every gated score, in [0, 1], higher is
better) as JSON; ``--baseline FILE --max-drop 0.02`` compares a later run with it and fails
when any score fell by more than the margin. A score that is not applicable in one of the
two runs (None, e.g. no grounding report) is shown but not gated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summariser.atomic import write_atomic
from summariser.errors import InputError, SummariserError, first_validation_error
from summariser.evaluation.models import Baseline, DatasetReport, GoldReport
from summariser.files import read_text_bounded

__all__ = [
    "DEFAULT_MAX_DROP",
    "MAX_BASELINE_BYTES",
    "Comparison",
    "RegressionError",
    "baseline_items",
    "compare",
    "gate",
    "load_baseline",
    "save_baseline",
]

#: How much a score may fall below its baseline before the gate fails.
DEFAULT_MAX_DROP = 0.02
#: The largest baseline file read: a few dozen metrics and the names of what was scored (a
#: gold name or dataset id each, tens of bytes) — 16 MB holds 100,000 of them with room to spare.
MAX_BASELINE_BYTES = 16 * 2**20
#: Floating-point slack: a drop of exactly the margin passes.
_EPSILON = 1e-9


class RegressionError(SummariserError):
    """A score fell below its baseline by more than the allowed margin."""

    exit_code = 1


@dataclass(frozen=True)
class Comparison:
    """One metric of the baseline beside the current run."""

    metric: str
    baseline: float | None
    current: float | None
    regressed: bool

    @property
    def delta(self) -> float | None:
        """``current - baseline``, or None if either is missing."""
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


def baseline_items(report: GoldReport | DatasetReport) -> list[str]:
    """What a report scored: the gold briefings' names or the dataset's article ids."""
    if isinstance(report, GoldReport):
        return [b.name for b in report.briefings]
    return [a.id for a in report.articles]


def save_baseline(report: GoldReport | DatasetReport, path: Path) -> None:
    """Store the report's metrics (and what was scored) as a baseline file, atomically."""
    baseline = Baseline(kind=report.kind, model=report.model, items=baseline_items(report), metrics=report.metrics)
    write_atomic(path, baseline.model_dump_json(indent=2) + "\n")


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file written by ``--save-baseline``; anything else is an `InputError`.

    The file is read bounded (`summariser.files`): a regular file of at most `MAX_BASELINE_BYTES`.
    """
    fix = "pass a file written by `summariser eval --save-baseline FILE`"
    if not path.exists():
        raise InputError(f"baseline {path} does not exist; {fix}")
    raw = read_text_bounded(path, what="baseline", limit=MAX_BASELINE_BYTES, error=InputError, too_big=fix)
    try:
        json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(f"baseline {path} is not valid JSON ({err.msg}, line {err.lineno}); {fix}") from None
    except (ValueError, RecursionError) as err:  # nested too deeply, an integer too long
        detail = " ".join(str(err).split())[:80]
        raise InputError(f"baseline {path} cannot be read as JSON ({detail}); {fix}") from None
    try:
        return Baseline.model_validate_json(raw)
    except ValidationError as err:
        raise InputError(f"{path} is not a summariser eval baseline ({first_validation_error(err)}); {fix}") from None


def compare(report: GoldReport | DatasetReport, baseline: Baseline, max_drop: float) -> list[Comparison]:
    """Every metric of the baseline beside the current run; ``regressed`` when it fell by more than ``max_drop``."""
    if baseline.kind != report.kind:
        raise InputError(
            f"the baseline is from a --{baseline.kind} run and this is a --{report.kind} run; "
            "compare like with like (save a baseline from this kind of run)"
        )
    rows = []
    for metric in sorted(baseline.metrics.keys() | report.metrics.keys()):
        before, now = baseline.metrics.get(metric), report.metrics.get(metric)
        regressed = before is not None and now is not None and before - now > max_drop + _EPSILON
        rows.append(Comparison(metric, before, now, regressed))
    return rows


def gate(rows: list[Comparison], max_drop: float, baseline_path: Path) -> None:
    """Raise `RegressionError` naming every metric that fell by more than ``max_drop``."""
    failed = [r for r in rows if r.regressed]
    if not failed:
        return
    detail = ", ".join(f"{r.metric} {r.baseline:.3f} → {r.current:.3f} ({r.delta:+.3f})" for r in failed)
    raise RegressionError(
        f"regression against baseline {baseline_path} (more than {max_drop:g} below it): {detail}; "
        "fix the change, or re-save the baseline with --save-baseline if the drop is intended"
    )
