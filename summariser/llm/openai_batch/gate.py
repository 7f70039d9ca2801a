"""Collect the requests a run would send, so that the Batch API can answer them first.

`BatchGate` holds what the batch rounds of ``regenerate --batch-api`` know: the requests
waiting for a batch (by cache key) and those a batch failed. Its gates sit in the transport
chain between Metering and the response cache (`client.wrapped_transport`):

* a *collecting* gate lets cache hits through; on a miss it records the canonical request
  and answers with a minimal schema-valid placeholder, so the pipeline goes on and reveals
  the article's other independent requests in the same round. The placeholder never passes
  the cache (or a cassette), and the briefing built from it is thrown away;
* an *enforcing* gate lets cache hits through and turns every miss into a `BackendError`:
  the batch's own error for a request it failed, otherwise "not answered by the batch" — or
  into `BudgetExceeded` for a request the token budget kept out of the batch (``deferred``).
"""

from __future__ import annotations

import threading
from typing import Any, Literal

import httpx2

from summariser.errors import BackendError, BudgetExceeded
from summariser.llm.backends import BackendSpec
from summariser.llm.transport.cache import ResponseCache
from summariser.llm.transport.exchange import Canonical, messages_of
from summariser.llm.transport.gate import (
    ChatGate,
    invented_strings,
    placeholder_content,
    placeholder_response,
)

__all__ = ["BatchGate", "Collector", "GateMode", "GateTransport"]

GateMode = Literal["collect", "enforce"]


class BatchGate:
    """Requests waiting for a batch and requests a batch failed, keyed like the cache (thread-safe)."""

    def __init__(self, spec: BackendSpec) -> None:
        self.spec = spec
        self.pending: dict[str, Any] = {}
        """Cache key → request body, for the next batch."""
        self.failed: dict[str, str] = {}
        """Cache key → why the batch gave no usable answer (a one-line reason)."""
        self.deferred: dict[str, BudgetExceeded] = {}
        """Cache key → the refusal of a request the token budget kept out of the batches."""
        self.rounds = 0
        self._placeholders: set[str] = set()
        self._invented: set[str] = set()
        self._lock = threading.Lock()

    def collector(self) -> Collector:
        """A collecting gate factory for one briefing (it counts that briefing's misses)."""
        return Collector(self, "collect")

    def enforcer(self) -> Collector:
        """An enforcing gate factory: cache hits only; misses fail with the batch's reason."""
        return Collector(self, "enforce")

    def add(self, key: str, body: Any) -> str:
        """Queue ``body`` for the next batch; return the placeholder answer's content."""
        content = placeholder_content(body)
        invented = invented_strings(body, content)
        with self._lock:
            self.pending.setdefault(key, body)
            self._placeholders.add(content)
            self._invented |= invented
        return content

    def derives_from_placeholder(self, body: Any) -> bool:
        """Whether ``body``'s prompt quotes a placeholder answer (e.g. a prompt that quotes an earlier answer).

        Such a request only exists because of the placeholder: it is answered with another
        placeholder and never batched; the real follow-up shows up in the next round. Only the
        strings a placeholder made up count (`invented_strings`): an enum value such as "person"
        is in every kinds prompt, and a request that names it is no follow-up.
        """
        with self._lock:
            leaves = set(self._invented)
        asked = [m for m in messages_of(body) if isinstance(m, dict) and m.get("role") == "user"]
        texts = [str(m.get("content", "")) for m in asked]
        return any(leaf in text for leaf in leaves for text in texts)

    def is_placeholder_reask(self, body: Any) -> bool:
        """Whether ``body`` re-asks after a placeholder answer (never to be batched)."""
        with self._lock:
            return any(
                isinstance(m, dict) and m.get("role") == "assistant" and m.get("content") in self._placeholders
                for m in messages_of(body)
            )


class Collector:
    """Builds gates bound to one ledger; ``keys`` are the misses they queued for a batch (in order)."""

    def __init__(self, ledger: BatchGate, mode: GateMode) -> None:
        self.ledger = ledger
        self.mode = mode
        self.keys: list[str] = []

    @property
    def collected(self) -> int:
        """How many misses the gates queued."""
        return len(self.keys)

    def __call__(self, inner: httpx2.BaseTransport, cache: ResponseCache | None, spec: BackendSpec) -> GateTransport:
        """A `client.Wrapper`: put a gate in front of ``inner`` (which must read ``cache``)."""
        if cache is None:
            raise BackendError("--batch-api needs the response cache, which is off; set cache = 'on'")
        return GateTransport(inner, cache, spec, self)


class GateTransport(ChatGate[BackendSpec]):
    """Pass cache hits on; collect (or refuse) misses — see the module docstring."""

    def __init__(self, inner: httpx2.BaseTransport, cache: ResponseCache, spec: BackendSpec, owner: Collector) -> None:
        super().__init__(inner, cache, spec)
        self.owner = owner

    def miss(self, key: Canonical) -> httpx2.Response:
        """Collect or refuse a miss."""
        ledger = self.owner.ledger
        reason = ledger.failed.get(key.key)
        if reason is not None:
            raise BackendError(reason)
        refusal = ledger.deferred.get(key.key)
        if refusal is not None:
            raise BudgetExceeded(refusal.limit, refusal.spent, refusal.needed)
        if self.owner.mode == "enforce":
            raise BackendError(
                f"{self.spec.label} needs an answer that {ledger.rounds} batch rounds did not ask for "
                "(a follow-up request); rerun the same command to send another batch"
            )
        if ledger.is_placeholder_reask(key.body):
            raise BackendError("internal error: a batch placeholder answer failed validation; report this bug")
        if ledger.derives_from_placeholder(key.body):
            content = placeholder_content(key.body)
        else:
            content = ledger.add(key.key, key.body)
            self.owner.keys.append(key.key)
        return placeholder_response(key.body, content)
