"""`regenerate`: keep a folder of briefings in step with a folder of articles, in one call.

This is the whole sequence behind ``summariser regenerate``:

1. find the grouping file (``--group-by event`` without ``groups``: ``groups.yaml``,
   ``groups.yml`` or ``groups.json`` in the articles folder) and check the options — every
   misuse is a `ConfigError`, raised before any work;
2. resolve the model (an unknown one fails here) and, with ``batch``, check that the endpoint
   can take batches;
3. list the jobs (links to outside the articles folder skipped, with a warning; names whose
   files would be the folder's own refused) and refuse a briefings folder that is, or lies
   inside, the articles folder;
4. take the folder lock, sweep the temporary files a killed run left, find the orphans (and
   with ``prune`` delete them), plan, and build what the plan asks for — concurrently
   (`summariser.regenerate.run`) or through the OpenAI Batch API (`summariser.regenerate.batch`).

`dry_run` does steps 1–3 and the plan, and estimates the tokens of every briefing the plan
would build (`summariser.regenerate.estimate`); it writes nothing. Neither imports a CLI framework:
``summariser.cli.regenerate`` draws the progress bar and the table from the callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from .. import progress
from ..config import Settings, check_arguments, load_settings, override
from ..errors import ConfigError
from ..llm import resolve
from ..settings_table import DEFAULT_CONCURRENCY
from .groups import GROUPS_FILES, find_groups_file
from .jobs import Job, group_jobs, single_jobs
from .lock import folder_lock, sweep_temp_files
from .manifest import load_manifest
from .plan import RunPlan, orphans, plan
from .plan import prune as delete_briefings
from .report import RunReport
from .run import Event, run

if TYPE_CHECKING:
    from .batch import BatchOptions, BatchSummary

__all__ = ["DEFAULT_CONCURRENCY", "GROUPS_FILES", "GroupBy", "RunPlan", "dry_run", "find_groups_file", "regenerate"]

GroupBy = Literal["file", "event"]
"""``file``: one briefing per article; ``event``: one merged briefing per event — per group of the grouping
file, or, without one, per event the folder's own grouping finds (`summariser.regenerate.auto_events`)."""


def _prepare(
    articles: Path,
    briefings: Path,
    *,
    model: str | None,
    settings: Settings | None,
    group_by: GroupBy,
    groups: Path | None,
    allow_ungrounded: bool | None,
    max_tokens_total: int | None,
    batch: BatchOptions | None,
    warnings: list[str],
) -> tuple[Settings, list[Job] | None]:
    """Check the options and list the jobs (skipped inputs go to ``warnings``); every misuse raises before any write.

    The jobs are None when the folder is to be grouped by itself: that reads the briefings folder's
    grouping state, which the run does under its lock (`_grouped`).
    """
    if batch is not None:
        from .batch import BatchOptions

        if not isinstance(batch, BatchOptions):
            raise ConfigError(f"keyword argument batch must be a BatchOptions or None, not {type(batch).__name__}")
        check_arguments({}, batch_poll=batch.poll, batch_wait=batch.wait)
    if group_by not in get_args(GroupBy):
        raise ConfigError(f"group_by must be one of {'/'.join(get_args(GroupBy))}, not {group_by!r}")
    if group_by == "event" and groups is None:
        groups = find_groups_file(articles)
    if groups is not None and group_by != "event":
        raise ConfigError("--groups only applies with --group-by event")
    resolved = override(
        load_settings() if settings is None else settings,
        model=model,
        allow_ungrounded=allow_ungrounded,
        max_tokens_total=max_tokens_total,
    )
    spec = resolve(resolved.model, resolved.api_key)  # an unknown model fails before any work
    if batch is not None:
        from ..llm import check_batchable  # openai's batch client: imported only when used

        check_batchable(spec, resolved.llm_options())
    warn = warnings.append
    jobs: list[Job] | None
    if group_by == "event" and groups is None:
        jobs = None
    else:
        jobs = group_jobs(articles, groups, warn) if groups is not None else single_jobs(articles, warn)
    if briefings.resolve() == articles.resolve() or articles.resolve() in briefings.resolve().parents:
        raise ConfigError("the briefings folder must not be the articles folder or inside it; pick another folder")
    return resolved, jobs


