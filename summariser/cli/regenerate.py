"""The ``summariser regenerate`` command: options in, progress bar and summary table out.

The whole run is the library's `summariser.regenerate.regenerate` (and ``--dry-run`` its
`summariser.regenerate.dry_run`); this module turns options into that call and its callbacks into a rich progress
display, a run with failures into `PartialRun` and a run the token budget stopped into `BudgetExceeded` (exit 8).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..config import Settings, flag_value, load_settings_from_flags
from ..errors import BudgetExceeded, ConfigError, PartialRun
from ..regenerate import folder
from ..regenerate.folder import DEFAULT_CONCURRENCY, RunPlan, dry_run, regenerate
from ..regenerate.manifest import load_manifest
from ..regenerate.report import RunReport, report_json
from ..regenerate.run import NOT_STARTED
from .options import (
    AllowUngrounded,
    BatchApi,
    BatchPoll,
    BatchWait,
    Concurrency,
    Deadline,
    DryRun,
    EditPages,
    GroupBy,
    Grouping,
    Groups,
    Json,
    MaxTokensTotal,
    Model,
    Prune,
    Timeout,
    unset_unless,
)
from .options import force as force_option
from .sanitise import PlainColumn, data, line, plain, stderr_console

if TYPE_CHECKING:
    from ..regenerate.batch import BatchOptions, BatchSummary

__all__ = ["EPILOG", "regenerate_command"]

err_console = stderr_console()

EPILOG = (
    "Examples: summariser regenerate articles/ briefings/ · "
    "summariser regenerate articles/ briefings/ --dry-run · "
    "summariser regenerate articles/ briefings/ -m openai:gpt-4o-mini --max-tokens-total 200000 · "
    "summariser regenerate articles/ briefings/ --group-by event --groups events.yaml --model http://localhost:8000/v1#m"
)


def regenerate_command(
    articles: Annotated[Path, typer.Argument(help="Folder of article files (searched recursively).")],
    briefings: Annotated[Path, typer.Argument(help="Folder of briefings to keep in step (created if missing).")],
    model: Model = None,
    group_by: GroupBy = Grouping.file,
    groups: Groups = None,
    concurrency: Concurrency = None,
    dry: DryRun = False,
    force: Annotated[bool, force_option("Rebuild every briefing.")] = False,
    prune: Prune = False,
    as_json: Json = False,
    allow_ungrounded: AllowUngrounded = False,
    batch_api: BatchApi = False,
    batch_poll: BatchPoll = None,
    batch_wait: BatchWait = None,
    edit_pages: EditPages = False,
    timeout: Timeout = None,
    deadline: Deadline = None,
    max_tokens_total: MaxTokensTotal = None,
) -> None:
    """Keep a folder of briefings in step with a folder of articles: rebuild only what changed."""
    batch = _batch_options(batch_api, flag_value("batch_poll", batch_poll), flag_value("batch_wait", batch_wait))
    in_flight = flag_value("concurrency", concurrency) or DEFAULT_CONCURRENCY
    ungrounded = unset_unless(allow_ungrounded)
    grouping: folder.GroupBy = "event" if group_by is Grouping.event else "file"
    settings = _settings(timeout, deadline, max_tokens_total)
    if dry:
        plan = dry_run(
            articles,
            briefings,
            model=model,
            settings=settings,
            group_by=grouping,
            groups=groups,
            force=force,
            allow_ungrounded=ungrounded,
            batch=batch,
        )
        _show_plan(plan, as_json=as_json)
        return
    display = _Display()
    with _interruptible(display, briefings):
        report = regenerate(
            articles,
            briefings,
            model=model,
            group_by=grouping,
            groups=groups,
            concurrency=in_flight,
            settings=settings,
            force=force,
            prune=prune,
            allow_ungrounded=ungrounded,
            batch=batch,
            edit_pages=edit_pages,
            on_plan=display.plan,
            on_event=display.event,
            on_stage=display.stage,
            on_batch=display.batch,
        )
    _show_report(report, display.total, as_json=as_json)


def _show_plan(plan: RunPlan, *, as_json: bool) -> None:
    """A dry run's plan: one line per briefing (or JSON) on stdout, its summary on stderr."""
    _warn(plan.warnings)
    if as_json:
        sys.stdout.write(data(json.dumps(plan.as_dict(), indent=1) + "\n", is_json=True))
    else:
        for entry in plan.lines():
            typer.echo(plain(entry, one_line=True))
    err_console.print(plan.summary())


@contextmanager
def _interruptible(display: _Display, briefings: Path) -> Iterator[None]:
    """Run the build with ``display`` on screen; on Ctrl-C say what is saved and exit 130 at once."""
    try:
        yield
    except KeyboardInterrupt:
        display.stop()
        done = len(load_manifest(briefings).briefings)
        message = f"interrupted: {done} briefings are saved and intact; rerun the same command to resume"
        sys.stderr.write(plain(message) + "\n")
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(130)  # worker threads may be mid-generation: do not wait for them
    finally:
        display.stop()


