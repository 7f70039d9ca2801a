"""The ``summariser regenerate`` command's terminal display: the progress bar, the summary table, the warnings.

`Display` turns the library's callbacks (`summariser.regenerate.regenerate`'s ``on_plan``,
``on_event``, ``on_stage``, ``on_batch``) into a rich progress bar over the briefings to build,
with one line per briefing built, failed or left; `summary_table` is the table printed at the
end. Everything shown goes through the CLI's sanitiser (`sanitise`): names and reasons come
from outside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

from ..regenerate.folder import RunPlan
from ..regenerate.report import RunReport, event_lines
from ..regenerate.run import NOT_STARTED
from .sanitise import PlainColumn, line, plain, stderr_console

if TYPE_CHECKING:
    from ..regenerate.batch import BatchSummary

__all__ = ["Display", "err_console", "summary_table", "warn"]

#: The command's one console on stderr: the bar and every line around it.
err_console = stderr_console()


def warn(warnings: list[str]) -> None:
    """The inputs the run skipped (links to outside the articles folder), one line each, as text."""
    for warning in warnings:
        err_console.print(f"warning: {plain(warning, one_line=True)}", markup=False, highlight=False, soft_wrap=True)


class Display:
    """The run's terminal display: notes, a progress bar over the briefings to build, one line each."""

    def __init__(self) -> None:
        self.total = 0
        self._bar: Progress | None = None
        self._task = TaskID(0)

    def plan(self, plan: RunPlan) -> None:
        """The plan is made: say what was skipped, what was pruned or that nothing is to do, and start the bar."""
        warn(plan.warnings)
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


def summary_table(report: RunReport) -> Table:
    """The run's summary: built, unchanged, failed, requests and tokens, wall time (and the budget's figures)."""
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
    events = [(line(f"event {name}"), line(work)) for name, work in event_lines(report)]
    if report.moved:
        rows.append(("articles moved by your edits of grouping.yaml", str(report.moved)))
    if report.orphans:
        rows.append(("orphaned (articles gone; --prune deletes)", ", ".join(report.orphans)))
    for key, value in rows:
        table.add_row(key, value)
    for name, work in events:  # names and paths from the folder: text, never markup
        table.add_row(name, work)
    return table