def dry_run(
    articles: Path | str,
    briefings: Path | str,
    *,
    model: str | None = None,
    settings: Settings | None = None,
    group_by: GroupBy = "file",
    groups: Path | str | None = None,
    force: bool = False,
    allow_ungrounded: bool | None = None,
    max_tokens_total: int | None = None,
    batch: BatchOptions | None = None,
    estimate: bool = True,
) -> RunPlan:
    """What `regenerate` with these arguments would build and why; nothing is written or locked.

    The options are checked as the run checks them, so a dry run fails where the run would.
    With ``estimate`` (the default) the plan's ``estimate`` holds the tokens each briefing to
    build would spend at most (`summariser.regenerate.estimate`): its articles are read and its
    prompts rendered, but nothing is sent.
    """
    check_arguments(_paths(articles, briefings, groups), force=force, estimate=estimate)
    articles, briefings = Path(articles), Path(briefings)
    warnings: list[str] = []
    resolved, jobs = _prepare(
        articles,
        briefings,
        model=model,
        settings=settings,
        group_by=group_by,
        groups=Path(groups) if groups is not None else None,
        allow_ungrounded=allow_ungrounded,
        max_tokens_total=max_tokens_total,
        batch=batch,
        warnings=warnings,
    )
    manifest = load_manifest(briefings)
    if jobs is None:
        from .auto_events import features_folder, group_folder  # spaCy, the grouping: imported only when used

        jobs = group_folder(articles, briefings, warnings.append, save=False, features=features_folder(resolved)).jobs
    planned = plan(jobs, articles, briefings, manifest, resolved, force=force)
    result = RunPlan(planned, orphans(jobs, manifest), warnings=warnings)
    if estimate:
        from .estimate import estimate as estimate_plan  # openai + instructor: only for an estimate

        result.estimate = estimate_plan(planned, articles, resolved)
    return result