def _show_report(report: RunReport, total: int, *, as_json: bool) -> None:
    """The run's summary table and failures; a run the budget stopped or with failures raises its error."""
    if as_json:
        sys.stdout.write(data(report_json(report) + "\n", is_json=True))
    err_console.print(_summary(report))
    for outcome in report.failed:
        shown = line(("failed", "red"), f" {outcome.name}: {outcome.detail}")
        err_console.print(shown, highlight=False, soft_wrap=True)  # one whole line each, in logs too
    if report.left and report.budget is not None:
        built = sum(1 for o in report.outcomes if o.ok)
        failed = f", {len(report.failed)} failed (reasons above)" if report.failed else ""
        what = f"{built} built{failed}, {len(report.left)} left for the next run"
        raise BudgetExceeded(report.budget, report.spent, 0, what)
    if report.failed:
        raise PartialRun(
            f"{len(report.failed)} of {total} briefings failed (reasons above); "
            "the others are saved — fix the inputs and rerun to build the rest"
        )


def _warn(warnings: list[str]) -> None:
    """The inputs the run skipped (links to outside the articles folder), one line each, as text."""
    for warning in warnings:
        err_console.print(f"warning: {plain(warning, one_line=True)}", markup=False, highlight=False, soft_wrap=True)


def _batch_options(batch_api: bool, poll: float | None, wait: float | None) -> BatchOptions | None:
    """``--batch-api`` and its timing flags as `BatchOptions` (None: no batch); timing alone is a `ConfigError`."""
    if not batch_api:
        if poll is not None or wait is not None:
            raise ConfigError("--batch-poll and --batch-wait only apply with --batch-api")
        return None
    from ..regenerate.batch import BatchOptions  # openai's batch client: imported only when used

    defaults = BatchOptions()
    return BatchOptions(poll=poll or defaults.poll, wait=defaults.wait if wait is None else wait)


class _Display:
    """The run's terminal display: notes, a progress bar over the briefings to build, one line each."""

    def __init__(self) -> None:
        self.total = 0
        self._bar: Progress | None = None
        self._task = TaskID(0)

    def plan(self, plan: RunPlan) -> None:
        """The plan is made: say what was skipped, what was pruned or that nothing is to do, and start the bar."""
        _warn(plan.warnings)
        if plan.pruned:
            err_console.print(f"pruned {len(plan.pruned)} briefings whose articles are gone: {', '.join(plan.pruned)}")
        self.total = len(plan.todo)
        if not self.total:
            err_console.print(f"nothing to rebuild: {len(plan.planned)} briefings are up to date")
        columns = (
            SpinnerColumn(),
            PlainColumn(),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
        )
        self._bar = Progress(*columns, console=err_console, transient=False, disable=self.total == 0)
        self._task = self._bar.add_task("regenerating", total=self.total)
        self._bar.start()

    def event(self, kind: str, name: str, detail: str) -> None:
        """One briefing started, was built or failed."""
        if self._bar is None:
            return
        if kind == "start":
            self._bar.update(self._task, description=name)
            return
        self._bar.advance(self._task)
        if detail == NOT_STARTED:  # one line for the run (the summary), not one per briefing
            return
        mark = {"built": ("built ", "green"), "left": ("left  ", "yellow")}.get(kind, ("failed", "red"))
        self._bar.console.print(line(mark, f" {name}  ", (detail, "dim")), highlight=False)

    def stage(self, event: str) -> None:
        """A progress event of the pipeline (or of the batch rounds)."""
        if self._bar is not None:
            self._bar.update(self._task, description=event)

    def batch(self, summary: BatchSummary) -> None:
        """The batch rounds are over: one line on what they sent."""
        if self._bar is not None and self.total:
            self._bar.console.print(summary.line(), highlight=False)

    def stop(self) -> None:
        """Leave the bar as it is on the screen (idempotent)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


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
    if report.budget is not None:
        rows[3:3] = [("left for the next run (token budget)", str(len(report.left)))]
        rows.insert(-1, ("tokens spent / budget", f"{report.spent:,} / {report.budget:,}"))
        rows.insert(-1, ("requests charged their worst case (no believable usage)", str(report.worst_cases)))
    if report.orphans:
        rows.append(("orphaned (articles gone; --prune deletes)", ", ".join(report.orphans)))
    for key, value in rows:
        table.add_row(key, value)
    return table


def _settings(timeout: str | None, deadline: str | None, max_tokens_total: str | None) -> Settings | None:
    """The settings the budget flags ask for (None: none given, regenerate loads its own).

    A bad value is a `ConfigError` (`summariser.config` checks every setting).
    """
    flags = {"timeout": timeout, "deadline": deadline, "max_tokens_total": max_tokens_total}
    given = {k: v for k, v in flags.items() if v is not None}
    return load_settings_from_flags(**given) if given else None
