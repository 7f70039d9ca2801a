"""Keep a folder of briefings in step with a folder of articles.

`plan` decides, per briefing, whether it must be (re)built and why — new, inputs changed,
prompt versions changed, schema version changed, model changed, output files missing, or
forced — by comparing the inputs' SHA-256 and the run's settings with the manifest
(`summariser.regenerate.manifest`). `run` builds what the plan asks for: concurrently against an HTTP
endpoint (bounded by ``concurrency``), one briefing at a time on the embedded model (so the
requests of one article follow each other and llama.cpp reuses their shared prompt prefix).
Each briefing's JSON, Markdown and review page are written atomically, and the manifest at
most every `SAVE_EVERY` seconds and at the end: killing the run at any moment leaves every
briefing intact, and the next run resumes (rebuilding, from the response cache, at most the
briefings of the last second). A
failing briefing is reported with its reason and does not stop the others.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml

from ..brief import prompts
from ..config import Settings
from ..errors import InputError, SummariserError
from ..ingest.read import SUFFIXES
from ..llm.backends import resolve
from ..output.index import write_index
from ..output.render import to_json, to_markdown, write_atomic
from ..output.review import write_review
from ..schemas import SCHEMA_VERSION, Briefing, Usage
from .manifest import Entry, Manifest, file_hash, save_manifest

if TYPE_CHECKING:
    from ..llm.client import Wrapper

__all__ = ["Job", "Outcome", "Planned", "RunReport", "discover", "group_jobs", "plan", "run", "single_jobs"]


@dataclass(frozen=True)
class Job:
    """One briefing to keep in step: its name (output path stem) and its input files."""

    name: str
    inputs: tuple[str, ...]
    """Input files, relative to the articles folder (POSIX form)."""


@dataclass
class Planned:
    """A job with its current input hashes and why it must be built (None: unchanged)."""

    job: Job
    hashes: dict[str, str]
    reason: str | None


@dataclass
class Outcome:
    """How building one briefing went."""

    name: str
    ok: bool
    detail: str
    seconds: float
    usage: Usage = field(default_factory=Usage)


@dataclass
class RunReport:
    """The result of a run: one outcome per built briefing, plus the unchanged count."""

    outcomes: list[Outcome] = field(default_factory=list)
    unchanged: int = 0
    orphans: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        """Briefings that could not be built."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def usage(self) -> Usage:
        """Requests, cache hits and tokens summed over every built briefing."""
        total = Usage()
        for o in self.outcomes:
            for key in ("requests", "cache_hits", "prompt_tokens", "completion_tokens"):
                setattr(total, key, getattr(total, key) + getattr(o.usage, key))
        return total


# --------------------------------------------------------------------------- jobs


def discover(articles: Path) -> list[str]:
    """Article files under ``articles`` (recursively; hidden files and folders skipped), sorted."""
    if not articles.is_dir():
        raise InputError(f"{articles} is not a folder; pass the folder that holds the articles")
    found = [
        p.relative_to(articles).as_posix()
        for p in articles.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(articles).parts)
    ]
    return sorted(found)


def single_jobs(articles: Path) -> list[Job]:
    """One briefing per article file, named after the file (``world/strike.txt`` → ``world/strike``)."""
    files = discover(articles)
    jobs = [Job(str(PurePosixPath(f).with_suffix("")), (f,)) for f in files]
    names = [j.name for j in jobs]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise InputError(f"two articles would both be briefed as {clash[0]!r}; rename one of them")
    return jobs


def _safe_name(name: str, where: Path) -> str:
    parts = PurePosixPath(name).parts
    if not name or PurePosixPath(name).is_absolute() or ".." in parts or any(p.startswith(".") for p in parts):
        raise InputError(f"group name {name!r} in {where} is not a plain relative name; rename it")
    return str(PurePosixPath(name))


def group_jobs(articles: Path, groups_file: Path) -> list[Job]:
    """One merged briefing per group of ``groups_file`` (JSON or YAML: name → list of files).

    File paths are relative to the articles folder. Articles in no group get a briefing of
    their own, as with the default grouping.
    """
    try:
        data = yaml.safe_load(groups_file.read_text(encoding="utf-8"))  # YAML is a superset of JSON
    except (OSError, ValueError, yaml.YAMLError, RecursionError) as err:  # ValueError: bad UTF-8, a huge integer
        detail = " ".join(str(err).split())[:160] or "nested too deeply"
        raise InputError(
            f"cannot read the grouping file {groups_file}: {detail}; fix or pass another --groups"
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, list) and v for v in data.values()):
        raise InputError(f"{groups_file} must map each group name to a non-empty list of article files")
    known = set(discover(articles))
    jobs, grouped = [], set()
    for name, files in data.items():
        rel = [PurePosixPath(str(f)).as_posix() for f in files]
        missing = [f for f in rel if f not in known]
        if missing:
            raise InputError(
                f"group {name!r} in {groups_file} lists {missing[0]!r}, which is not an article in {articles}"
            )
        jobs.append(Job(_safe_name(str(name), groups_file), tuple(rel)))
        grouped.update(rel)
    taken = {j.name for j in jobs}
    for job in single_jobs(articles):
        if job.inputs[0] not in grouped:
            if job.name in taken:
                raise InputError(f"article {job.inputs[0]!r} and a group are both named {job.name!r}; rename one")
            jobs.append(job)
    return sorted(jobs, key=lambda j: j.name)


