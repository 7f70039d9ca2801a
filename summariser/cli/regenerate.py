"""The ``summariser regenerate`` command: options in, progress bar and summary table out.

The whole run is the library's `summariser.regenerate.regenerate` (and ``--dry-run`` its
`summariser.regenerate.dry_run`); this module turns options (declared in `options`) into
that call and its callbacks into a rich progress display (`regenerate_display`), a run with
failures into `PartialRun` and a run the token budget stopped into `BudgetExceeded` (exit 8).
With ``--debug`` the data each failure carries is logged (``--json`` has it under ``errors``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..config import Settings, flag_value, load_settings_from_flags
from ..errors import INTERRUPTED, BudgetExceeded, ConfigError, PartialRun
from ..regenerate import folder
from ..regenerate.folder import DEFAULT_CONCURRENCY, RunPlan, dry_run, regenerate
from ..regenerate.manifest import load_manifest
from ..regenerate.report import RunReport, report_json
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
from .regenerate_display import Display, err_console, summary_table, warn
from .sanitise import data, line, plain

if TYPE_CHECKING:
    from ..regenerate.batch import BatchOptions

__all__ = ["EPILOG", "regenerate_command"]

_log = logging.getLogger(__name__)

EPILOG = (
    "Examples: summariser regenerate articles/ briefings/ · "
    "summariser regenerate articles/ briefings/ --dry-run · "
    "summariser regenerate articles/ briefings/ -m openai:gpt-4o-mini --max-tokens-total 200000 · "
    "summariser regenerate articles/ briefings/ --group-by event · "
    "summariser regenerate articles/ briefings/ --group-by event --groups groups.yaml --model http://localhost:8000/v1#m"
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
    display = Display()
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
    warn(plan.warnings)
    if as_json:
        sys.stdout.write(data(json.dumps(plan.as_dict(), indent=1) + "\n", is_json=True))
    else:
        for entry in plan.lines():
            typer.echo(plain(entry, one_line=True))
    err_console.print(plan.summary())


@contextmanager
def _interruptible(display: Display, briefings: Path) -> Iterator[None]:
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
        os._exit(INTERRUPTED)  # worker threads may be mid-generation: do not wait for them
    finally:
        display.stop()


def _show_report(report: RunReport, total: int, *, as_json: bool) -> None:
    """The run's summary table and failures; a run the budget stopped or with failures raises its error."""
    if as_json:
        sys.stdout.write(data(report_json(report) + "\n", is_json=True))
    err_console.print(summary_table(report))
    for outcome in report.failed:
        shown = line(("failed", "red"), f" {outcome.name}: {outcome.detail}")
        err_console.print(shown, highlight=False, soft_wrap=True)  # one whole line each, in logs too
        if outcome.error is not None:  # its data, shown with --debug (the debug log)
            _log.debug("%s: %s", outcome.name, json.dumps(outcome.error, ensure_ascii=False))
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


def _batch_options(batch_api: bool, poll: float | None, wait: float | None) -> BatchOptions | None:
    """``--batch-api`` and its timing flags as `BatchOptions` (None: no batch); timing alone is a `ConfigError`."""
    if not batch_api:
        if poll is not None or wait is not None:
            raise ConfigError("--batch-poll and --batch-wait only apply with --batch-api")
        return None
    from ..regenerate.batch import BatchOptions  # openai's batch client: imported only when used

    defaults = BatchOptions()
    return BatchOptions(poll=poll or defaults.poll, wait=defaults.wait if wait is None else wait)


def _settings(timeout: str | None, deadline: str | None, max_tokens_total: str | None) -> Settings | None:
    """The settings the budget flags ask for (None: none given, regenerate loads its own).

    A bad value is a `ConfigError` (`summariser.config` checks every setting).
    """
    flags = {"timeout": timeout, "deadline": deadline, "max_tokens_total": max_tokens_total}
    given = {k: v for k, v in flags.items() if v is not None}
    return load_settings_from_flags(**given) if given else None
