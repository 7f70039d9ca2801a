"""The build: `run` makes every briefing the plan (`summariser.regenerate.plan`) asks for: concurrently against an HTTP
endpoint (bounded by ``concurrency``), on the embedded model as many at a time as fill its
batch (`llm.batching.sequences` side by side, `REQUESTS_AT_ONCE` per briefing).
Each briefing's JSON, Markdown and review page are written atomically, and the manifest at
most every `SAVE_EVERY` seconds and at the end: killing the run at any moment leaves every
briefing intact, and the next run resumes (rebuilding, from the response cache, at most the
briefings of the last second). A
failing briefing is reported with its reason and does not stop the others.

Briefings and pages are meant to be shared: each source is named by its title or its path
relative to the articles folder (`shareable`), never by where the folder was on the machine
that built it. With ``edit_pages`` the review pages are written in edit mode, for making gold.
With a token budget (``max_tokens_total``) every briefing's requests are held to one shared
`TokenLedger`: a request whose worst case would not fit is not sent (`summariser.llm.ledger`).
Its briefing is *left* — not written, not in the manifest, so the next run builds it (its
answers so far are in the response cache and cost nothing then) — and once the budget has
refused a request no new briefing starts; those in flight go on while their requests fit.
The report counts the requests of every briefing the run started, built, failed or left, and
how many the budget charged their worst case (`TokenLedger.worst_cases`: no believable usage).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import testpoints
from ..atomic import write_atomic
from ..brief import prompts
from ..config import Settings
from ..errors import BudgetExceeded, SummariserError
from ..llm.backends import resolve
from ..llm.batching import sequences
from ..llm.ledger import TokenLedger
from ..output.editing import EditPage, gold_name
from ..output.index import IndexRow, write_index
from ..output.render import to_json, to_markdown
from ..output.review import write_review
from ..schemas import SCHEMA_VERSION, Briefing, Usage
from ..settings_table import DEFAULT_CONCURRENCY
from .lock import FolderMoved
from .manifest import Entry, Manifest, save_manifest
from .paths import article_path, inside, outputs
from .plan import Planned

if TYPE_CHECKING:
    from ..llm.client import Wrapper

__all__ = [
    "NOT_STARTED",
    "SAVE_EVERY",
    "Event",
    "Outcome",
    "RunReport",
    "report_json",
    "run",
    "shareable",
    "shared_name",
]


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


#: Seconds between manifest saves while building. A killed run loses at most this much of
#: the manifest; those briefings are rebuilt next time, from the response cache.
SAVE_EVERY = 1.0
#: Requests one briefing asks at a time (entities and overview of a part: `brief.draft.both`).
REQUESTS_AT_ONCE = 2

Event = Callable[[str, str, str], None]
"""``on_event(kind, name, detail)`` with kind ``start`` | ``built`` | ``failed`` | ``left`` (the token budget)."""

#: The detail of a briefing not started because the token budget had refused a request.
NOT_STARTED = "not started: the token budget is spent"


def _targets(out: Path, name: str) -> list[Path]:
    """The briefing's files, each checked to be inside ``out`` (`paths.inside`)."""
    return [inside(out, f) for f in outputs(name)]


def shareable(briefing: Briefing, paths: Sequence[Path], inputs: Sequence[str]) -> Briefing:
    """``briefing`` with each source read from ``paths[i]`` named by ``inputs[i]``, its path in the articles folder."""
    relative = {str(p): f for p, f in zip(paths, inputs, strict=True)}
    for source in briefing.sources:
        if source.path is not None:
            source.path = relative.get(source.path, source.path)
    return briefing


def shared_name(source: str, articles: Path) -> str:
    """A source as the index names it: a path inside ``articles`` relative to it (manifests of older runs
    stored absolute paths), anything else as it is."""
    if not os.path.isabs(source):
        return source
    root = os.path.abspath(articles)
    return os.path.relpath(source, root) if source.startswith(root.rstrip(os.sep) + os.sep) else source


def _write(targets: list[Path], briefing: Briefing, edit: EditPage | None) -> None:
    json_file, md_file, html_file = targets
    write_atomic(json_file, to_json(briefing))
    write_atomic(md_file, to_markdown(briefing))
    write_review(briefing, html_file, edit)


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
        stats=item.stats,
    )


