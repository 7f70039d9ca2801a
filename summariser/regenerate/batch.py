"""``regenerate --batch-api``: answer a run's requests through the OpenAI Batch API, then build.

Batch rounds fill the response cache; the normal build (`regenerate.run`) then finds every
answer there. A round:

1. *collect* — run the pipeline for every briefing still waiting, with a collecting gate in
   front of the cache (`llm.openai_batch.gate`): hits pass, each miss is queued under its cache key and
   answered with a throw-away placeholder, so one pass finds all of an article's independent
   requests. Nothing of a collecting pass is written anywhere.
2. *submit* — send the queued requests as one batch (`llm.openai_batch.jobs`), wait for it, and store
   every complete, schema-valid answer in the cache under its request's key.

Rounds repeat while new misses appear (instructor's re-ask depends on the answer it rejects), at
most `BatchOptions.rounds` times. The build then runs behind an enforcing gate: nothing goes
to the endpoint outside a batch, and a briefing whose request the batch failed fails with
the batch's reason while the others are written as usual.

With a token budget, a round sends the requests of the briefings, in plan order, whose worst
case (`llm.tokens.counting.request_cost`) still fits; it reserves that much and is charged what the
batch's answers report where that is believable, and each other answer's worst case
(`llm.transport.metering.charge`). The briefings after the first that does not fit are kept out (their
requests are *deferred*): their build meets `BudgetExceeded` and leaves them for the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import progress
from ..config import Settings
from ..errors import BudgetExceeded
from ..llm import (
    BatchGate,
    BatchOptions,
    BatchOutcome,
    BatchRunner,
    ResponseCache,
    TokenLedger,
    check_batchable,
    counter_for,
    request_cost,
    resolve,
)
from ..schemas import Usage
from ..settings_table import DEFAULT_CONCURRENCY
from .manifest import Manifest
from .paths import BATCH_STATE, article_path
from .plan import Planned
from .report import RunReport
from .run import Event, run

if TYPE_CHECKING:
    from .auto_events import EventInfo

__all__ = ["STATE_FILE", "BatchOptions", "BatchSummary", "prefill", "run_batched"]

#: Batches in flight, in the briefings folder: a rerun picks them up instead of paying twice.
STATE_FILE = BATCH_STATE


@dataclass
class BatchSummary:
    """What the batch rounds did: rounds run, requests sent, batch ids, failures, token usage."""

    rounds: int = 0
    requests: int = 0
    stored: int = 0
    failed: int = 0
    batch_ids: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)

    def add(self, sent: int, outcome: BatchOutcome) -> None:
        """Account for one round that sent ``sent`` requests."""
        self.rounds += 1
        self.requests += sent
        self.stored += outcome.stored
        self.failed += len(outcome.failed)
        self.batch_ids += outcome.batch_ids
        for key in ("requests", "prompt_tokens", "completion_tokens"):
            setattr(self.usage, key, getattr(self.usage, key) + getattr(outcome.usage, key))

    def line(self) -> str:
        """One line for the terminal."""
        if not self.rounds:
            return "batch: nothing to send (every answer was in the response cache)"
        return (
            f"batch: {self.requests} requests in {self.rounds} round(s) ({', '.join(self.batch_ids)}); "
            f"{self.stored} answered, {self.failed} failed; tokens in / out "
            f"{self.usage.prompt_tokens} / {self.usage.completion_tokens}"
        )


def _collect(ledger: BatchGate, item: Planned, articles: Path, settings: Settings) -> list[str]:
    """Run one briefing's pipeline behind a collecting gate; the cache keys of the requests it queued."""
    from ..brief.pipeline import build

    collector = ledger.collector()
    # Any failure here (a placeholder's or an input's) is met again, and reported, by the build.
    with contextlib.suppress(Exception):
        build([article_path(articles, f) for f in item.job.inputs], settings, wrap=collector)
    return collector.keys