# --------------------------------------------------------------------------- plan


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


# --------------------------------------------------------------------------- run

#: Seconds between manifest saves while building. A killed run loses at most this much of
#: the manifest; those briefings are rebuilt next time, from the response cache.
SAVE_EVERY = 1.0

Event = Callable[[str, str, str], None]
"""``on_event(kind, name, detail)`` with kind ``start`` | ``built`` | ``failed``."""


def _write(out: Path, name: str, briefing: Briefing) -> None:
    json_file, md_file, html_file = (out / f for f in outputs(name))
    write_atomic(json_file, to_json(briefing))
    write_atomic(md_file, to_markdown(briefing))
    write_review(briefing, html_file)


def _entry(item: Planned, briefing: Briefing, model: str) -> Entry:
    return Entry(
        inputs=item.hashes,
        prompts=prompts.versions(),
        schema_version=SCHEMA_VERSION,
        model=model,
        files=outputs(item.job.name),
        headline=briefing.headline,
        event_date=briefing.event_date.isoformat() if briefing.event_date else None,
        sources=[s.title or s.path or s.doc_id for s in briefing.sources],
    )


async def run(
    planned: Sequence[Planned],
    articles: Path,
    out: Path,
    manifest: Manifest,
    settings: Settings,
    *,
    concurrency: int = 4,
    on_event: Event | None = None,
    wrap: Wrapper | None = None,
) -> RunReport:
    """Build every planned briefing that has a reason; save the manifest after each one.

    ``wrap`` goes in front of every client's cache (``--batch-api`` enforces its batches there).
    """
    from ..brief.pipeline import build as build_briefing  # openai + instructor: only when something is built

    spec = resolve(settings.model, settings.api_key)
    workers = 1 if spec.embedded is not None else max(1, concurrency)
    report = RunReport(unchanged=sum(1 for p in planned if p.reason is None))
    started = time.perf_counter()
    gate = asyncio.Semaphore(workers)
    loop = asyncio.get_running_loop()
    notify = on_event or (lambda kind, name, detail: None)

    async def build(item: Planned, pool: ThreadPoolExecutor) -> None:
        name = item.job.name
        async with gate:
            notify("start", name, item.reason or "")
            t0 = time.perf_counter()
            paths = [articles / f for f in item.job.inputs]
            try:
                briefing = await loop.run_in_executor(pool, lambda: build_briefing(paths, settings, wrap=wrap))
                _write(out, name, briefing)
            except SummariserError as err:
                outcome = Outcome(name, False, err.message, time.perf_counter() - t0)
            except Exception as err:  # a bug must not stop the other briefings either
                outcome = Outcome(name, False, f"internal error: {type(err).__name__}: {err}", time.perf_counter() - t0)
            else:
                manifest.briefings[name] = _entry(item, briefing, spec.label)
                dirty[0] = True
                if time.monotonic() - saved_at[0] >= SAVE_EVERY:
                    save_manifest(out, manifest)
                    saved_at[0], dirty[0] = time.monotonic(), False
                usage = briefing.meta.usage if briefing.meta else Usage()
                outcome = Outcome(name, True, item.reason or "", time.perf_counter() - t0, usage)
            report.outcomes.append(outcome)
            notify("built" if outcome.ok else "failed", name, outcome.detail)

    saved_at, dirty = [0.0], [False]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="regenerate")
    try:
        await asyncio.gather(*(build(p, pool) for p in planned if p.reason is not None))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if dirty[0]:
            save_manifest(out, manifest)
        write_index(out, manifest)
        report.seconds = time.perf_counter() - started
    return report


def dry_run_lines(planned: Sequence[Planned]) -> list[str]:
    """What a run would do, one line per briefing."""
    return [f"{'build' if p.reason else 'keep '}  {p.job.name}  ({p.reason or 'unchanged'})" for p in planned]


def report_json(report: RunReport) -> str:
    """The run's summary as JSON (for scripts)."""
    return json.dumps(
        {
            "built": sum(1 for o in report.outcomes if o.ok),
            "unchanged": report.unchanged,
            "failed": {o.name: o.detail for o in report.failed},
            "orphans": report.orphans,
            "usage": report.usage.model_dump(),
            "seconds": round(report.seconds, 3),
        },
        indent=1,
    )
