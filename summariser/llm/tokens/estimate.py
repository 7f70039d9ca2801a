"""What the requests of one briefing would cost, found without sending them (``regenerate --dry-run``).

An `Estimator` is a `client.Wrapper`: its gate sits between Metering and the response cache,
like the batch rounds' collecting gate (`batch.gate`), and sees every request the pipeline
makes — rendered by the pipeline itself, one pair per part of an article too long for the
context. A request the response cache would answer passes through and costs nothing (counted
in ``cached``); any other is counted at its worst case (`tokens.request_cost`: prompt tokens
and ``max_tokens``) and answered with a schema-valid placeholder (`batch.gate`), so the
pipeline goes on to its next request. Nothing reaches the backend and nothing is stored.

Re-asks and retries are not foreseen: they happen only when a real answer fails.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import httpx2

from summariser.llm.backends import BackendSpec
from summariser.llm.tokens.counting import PromptCounter, RequestCost, request_cost
from summariser.llm.transport.cache import CacheMode, ResponseCache
from summariser.llm.transport.exchange import Canonical, messages_of
from summariser.llm.transport.gate import ChatGate, placeholder_response

__all__ = ["EstimatingGate", "Estimator", "Tally"]


@dataclass
class Tally:
    """The requests one briefing would send (each at its worst case) and those the cache would answer."""

    requests: list[RequestCost] = field(default_factory=list)
    cached: int = 0

    @property
    def prompt(self) -> int:
        """Prompt tokens of the requests that would be sent."""
        return sum(r.prompt for r in self.requests)

    @property
    def completion(self) -> int:
        """The completion bound (``max_tokens``) summed over the requests that would be sent."""
        return sum(r.completion for r in self.requests)


class Estimator:
    """A wrapper factory for one briefing: its gates count into ``tally``."""

    def __init__(self, counter: PromptCounter, mode: CacheMode) -> None:
        self.counter = counter
        self.mode = mode
        self.tally = Tally()
        self._lock = threading.Lock()

    def __call__(self, inner: httpx2.BaseTransport, cache: ResponseCache | None, spec: BackendSpec) -> EstimatingGate:
        """A `client.Wrapper`: put an estimating gate in front of ``inner``."""
        return EstimatingGate(inner, cache if self.mode == "on" else None, spec, self)

    def add(self, cost: RequestCost | None) -> None:
        """Count one request that would be sent (``cost``) or answered by the cache (None)."""
        with self._lock:
            if cost is None:
                self.tally.cached += 1
            else:
                self.tally.requests.append(cost)


def _reasks(body: Any) -> bool:
    """Whether ``body`` re-asks after an answer (a placeholder that failed a validator): not a request of the plan."""
    return any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages_of(body))


class EstimatingGate(ChatGate[BackendSpec]):
    """Pass cache hits on (cost 0); count every other chat request and answer it with a placeholder."""

    def __init__(
        self, inner: httpx2.BaseTransport, cache: ResponseCache | None, spec: BackendSpec, owner: Estimator
    ) -> None:
        super().__init__(inner, cache, spec)
        self.owner = owner

    def hit(self, key: Canonical) -> None:
        """Count a request the cache answers: it costs nothing."""
        self.owner.add(None)

    def miss(self, key: Canonical) -> httpx2.Response:
        """Count the request at its worst case (not a re-ask of a placeholder) and answer with a placeholder."""
        if not _reasks(key.body):
            self.owner.add(request_cost(self.owner.counter, key.body))
        return placeholder_response(key.body)
