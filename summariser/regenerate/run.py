"""The build: `run` makes every briefing the plan (`summariser.regenerate.plan`) asks for: concurrently against an HTTP
endpoint (bounded by ``concurrency``), on the embedded model as many at a time as fill its
batch (`llm.embedded.sequence_routing.sequences` side by side, `REQUESTS_AT_ONCE` per briefing).
Each briefing's JSON, Markdown and review page are written atomically, and the manifest at
most every `SAVE_EVERY` seconds and at the end: killing the run at any moment leaves every
briefing intact, and the next run resumes (rebuilding, from the response cache, at most the
briefings of the last second). A failing briefing is reported with its reason and does not stop the others.

Briefings and pages are meant to be shared: each source is named by its title or its path
relative to the articles folder (`shareable`), never by where the folder was on the machine
that built it. With ``edit_pages`` the review pages are written in edit mode, for making gold.
With a token budget (``max_tokens_total``) every briefing's requests are held to one shared
`TokenLedger`: a request whose worst case would not fit is not sent (`summariser.llm.tokens.run_budget`).
Its briefing is *left* — not written, not in the manifest, so the next run builds it (its
answers so far are in the response cache and cost nothing then) — and once the budget has
refused a request no new briefing starts; those in flight go on while their requests fit.
The report (`report.RunReport`) counts the requests of every briefing the run started, built, failed
or left, and how many the budget charged their worst case (`TokenLedger.worst_cases`: no believable usage).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import testpoints
from ..atomic import write_atomic
from ..brief import prompts
from ..config import Settings
from ..errors import BudgetExceeded, SummariserError
from ..llm import TokenLedger, resolve, sequences
from ..output.editing import EditPage, gold_name
from ..output.index import IndexRow, write_index
from ..output.render import to_json, to_markdown
from ..output.review import write_review
from ..output.whats_new import news_line
from ..schemas import SCHEMA_VERSION, Briefing, Usage
from ..settings_table import DEFAULT_CONCURRENCY
from .history import build_version, keep_version
from .lock import FolderMoved
from .manifest import Entry, Manifest, save_manifest
from .paths import article_path, inside, outputs
from .plan import Planned
from .report import Outcome, RunReport

if TYPE_CHECKING:
    from ..llm import Wrapper
    from .auto_events import EventInfo

__all__ = [
    "NOT_STARTED",
    "SAVE_EVERY",
    "Event",
    "run",
    "shareable",
    "shared_name",
]


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


class _Run:
    """One run's shared state: what building each briefing reads (folders, settings, budget) and fills in.

    `build` is one briefing, as a coroutine: the event loop runs every briefing's `build`
    (so the report's outcomes and the manifest change on one thread), the briefing itself
    is made on a worker of ``pool``, whose usage reports come in on that worker (`count`,
    under a lock).
    """

    def __init__(
        self,
        report: RunReport,
        articles: Path,
        out: Path,
        manifest: Manifest,
        settings: Settings,
        *,
        label: str,
        pool: ThreadPoolExecutor,
        workers: int,
        on_event: Event | None,
        wrap: Wrapper | None,
        edit_pages: bool,
        ledger: TokenLedger | None,
        events: Mapping[str, EventInfo] | None = None,
        versions: bool = False,
    ) -> None:
        from ..brief.pipeline import build  # openai + instructor: only when something is built

        self.report, self.articles, self.out, self.manifest, self.settings = report, articles, out, manifest, settings
        self.label, self.pool, self.wrap, self.edit_pages, self.ledger = label, pool, wrap, edit_pages, ledger
        self.events, self.versions = events, versions
        self.notify: Event = on_event or (lambda kind, name, detail: None)
        self._build_briefing = build
        self._gate = asyncio.Semaphore(workers)
        self._counting = threading.Lock()
        self._saved_at = 0.0

    def count(self, usage: Usage) -> None:
        """Count one request's usage in the report (called from the worker threads)."""
        with self._counting:
            self.report.add(usage)

    async def build(self, item: Planned) -> None:
        """Build one briefing when a worker is free, unless the token budget has stopped the run; report it."""
        async with self._gate:
            if self.ledger is not None and self.ledger.stopped:
                self._record(Outcome(item.job.name, False, NOT_STARTED, 0.0, left=True))
                return
            self.notify("start", item.job.name, item.reason or "")
            self._record(await self._outcome(item))

    def _record(self, outcome: Outcome) -> None:
        self.report.outcomes.append(outcome)
        kind = "built" if outcome.ok else "left" if outcome.left else "failed"
        self.notify(kind, outcome.name, outcome.detail)

    async def _outcome(self, item: Planned) -> Outcome:
        """Build and write one briefing; any failure but a moved folder is its outcome, not the run's end."""
        name = item.job.name
        t0 = time.perf_counter()
        try:
            briefing = await self._written(item)
        except FolderMoved:
            raise  # not this briefing's failure: the run stops (`lock`)
        except BudgetExceeded as err:
            detail = f"left for the next run: its next request could need up to {err.needed:,} tokens"
            return Outcome(name, False, detail, time.perf_counter() - t0, left=True)
        except SummariserError as err:
            return Outcome(name, False, err.message, time.perf_counter() - t0, error=err.as_dict())
        except Exception as err:  # a bug must not stop the other briefings either
            return Outcome(name, False, f"internal error: {type(err).__name__}: {err}", time.perf_counter() - t0)
        self._keep(item, briefing)
        usage = briefing.meta.usage if briefing.meta else Usage()
        return Outcome(name, True, item.reason or "", time.perf_counter() - t0, usage, news=news_line(briefing.updates))

    async def _written(self, item: Planned) -> Briefing:
        """The briefing of ``item``, made on a worker thread and written (JSON, Markdown, review page)."""
        name, inputs = item.job.name, item.job.inputs
        targets = _targets(self.out, name)
        paths = [article_path(self.articles, f) for f in inputs]
        folder = self.out if self.versions else None  # an event's briefing: the next version of the one on disk
        make = partial(build_version, self._build_briefing, paths, self.settings, folder, name, wrap=self.wrap,
                       ledger=self.ledger, on_usage=self.count)  # fmt: skip
        built, earlier = await asyncio.get_running_loop().run_in_executor(self.pool, make)
        briefing = shareable(built, paths, inputs)
        page = EditPage(gold_name(name), [(self.articles / f).as_posix() for f in inputs]) if self.edit_pages else None
        if earlier is not None:
            keep_version(self.out, name, earlier)  # kept before the new version replaces it
        _write(targets, briefing, page)
        testpoints.reached("briefing-written")
        return briefing

    def _keep(self, item: Planned, briefing: Briefing) -> None:
        """Enter a written briefing in the manifest, saved at most every `SAVE_EVERY` seconds."""
        self.manifest.briefings[item.job.name] = _entry(item, briefing, self.label)
        if time.monotonic() - self._saved_at >= SAVE_EVERY:
            save_manifest(self.out, self.manifest)
            self._saved_at = time.monotonic()

    def finish(self) -> None:
        """Save the manifest and write the folder's index, however the run ended; note what the budget spent."""
        save_manifest(self.out, self.manifest)  # writes only what changed (also the stats `plan` refreshed)
        rows = [
            IndexRow(n, e.headline, e.event_date, [shared_name(s, self.articles) for s in e.sources], e.files)
            for n, e in self.manifest.briefings.items()
        ]
        if self.events is not None:  # a folder grouped into events: each event's label, articles and days
            infos = self.events
            rows = [
                IndexRow(r.name, r.headline, r.event_date, r.sources, r.files, info.label, info.articles)
                if (info := infos.get(r.name)) is not None
                else r
                for r in rows
            ]
        write_index(self.out, rows)


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
    events: Mapping[str, EventInfo] | None = None,
    versions: bool = False,
) -> RunReport:
    """Build every planned briefing that has a reason; save the manifest after each one.

    ``wrap`` goes in front of every client's cache (``--batch-api`` enforces its batches there).
    ``edit_pages`` writes the review pages in edit mode (their ``sources.yaml`` lines name the
    articles as ``articles`` does, for a ``gold/`` folder beside it).
    ``ledger`` is the run's token budget (default: one of ``settings.max_tokens_total``, if set).
    ``events`` (a folder grouped into events) gives the index each event's label, articles and days.
    ``versions`` (``--group-by event``): a briefing rebuilt because articles joined it is the next version
    of the one on disk, which is kept (`summariser.regenerate.history`), and says what they add.
    """
    spec = resolve(settings.model, settings.api_key)
    # the embedded model decodes `sequences()` requests side by side: as many briefings as fill them
    embedded = max(1, sequences() // REQUESTS_AT_ONCE)
    workers = max(1, concurrency if spec.embedded is None else min(concurrency, embedded))
    if ledger is None and settings.max_tokens_total is not None:
        ledger = TokenLedger(settings.max_tokens_total)
    report = RunReport(unchanged=sum(1 for p in planned if p.reason is None))
    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="regenerate")
    state = _Run(
        report,
        articles,
        out,
        manifest,
        settings,
        label=spec.label,
        pool=pool,
        workers=workers,
        on_event=on_event,
        wrap=wrap,
        edit_pages=edit_pages,
        ledger=ledger,
        events=events,
        versions=versions,
    )
    try:
        await asyncio.gather(*(state.build(p) for p in planned if p.reason is not None))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        state.finish()
        report.seconds = time.perf_counter() - started
        if ledger is not None:
            report.budget, report.spent, report.worst_cases = ledger.limit, ledger.spent, ledger.worst_cases
    return report
