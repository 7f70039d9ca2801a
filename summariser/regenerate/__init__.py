"""Regenerate: keep a folder of briefings in step with a folder of articles, rebuilding only what changed.

Call `regenerate` (the whole run) or `dry_run` (its plan, nothing written)::

    from summariser.regenerate import regenerate
    report = regenerate("articles/", "briefings/", model="http://localhost:8000/v1#qwen")
    report.failed, report.orphans, report.usage, report.left  # left: stopped by max_tokens_total

The pieces:

* `folder` — `regenerate` and `dry_run`: option checks, grouping-file discovery, the folder
  lock, temp-file sweep, orphans and pruning, plan, build;
* `jobs` — which briefings the folder asks for: one per article, or per group of a grouping file;
* `plan` — what to rebuild and why, orphans and pruning, and `RunPlan`;
* `estimate` — the dry run's token estimate: the most each briefing to build would spend;
* `cost` — the estimate's figures (`Estimate`, `PlanEstimate`), which the plan shows;
* `run` — the concurrent build, held to the token budget (``max_tokens_total``) when there is one;
* `report` — what a build says about itself: `RunReport`, one `Outcome` per briefing, its JSON;
* `manifest` — what each briefing was built from;
* `lock` — the folder lock and the sweep of temporary files a killed run left;
* `paths` — path safety: every write and delete checked to be inside the briefings folder,
  articles read only from inside theirs, names that would be the folder's own files refused;
* `groups` — the grouping file, read with bounded memory (no aliases, strings only), with its lines;
* `auto_events` — ``--group-by event`` without a grouping file: the folder grouped by itself, online,
  kept across runs, an analyst's corrections (``grouping.yaml``) pinned;
* `event_state` — that grouping's state, ``grouping.sqlite``, stored as the manifest is;
* `batch` — ``batch=BatchOptions(...)``: the requests answered through the OpenAI Batch API
  first (`BatchOptions` and `BatchSummary` are imported from there on first use: openai's
  batch client is slow to import).

This package never imports the CLI framework; ``summariser.cli.regenerate`` draws the progress
bar and the summary table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .folder import GROUPS_FILES, GroupBy, RunPlan, dry_run, find_groups_file, regenerate
from .jobs import Job
from .plan import Planned
from .report import Outcome, RunReport

if TYPE_CHECKING:
    from .batch import BatchOptions, BatchSummary


def __getattr__(name: str) -> Any:
    if name in ("BatchOptions", "BatchSummary"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'summariser.regenerate' has no attribute {name!r}")


__all__ = [
    "GROUPS_FILES",
    "BatchOptions",
    "BatchSummary",
    "GroupBy",
    "Job",
    "Outcome",
    "Planned",
    "RunPlan",
    "RunReport",
    "dry_run",
    "find_groups_file",
    "regenerate",
]
