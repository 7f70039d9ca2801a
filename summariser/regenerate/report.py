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

__all__ = ["Outcome", "RunReport", "event_lines", "report_json"]


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
    news: str | None = None
    """A later version's update in a few words (`output.whats_new.news_line`); None for a first version."""


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
    joined: dict[str, list[str]] | None = None
    """A folder grouped by itself: event → the articles this run placed in it (None: not grouped so)."""
    moved: int = 0
    """A folder grouped by itself: articles the editable grouping file moved this run (an analyst's correction)."""

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


def event_work(report: RunReport) -> dict[str, dict[str, Any]]:
    """A folder grouped by itself: per event built, the articles that joined it and what its build asked.

    ``requests`` counts every request of its briefing; ``cache_hits`` those the response cache
    answered (the drafts of articles it already had); ``sent`` = the rest, which reached the model;
    ``news`` what its new version adds, in a few words (None: a first version).
    """
    if report.joined is None:
        return {}
    out = {}
    for o in report.outcomes:
        if o.ok:
            hits = o.usage.cache_hits
            out[o.name] = {
                "joined": report.joined.get(o.name, []),
                "requests": o.usage.requests,
                "cache_hits": hits,
                "sent": o.usage.requests - hits,
                "news": o.news,
            }
    return out


def event_lines(report: RunReport) -> list[tuple[str, str]]:
    """`event_work` as (event, what it cost) lines for the summary table."""
    lines = []
    for name, work in event_work(report).items():
        joined = work["joined"]
        what = f"+{len(joined)} new ({', '.join(joined[:3])}{', …' if len(joined) > 3 else ''}); " if joined else ""
        news = f"; {work['news']}" if work["news"] else ""
        lines.append(
            (name, f"{what}{work['sent']} requests sent to the model, {work['cache_hits']} from the cache{news}")
        )
    return lines


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
            **({"events": event_work(report), "moved": report.moved} if report.joined is not None else {}),
            "seconds": round(report.seconds, 3),
        },
        indent=1,
    )
