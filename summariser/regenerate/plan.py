"""The plan: per briefing, whether it must be (re)built and why; orphans and pruning; `RunPlan`.

`plan` compares the inputs' SHA-256 and the run's settings with the manifest
(`summariser.regenerate.manifest`): new, inputs changed, prompt versions changed, schema
version changed, model changed, output files missing, or forced. An input whose size,
mtime, ctime and inode are those the manifest recorded is not read again
(`summariser.regenerate.manifest.input_state`), so a re-run with nothing changed costs a
``stat`` per article, not a hash; the stats it records anew are kept in the manifest.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import remove
from ..brief import prompts
from ..config import Settings
from ..llm import resolve
from ..schemas import SCHEMA_VERSION
from .cost import PlanEstimate
from .history import history_files
from .jobs import Job
from .manifest import Entry, InputStat, Manifest, input_state, save_manifest
from .paths import article_path, inside, is_reserved, outputs

__all__ = ["Planned", "RunPlan", "dry_run_lines", "orphans", "outputs", "plan", "prune"]


@dataclass
class Planned:
    """A job with its current input hashes and why it must be built (None: unchanged)."""

    job: Job
    hashes: dict[str, str]
    reason: str | None
    stats: dict[str, InputStat] = field(default_factory=dict)
    """Each input's stat when its hash was taken (`summariser.regenerate.manifest.InputStat`)."""


def _inputs(articles: Path, job: Job, old: Entry | None) -> tuple[dict[str, str], dict[str, InputStat]]:
    """The SHA-256 and stat of every input of ``job``; unchanged files (by their stat) are not read."""
    hashes, stats = {}, {}
    for f in job.inputs:
        known, recorded = (old.inputs.get(f), old.stats.get(f)) if old is not None else (None, None)
        hashes[f], stats[f] = input_state(article_path(articles, f), known, recorded)
    return hashes, stats


def plan(
    jobs: Sequence[Job], articles: Path, out: Path, manifest: Manifest, settings: Settings, *, force: bool = False
) -> list[Planned]:
    """Decide for every job whether it must be built, and why.

    The entry of an unchanged briefing whose inputs' stats changed (a copied or touched
    folder) is replaced in ``manifest`` (in memory) by one with the new stats; the run saves it.
    """
    model = resolve(settings.model, settings.api_key).label
    versions = prompts.versions()
    root = str(out)
    planned = []
    for job in jobs:
        old = manifest.briefings.get(job.name)
        hashes, stats = _inputs(articles, job, old)
        if old is not None and old.inputs == hashes and old.stats != stats:
            manifest.briefings[job.name] = old = old.model_copy(update={"stats": stats})
        reason: str | None
        if force:
            reason = "forced"
        elif old is None:
            reason = "new"
        elif old.inputs != hashes:
            changed = sorted(set(old.inputs.items()) ^ set(hashes.items()))
            reason = "inputs changed: " + ", ".join(sorted({f for f, _ in changed}))
        elif old.prompts != versions:
            diff = sorted(k for k in versions.keys() | old.prompts.keys() if versions.get(k) != old.prompts.get(k))
            reason = "prompt versions changed: " + ", ".join(
                f"{k} {old.prompts.get(k, '-')}→{versions.get(k, '-')}" for k in diff
            )
        elif old.schema_version != SCHEMA_VERSION:
            reason = f"schema version changed: {old.schema_version}→{SCHEMA_VERSION}"
        elif old.model != model:
            reason = f"model changed: {old.model}→{model}"
        elif missing := [f for f in old.files if not os.path.exists(os.path.join(root, f))]:
            reason = f"output missing: {missing[0]}"
        else:
            reason = None
        planned.append(Planned(job, hashes, reason, stats))
    return planned


def orphans(jobs: Sequence[Job], manifest: Manifest) -> list[str]:
    """Briefings in the manifest whose articles (or group) are gone."""
    names = {j.name for j in jobs}
    return sorted(n for n in manifest.briefings if n not in names)


def prune(out: Path, manifest: Manifest, names: Sequence[str]) -> None:
    """Delete the files, kept earlier versions (`history`) and manifest entries of ``names``.

    Every file is checked first (`paths.inside`): one that is not inside ``out`` — ``../x``, an
    absolute path, a path through a link to elsewhere — refuses the prune before anything is
    deleted. The folder's own files (`paths.RESERVED`) are never deleted, links are removed
    (never their targets), and folders are left alone.
    """
    fix = "nothing was deleted; remove that entry from the manifest or move the manifest away"
    doomed = [inside(out, f, fix=fix) for name in names for f in manifest.briefings[name].files if not is_reserved(f)]
    doomed += [inside(out, f, fix=fix) for name in names for f in history_files(out, name).values()]
    for path in doomed:
        if path.is_symlink() or path.is_file():
            remove(path)  # while the folder is still the one locked (`summariser.regenerate.lock`)
    for name in names:
        del manifest.briefings[name]
    save_manifest(out, manifest)


def dry_run_lines(planned: Sequence[Planned]) -> list[str]:
    """What a run would do, one line per briefing."""
    return [f"{'build' if p.reason else 'keep '}  {p.job.name}  ({p.reason or 'unchanged'})" for p in planned]


@dataclass
class RunPlan:
    """What a run does: every job with the reason it is built (None: unchanged), and the orphans."""

    planned: list[Planned]
    orphans: list[str]
    """Briefings whose articles are gone, kept (``prune`` deletes them)."""
    pruned: list[str] = field(default_factory=list)
    """Briefings this run deleted because their articles are gone."""
    warnings: list[str] = field(default_factory=list)
    """Inputs skipped when the articles folder was read (links to outside it), one line each."""
    estimate: PlanEstimate | None = None
    """The tokens the briefings to build would spend at most (a dry run's; None: not estimated)."""

    @property
    def todo(self) -> list[Planned]:
        """The jobs that will be built."""
        return [p for p in self.planned if p.reason]

    def lines(self) -> list[str]:
        """One line per briefing (build or keep, and why), then one per orphan."""
        lines = dry_run_lines(self.planned)
        if self.estimate is not None:
            problems = {e.name: e.error for e in self.estimate.briefings if e.error}
            lines = [
                f"{line}  — would fail: {problems[p.job.name]}" if p.job.name in problems else line
                for p, line in zip(self.planned, lines, strict=True)
            ]
        return [*lines, *(f"orphan {name}  (its articles are gone)" for name in self.orphans)]

    def summary(self) -> str:
        """``N to build, M unchanged; estimated … (dry run: nothing written)``."""
        count = len(self.todo)
        head = f"{count} to build, {len(self.planned) - count} unchanged"
        if self.estimate is not None and count:
            head += f"; {self.estimate.text()}"
        return f"{head} (dry run: nothing written)"

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data: every briefing with its reason (and estimate), the orphans."""
        totals = self.estimate.as_dict() if self.estimate is not None else None
        estimates = {e["name"]: e for e in totals.pop("briefings")} if totals is not None else {}
        rows = []
        for p in self.planned:
            row: dict[str, Any] = {"name": p.job.name, "reason": p.reason}
            if p.job.name in estimates:
                row["estimate"] = {k: v for k, v in estimates[p.job.name].items() if k != "name"}
            rows.append(row)
        return {
            "build": len(self.todo),
            "unchanged": len(self.planned) - len(self.todo),
            "briefings": rows,
            "orphans": self.orphans,
            "warnings": self.warnings,
            "estimate": totals,
        }
