"""The ``summariser regenerate`` command: options, progress bar and the summary table.

The work is in `summariser.regenerate.run` (planning, building, manifest) — this module turns
options into calls and events into a rich progress display. `summariser.cli.app` registers
`regenerate_command` as ``regenerate``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from .. import progress as events

if TYPE_CHECKING:
    from ..regenerate.batch import BatchOptions
from ..config import Settings, load_settings
from ..errors import ConfigError, PartialRun
from ..llm.backends import resolve, valid_forms
from ..regenerate.manifest import Manifest, folder_lock, load_manifest, sweep_temp_files
from ..regenerate.run import (
    Planned,
    RunReport,
    dry_run_lines,
    group_jobs,
    orphans,
    plan,
    prune,
    report_json,
    run,
    single_jobs,
)

__all__ = ["EPILOG", "regenerate_command"]

err_console = Console(stderr=True)

EPILOG = (
    "Examples: summariser regenerate articles/ briefings/ · "
    "summariser regenerate articles/ briefings/ --dry-run · "
    "summariser regenerate articles/ briefings/ --group-by event --groups events.yaml --model http://localhost:8000/v1#m"
)


class GroupBy(str, Enum):
    """How articles become briefings."""

    file = "file"
    event = "event"


def _summary(report: RunReport) -> Table:
    usage = report.usage
    table = Table(title="regenerate", show_header=False)
    built = sum(1 for o in report.outcomes if o.ok)
    rows = [
        ("built", str(built)),
        ("unchanged", str(report.unchanged)),
        ("failed", str(len(report.failed))),
        ("requests (cache hits)", f"{usage.requests} ({usage.cache_hits})"),
        ("tokens in / out", f"{usage.prompt_tokens} / {usage.completion_tokens}"),
        ("wall time", f"{report.seconds:.1f} s"),
    ]
    if report.orphans:
        rows.append(("orphaned (articles gone; --prune deletes)", ", ".join(report.orphans)))
    for key, value in rows:
        table.add_row(key, value)
    return table


def regenerate_command(
    articles: Annotated[Path, typer.Argument(help="Folder of article files (searched recursively).")],
    briefings: Annotated[Path, typer.Argument(help="Folder of briefings to keep in step (created if missing).")],
    model: Annotated[str | None, typer.Option("--model", "-m", help=f"Model string: {valid_forms()}.")] = None,
    group_by: Annotated[
        GroupBy, typer.Option("--group-by", help="file: one briefing per article; event: one per group of --groups.")
    ] = GroupBy.file,
    groups: Annotated[
        Path | None,
        typer.Option("--groups", help="JSON/YAML file: group name → article files (with --group-by event)."),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", "-j", min=1, max=64, help="Briefings in flight (HTTP endpoints; embedded: 1)."),
    ] = 4,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be rebuilt and why; build nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every briefing.")] = False,
    prune_orphans: Annotated[bool, typer.Option("--prune", help="Delete briefings whose articles are gone.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")] = False,
    allow_ungrounded: Annotated[
        bool,
        typer.Option("--allow-ungrounded", help="Keep summary bullets no source supports (flagged in the report)."),
    ] = False,
    batch_api: Annotated[
        bool,
        typer.Option(
            "--batch-api",
            help="Send the requests as OpenAI Batch API jobs (JSONL, 24 h window, cheaper), then build from "
            "their answers. HTTP endpoints only.",
        ),
    ] = False,
    batch_poll: Annotated[
        float | None, typer.Option("--batch-poll", min=0.01, help="Seconds between batch status checks (default 30).")
    ] = None,
    batch_wait: Annotated[
        float | None,
        typer.Option(
            "--batch-wait", min=0.0, help="Longest wait for a batch, in seconds (default 26 h); a rerun resumes it."
        ),
    ] = None,
) -> None:
    """Keep a folder of briefings in step with a folder of articles: rebuild only what changed."""
    if group_by is GroupBy.event and groups is None:
        for candidate in ("groups.yaml", "groups.yml", "groups.json"):
            if (articles / candidate).exists():
                groups = articles / candidate
                break
        else:
            raise ConfigError("--group-by event needs a grouping file: pass --groups FILE (name → article files)")
    if groups is not None and group_by is not GroupBy.event:
        raise ConfigError("--groups only applies with --group-by event")
    settings = load_settings(model=model, allow_ungrounded=allow_ungrounded or None)
    spec = resolve(settings.model, settings.api_key)  # an unknown model fails before any work
    batch = None
    if batch_api:
        from ..llm.batch.jobs import check_batchable
        from ..regenerate.batch import BatchOptions  # openai's batch client: imported only when used

        check_batchable(spec, settings)
        defaults = BatchOptions()
        batch = BatchOptions(poll=batch_poll or defaults.poll, wait=defaults.wait if batch_wait is None else batch_wait)
    elif batch_poll is not None or batch_wait is not None:
        raise ConfigError("--batch-poll and --batch-wait only apply with --batch-api")
    jobs = group_jobs(articles, groups) if groups is not None else single_jobs(articles)
    if briefings.resolve() == articles.resolve() or articles.resolve() in briefings.resolve().parents:
        raise ConfigError("the briefings folder must not be the articles folder or inside it; pick another folder")
    if dry_run:
        manifest = load_manifest(briefings)
        planned = plan(jobs, articles, briefings, manifest, settings, force=force)
        for line in dry_run_lines(planned):
            typer.echo(line)
        for name in orphans(jobs, manifest):
            typer.echo(f"orphan {name}  (its articles are gone)")
        count = sum(1 for p in planned if p.reason)
        err_console.print(f"{count} to build, {len(planned) - count} unchanged (dry run: nothing written)")
        return
    with folder_lock(briefings):
        sweep_temp_files(briefings)
        manifest = load_manifest(briefings)
        gone = orphans(jobs, manifest)
        if prune_orphans and gone:
            prune(briefings, manifest, gone)
            err_console.print(f"pruned {len(gone)} briefings whose articles are gone: {', '.join(gone)}")
            gone = []
        planned = plan(jobs, articles, briefings, manifest, settings, force=force)
        todo = [p for p in planned if p.reason]
        if not todo:
            err_console.print(f"nothing to rebuild: {len(planned)} briefings are up to date")
        report = _run_with_progress(planned, articles, briefings, manifest, settings, concurrency, len(todo), batch)
        report.orphans = gone
    if as_json:
        sys.stdout.write(report_json(report) + "\n")
    err_console.print(_summary(report))
    for outcome in report.failed:
        err_console.print(f"[red]failed[/red] {outcome.name}: {outcome.detail}", highlight=False)
    if report.failed:
        raise PartialRun(
            f"{len(report.failed)} of {len(todo)} briefings failed (reasons above); "
            "the others are saved — fix the inputs and rerun to build the rest"
        )


def _run_with_progress(
    planned: list[Planned],
    articles: Path,
    briefings: Path,
    manifest: Manifest,
    settings: Settings,
    concurrency: int,
    total: int,
    batch: BatchOptions | None = None,
) -> RunReport:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    bar = Progress(*columns, console=err_console, transient=False, disable=total == 0)
    task = bar.add_task("regenerating", total=total)

    def on_event(kind: str, name: str, detail: str) -> None:
        if kind == "start":
            bar.update(task, description=f"{name}")
            return
        bar.advance(task)
        mark = "[green]built[/green] " if kind == "built" else "[red]failed[/red]"
        bar.console.print(f"{mark} {name}  [dim]{detail}[/dim]", highlight=False)

    def on_stage(event: str) -> None:
        bar.update(task, description=event)

    try:
        with bar, events.listen(on_stage):
            if batch is None:
                return asyncio.run(
                    run(planned, articles, briefings, manifest, settings, concurrency=concurrency, on_event=on_event)
                )
            from ..regenerate.batch import run_batched

            report, batched = asyncio.run(
                run_batched(
                    planned,
                    articles,
                    briefings,
                    manifest,
                    settings,
                    options=batch,
                    concurrency=concurrency,
                    on_event=on_event,
                )
            )
            if total:
                bar.console.print(batched.line(), highlight=False)
            return report
    except KeyboardInterrupt:
        done = len(load_manifest(briefings).briefings)
        sys.stderr.write(f"interrupted: {done} briefings are saved and intact; rerun the same command to resume\n")
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(130)  # worker threads may be mid-generation: do not wait for them