async def run(
    planned: Sequence[Planned],
    articles: Path,
    out: Path,
    manifest: Manifest,
    settings: Settings,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_event: Event | None = None,
    wrap: Wrapper | None = None,
    edit_pages: bool = False,
    ledger: TokenLedger | None = None,
) -> RunReport:
    """Build every planned briefing that has a reason; save the manifest after each one.

    ``wrap`` goes in front of every client's cache (``--batch-api`` enforces its batches there).
    ``edit_pages`` writes the review pages in edit mode (their ``sources.yaml`` lines name the
    articles as ``articles`` does, for a ``gold/`` folder beside it).
    ``ledger`` is the run's token budget (default: one of ``settings.max_tokens_total``, if set).
    """
    from ..brief.pipeline import build as build_briefing  # openai + instructor: only when something is built

    spec = resolve(settings.model, settings.api_key)
    # the embedded model decodes `sequences()` requests side by side: as many briefings as fill them
    embedded = max(1, sequences() // REQUESTS_AT_ONCE)
    workers = max(1, concurrency if spec.embedded is None else min(concurrency, embedded))
    if ledger is None and settings.max_tokens_total is not None:
        ledger = TokenLedger(settings.max_tokens_total)
    report = RunReport(unchanged=sum(1 for p in planned if p.reason is None))
    started = time.perf_counter()
    gate = asyncio.Semaphore(workers)
    loop = asyncio.get_running_loop()
    notify = on_event or (lambda kind, name, detail: None)
    counting = threading.Lock()

    def count(usage: Usage) -> None:
        with counting:
            report.add(usage)

    async def build(item: Planned, pool: ThreadPoolExecutor) -> None:
        name = item.job.name
        async with gate:
            if ledger is not None and ledger.stopped:
                report.outcomes.append(Outcome(name, False, NOT_STARTED, 0.0, left=True))
                notify("left", name, NOT_STARTED)
                return
            notify("start", name, item.reason or "")
            t0 = time.perf_counter()
            try:
                targets = _targets(out, name)
                paths = [article_path(articles, f) for f in item.job.inputs]
                built = await loop.run_in_executor(
                    pool, lambda: build_briefing(paths, settings, wrap=wrap, ledger=ledger, on_usage=count)
                )
                briefing = shareable(built, paths, item.job.inputs)
                page = (
                    EditPage(gold_name(name), [(articles / f).as_posix() for f in item.job.inputs])
                    if edit_pages
                    else None
                )
                _write(targets, briefing, page)
                testpoints.reached("briefing-written")
            except FolderMoved:
                raise  # not this briefing's failure: the run stops (`lock`)
            except BudgetExceeded as err:
                detail = f"left for the next run: its next request could need up to {err.needed:,} tokens"
                outcome = Outcome(name, False, detail, time.perf_counter() - t0, left=True)
            except SummariserError as err:
                outcome = Outcome(name, False, err.message, time.perf_counter() - t0)
            except Exception as err:  # a bug must not stop the other briefings either
                outcome = Outcome(name, False, f"internal error: {type(err).__name__}: {err}", time.perf_counter() - t0)
            else:
                manifest.briefings[name] = _entry(item, briefing, spec.label)
                if time.monotonic() - saved_at[0] >= SAVE_EVERY:
                    save_manifest(out, manifest)
                    saved_at[0] = time.monotonic()
                usage = briefing.meta.usage if briefing.meta else Usage()
                outcome = Outcome(name, True, item.reason or "", time.perf_counter() - t0, usage)
            report.outcomes.append(outcome)
            notify("built" if outcome.ok else "left" if outcome.left else "failed", name, outcome.detail)

    saved_at = [0.0]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="regenerate")
    try:
        await asyncio.gather(*(build(p, pool) for p in planned if p.reason is not None))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        save_manifest(out, manifest)  # writes only what changed (also the stats `plan` refreshed)
        rows = [
            IndexRow(n, e.headline, e.event_date, [shared_name(s, articles) for s in e.sources], e.files)
            for n, e in manifest.briefings.items()
        ]
        write_index(out, rows)
        report.seconds = time.perf_counter() - started
        if ledger is not None:
            report.budget, report.spent, report.worst_cases = ledger.limit, ledger.spent, ledger.worst_cases
    return report


def report_json(report: RunReport) -> str:
    """The run's summary as JSON (for scripts)."""
    return json.dumps(
        {
            "built": sum(1 for o in report.outcomes if o.ok),
            "unchanged": report.unchanged,
            "failed": {o.name: o.detail for o in report.failed},
            "left": [o.name for o in report.left],
            "budget": None
            if report.budget is None
            else {"limit": report.budget, "spent": report.spent, "charged_worst_case": report.worst_cases},
            "orphans": report.orphans,
            "warnings": report.warnings,
            "usage": report.usage.model_dump(),
            "seconds": round(report.seconds, 3),
        },
        indent=1,
    )
