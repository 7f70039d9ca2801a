"""The result of a build (`run.run`): one `Outcome` per briefing, the run's counts, and `report_json` for scripts.

Kept apart from the build so that what a run says about itself — built, failed, left for
the next run by the token budget, the usage of every briefing it started — is one small
contract the CLI, the batch rounds and scripts read, whatever the build does inside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..schemas import Usage

__all__ = ["Outcome", "RunReport", "report_json"]


@dataclass
class Outcome:
    """How building one briefing went."""

    name: str
    ok: bool
    detail: str
    seconds: float
    usage: Usage = field(default_factory=Usage)
    left: bool = False
    """Not built because the token budget was reached: left for the next run (``ok`` is False)."""
    error: dict[str, Any] | None = None
    """The failure as data (`SummariserError.as_dict`: kind, message, exit code, details); None for a bug."""


@dataclass
class RunReport:
    """The result of a run: one outcome per briefing it was to build, plus the unchanged count."""

    outcomes: list[Outcome] = field(default_factory=list)
    unchanged: int = 0
    orphans: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    """Inputs skipped when the folder was read (a link to outside the articles folder), one line each."""
    budget: int | None = None
    """The run's token budget (``max_tokens_total``); None = no limit."""
    spent: int = 0
    """Tokens the budget was charged (every request that reached the model); 0 without a budget."""
    worst_cases: int = 0
    """Requests the budget charged their reserved worst case (no answer, or no believable usage)."""
    usage: Usage = field(default_factory=Usage)
    """Requests, cache hits and tokens of every briefing the run started: built, failed or left."""

    @property
    def failed(self) -> list[Outcome]:
        """Briefings that could not be built (not those the token budget left for the next run)."""
        return [o for o in self.outcomes if not o.ok and not o.left]

    @property
    def left(self) -> list[Outcome]:
        """Briefings the token budget stopped: not built, to be built by the next run."""
        return [o for o in self.outcomes if o.left]

    def add(self, usage: Usage) -> None:
        """Count one briefing's requests in `usage` (not thread-safe: `run` holds a lock)."""
        for key in ("requests", "cache_hits", "prompt_tokens", "completion_tokens"):
            setattr(self.usage, key, getattr(self.usage, key) + getattr(usage, key))


def report_json(report: RunReport) -> str:
    """The run's summary as JSON (for scripts): ``failed`` names each failure's reason, ``errors`` holds its data."""
    return json.dumps(
        {
            "built": sum(1 for o in report.outcomes if o.ok),
            "unchanged": report.unchanged,
            "failed": {o.name: o.detail for o in report.failed},
            "errors": {o.name: o.error for o in report.failed if o.error is not None},
            "left": [o.name for o in report.left],
            "budget": None
            if report.budget is None
            else {"limit": report.budget, "spent": report.spent, "charged_worst_case": report.worst_cases},
            "orphans": report.orphans,
            "warnings": report.warnings,
            "usage": report.usage.model_dump(),
            "seconds": round(report.seconds, 3),
        },
        indent=1,
    )