def _affordable(ledger: BatchGate, tokens: TokenLedger, queued: Sequence[list[str]]) -> tuple[dict[str, Any], int]:
    """The pending requests of the first briefings whose worst case fits ``tokens``, and that worst case.

    The requests of every later briefing are recorded in ``ledger.deferred``.
    """
    counter = counter_for(ledger.spec)
    chosen: dict[str, Any] = {}
    total = 0
    for keys in queued:
        new = [k for k in dict.fromkeys(keys) if k not in chosen]
        costs = {k: request_cost(counter, ledger.pending[k]).total for k in new}
        if not tokens.fits(total + sum(costs.values())):
            break
        chosen.update((k, ledger.pending[k]) for k in new)
        total += sum(costs.values())
    for key in ledger.pending.keys() - chosen.keys():
        needed = request_cost(counter, ledger.pending[key]).total
        ledger.deferred[key] = BudgetExceeded(tokens.limit or 0, tokens.spent + tokens.reserved + total, needed)
    return chosen, total


def prefill(
    planned: Sequence[Planned],
    articles: Path,
    settings: Settings,
    options: BatchOptions,
    state: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    concurrency: int = DEFAULT_CONCURRENCY,
    tokens: TokenLedger | None = None,
) -> tuple[BatchGate, BatchSummary]:
    """Run the batch rounds for every planned briefing with a reason; return the ledger and a summary.

    The collecting passes run ``concurrency`` briefings at a time (they never wait for a model).
    ``tokens`` is the run's token budget: each round sends only what fits (see the module docstring).
    """
    spec = resolve(settings.model, settings.api_key)
    check_batchable(spec, settings.llm_options())
    ledger, summary = BatchGate(spec), BatchSummary()
    todo = [p for p in planned if p.reason is not None]
    if not todo:
        return ledger, summary
    runner = BatchRunner(spec, settings.llm_options(), options, state, sleep)
    cache = ResponseCache(settings.response_cache_dir())
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="batch-collect")
    try:
        for number in range(1, options.rounds + 1):
            ledger.pending = {}
            progress.report(f"batch round {number}: collecting the requests of {len(todo)} briefings")
            queued = list(pool.map(lambda item: _collect(ledger, item, articles, settings), todo))
            waiting = [item for item, keys in zip(todo, queued, strict=True) if keys]
            if not ledger.pending:
                break
            requests, worst = dict(ledger.pending), 0
            if tokens is not None and tokens.limit is not None:
                requests, worst = _affordable(ledger, tokens, [keys for keys in queued if keys])
                waiting = [item for item, keys in zip(todo, queued, strict=True) if keys and set(keys) <= set(requests)]
                if not requests:
                    break
            progress.report(f"batch round {number}: {len(requests)} requests for {len(waiting)} briefings")
            reservation = tokens.reserve(worst) if tokens is not None else None
            charged, at_worst = worst, len(requests)  # a round that does not come back: each at its worst case
            try:
                outcome = runner.submit(requests, cache)
                charged, at_worst = outcome.charged, outcome.worst_cases  # `metering.charge`, answer by answer
            finally:
                if tokens is not None and reservation is not None:
                    tokens.settle(reservation, charged, at_worst)
            ledger.failed.update(outcome.failed)
            ledger.rounds = number
            summary.add(len(requests), outcome)
            todo = waiting
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        runner.close()
        cache.close()
    return ledger, summary


async def run_batched(
    planned: Sequence[Planned],
    articles: Path,
    out: Path,
    manifest: Manifest,
    settings: Settings,
    *,
    options: BatchOptions | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_event: Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    edit_pages: bool = False,
    events: Mapping[str, EventInfo] | None = None,
    versions: bool = False,
) -> tuple[RunReport, BatchSummary]:
    """`regenerate.run` after batch rounds: every answer comes from a batch, through the cache."""
    started = time.perf_counter()
    tokens = TokenLedger(settings.max_tokens_total) if settings.max_tokens_total is not None else None
    ledger, summary = await asyncio.to_thread(
        prefill, planned, articles, settings, options or BatchOptions(), out / STATE_FILE, sleep, concurrency, tokens
    )
    report = await run(
        planned,
        articles,
        out,
        manifest,
        settings,
        concurrency=concurrency,
        on_event=on_event,
        wrap=ledger.enforcer(),
        edit_pages=edit_pages,
        ledger=tokens,
        events=events,
        versions=versions,
    )
    report.seconds = time.perf_counter() - started  # the wall time includes the wait for the batches
    return report, summary
