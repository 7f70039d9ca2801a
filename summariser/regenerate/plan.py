"""The plan: per briefing, whether it must be (re)built and why; orphans and pruning.

`plan` compares the inputs' SHA-256 and the run's settings with the manifest
(`summariser.regenerate.manifest`): new, inputs changed, prompt versions changed, schema
version changed, model changed, output files missing, or forced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..brief import prompts
from ..config import Settings
from ..llm.backends import resolve
from ..schemas import SCHEMA_VERSION
from .jobs import Job
from .manifest import Manifest, file_hash, save_manifest

__all__ = ["Planned", "dry_run_lines", "orphans", "outputs", "plan", "prune"]


@dataclass
class Planned:
    """A job with its current input hashes and why it must be built (None: unchanged)."""

    job: Job
    hashes: dict[str, str]
    reason: str | None



def outputs(name: str) -> list[str]:
    """The files a briefing is written to, relative to the briefings folder."""
    return [f"{name}.json", f"{name}.md", f"{name}.html"]


def plan(
    jobs: Sequence[Job], articles: Path, out: Path, manifest: Manifest, settings: Settings, *, force: bool = False
) -> list[Planned]:
    """Decide for every job whether it must be built, and why."""
    model = resolve(settings.model, settings.api_key).label
    versions = prompts.versions()
    planned = []
    for job in jobs:
        hashes = {f: file_hash(articles / f) for f in job.inputs}
        old = manifest.briefings.get(job.name)
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
        elif missing := [f for f in old.files if not (out / f).exists()]:
            reason = f"output missing: {missing[0]}"
        else:
            reason = None
        planned.append(Planned(job, hashes, reason))
    return planned


def orphans(jobs: Sequence[Job], manifest: Manifest) -> list[str]:
    """Briefings in the manifest whose articles (or group) are gone."""
    names = {j.name for j in jobs}
    return sorted(n for n in manifest.briefings if n not in names)


def prune(out: Path, manifest: Manifest, names: Sequence[str]) -> None:
    """Delete the files and manifest entries of ``names``."""
    for name in names:
        for f in manifest.briefings.pop(name).files:
            (out / f).unlink(missing_ok=True)
    save_manifest(out, manifest)


def dry_run_lines(planned: Sequence[Planned]) -> list[str]:
    """What a run would do, one line per briefing."""
    return [f"{'build' if p.reason else 'keep '}  {p.job.name}  ({p.reason or 'unchanged'})" for p in planned]