def regenerate(
    articles: Path | str,
    briefings: Path | str,
    *,
    model: str | None = None,
    settings: Settings | None = None,
    group_by: GroupBy = "file",
    groups: Path | str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    force: bool = False,
    prune: bool = False,
    allow_ungrounded: bool | None = None,
    max_tokens_total: int | None = None,
    batch: BatchOptions | None = None,
    edit_pages: bool = False,
    on_plan: Callable[[RunPlan], None] | None = None,
    on_event: Event | None = None,
    on_stage: Callable[[str], None] | None = None,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> RunReport:
    """Bring the briefings folder in step with the articles folder: build only what changed.

    ``articles`` is searched recursively; ``briefings`` is created if missing and holds, per
    briefing, its JSON, Markdown and review page, plus ``manifest.sqlite`` and an index.
    ``model`` and ``allow_ungrounded`` override ``settings`` (default: `load_settings`).
    ``group_by="event"`` merges the articles of each group of ``groups`` (JSON/YAML: name →
    article files; default: `GROUPS_FILES` in ``articles``) into one briefing; with no grouping
    file the folder is grouped by itself, online, and kept so across runs
    (`summariser.regenerate.auto_events`: ``grouping.sqlite`` and the editable ``grouping.yaml``). ``concurrency``
    bounds the briefings in flight against an HTTP endpoint (the embedded model builds one at a
    time). ``force`` rebuilds everything; ``prune`` deletes briefings whose articles are gone
    (otherwise they are listed in the report's ``orphans``). ``batch`` sends the requests as
    OpenAI Batch API jobs first (HTTP endpoints with the response cache on). ``edit_pages``
    writes the review pages of the briefings it builds in edit mode (for making gold).
    ``max_tokens_total`` (overriding ``settings.max_tokens_total``) is the run's token budget:
    every request that reaches the model is charged, retries and re-asks included; one whose
    worst case would not fit is not sent, its briefing is left for the next run (the report's
    ``left``; the manifest does not list it) and no further briefing starts.

    Callbacks: ``on_plan(plan)`` once the plan is made, before building; ``on_event(kind,
    name, detail)`` per briefing (``start``, ``built``, ``failed``, ``left``); ``on_stage(event)`` for the
    pipeline's progress events; ``on_batch(summary)`` after a batched run.

    Raises `ConfigError` for misused options and a held lock, `InputError` for an unreadable
    articles folder or grouping file, or an article or group whose files would be the
    folder's own (``index.txt`` → ``index.md``); a briefing that fails is reported in the
    returned `RunReport` (``failed``) and does not stop the others. A link to outside the
    articles folder is not read: it is listed in the report's ``warnings``. Runs an event loop of its own:
    call it from synchronous code (from async code, in a thread). Arguments of the wrong type or
    out of range (``concurrency=0``, ``force="yes"``) are a `ConfigError` (a path: `InputError`).
    """
    callbacks = {"on_plan": on_plan, "on_event": on_event, "on_stage": on_stage, "on_batch": on_batch}
    check_arguments(_paths(articles, briefings, groups), callbacks, concurrency=concurrency, force=force, prune=prune,
                    edit_pages=edit_pages)  # fmt: skip
    articles, briefings = Path(articles), Path(briefings)
    warnings: list[str] = []
    resolved, jobs = _prepare(
        articles,
        briefings,
        model=model,
        settings=settings,
        group_by=group_by,
        groups=Path(groups) if groups is not None else None,
        allow_ungrounded=allow_ungrounded,
        max_tokens_total=max_tokens_total,
        batch=batch,
        warnings=warnings,
    )
    with folder_lock(briefings):
        sweep_temp_files(briefings)
        manifest = load_manifest(briefings)
        grouping = None
        if jobs is None:  # grouped by itself: the state is read, the new articles placed and saved, first
            from .auto_events import features_folder, group_folder  # spaCy, the grouping: imported only when used

            grouping = group_folder(articles, briefings, warnings.append, save=True, features=features_folder(resolved))
            jobs = grouping.jobs
        events = grouping.events if grouping is not None else None
        gone = orphans(jobs, manifest)
        pruned: list[str] = []
        if prune and gone:
            delete_briefings(briefings, manifest, gone)
            pruned, gone = gone, []
        planned = plan(jobs, articles, briefings, manifest, resolved, force=force)
        if on_plan is not None:
            on_plan(RunPlan(planned, list(gone), pruned, warnings))
        with _listening(on_stage):
            if batch is None:
                report = asyncio.run(
                    run(
                        planned=planned,
                        articles=articles,
                        out=briefings,
                        manifest=manifest,
                        settings=resolved,
                        concurrency=concurrency,
                        on_event=on_event,
                        edit_pages=edit_pages,
                        events=events,
                        versions=group_by == "event",
                    )
                )
            else:
                from .batch import run_batched  # openai's batch client: imported only when used

                report, summary = asyncio.run(
                    run_batched(
                        planned=planned,
                        articles=articles,
                        out=briefings,
                        manifest=manifest,
                        settings=resolved,
                        options=batch,
                        concurrency=concurrency,
                        on_event=on_event,
                        edit_pages=edit_pages,
                        events=events,
                        versions=group_by == "event",
                    )
                )
                if on_batch is not None:
                    on_batch(summary)
        report.orphans, report.warnings = gone, warnings
        if grouping is not None:
            report.joined, report.moved = grouping.joined, grouping.pinned
    return report


def _paths(articles: object, briefings: object, groups: object) -> dict[str, object]:
    given = {"articles": articles, "briefings": briefings}
    return given if groups is None else {**given, "groups": groups}


@contextlib.contextmanager
def _listening(on_stage: Callable[[str], None] | None) -> Iterator[None]:
    """Send progress events to ``on_stage`` (if any) inside the block."""
    if on_stage is None:
        yield
        return
    with progress.listen(on_stage):
        yield
