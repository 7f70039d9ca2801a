"""The token budget of a run (``max_tokens_total``): one ledger shared by every request, every thread.

`TokenLedger` keeps what a run has spent and what its requests in flight have reserved. A
request may be sent only when its worst case fits: ``spent + reserved + prompt estimate +
max_tokens <= limit`` (`tokens.request_cost`); it is reserved before it is sent and settled to
what the answer's ``usage`` block says when it comes back, which frees the unused part. One
that fits only once the requests in flight are settled waits for them; one that cannot fit
(``spent + its worst case > limit``) raises `BudgetExceeded` and is never sent.

`LedgerTransport` is where that happens: it sits right on the backend (the HTTP wire, the
embedded model or a cassette), below ``Retrying`` and ``Caching``, so it sees every attempt
that reaches the model — each retry, each instructor re-ask — and never a cache hit (those
cost nothing). What an attempt is charged (`metering.charge`):

* an answer with a believable ``usage`` block (`metering.read_usage` says what that is) — its
  prompt and completion tokens as reported;
* an HTTP error without one (429, 5xx, 4xx) — nothing: the model produced nothing;
* anything else — a timeout, a dropped connection, a body cut short, an answer whose usage is
  missing, negative, zero, not a whole number, absurd or more than its ``max_tokens`` — its
  whole reservation: the model may have generated up to ``max_tokens``. The ledger counts
  these (`TokenLedger.worst_cases`), and a run's summary says how many there were.

A ledger without a limit only counts. The Batch API rounds reserve and settle whole batches
(`reserve` / `settle` directly).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import httpx2

from summariser.errors import BudgetExceeded
from summariser.llm.tokens.counting import PromptCounter, RequestCost, request_cost
from summariser.llm.transport.exchange import chat_body
from summariser.llm.transport.metering import charge

__all__ = ["LedgerTransport", "Reservation", "TokenLedger"]


@dataclass(frozen=True)
class Reservation:
    """Tokens set aside for requests in flight; `TokenLedger.settle` turns it into what they really spent."""

    tokens: int


class TokenLedger:
    """Tokens spent and reserved against a limit (None: no limit, only counting); thread-safe."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.spent = 0
        self.reserved = 0
        self.refused = 0
        """Requests refused because they did not fit (a run starts no new briefing once one was)."""
        self.worst_cases = 0
        """Requests charged their reserved worst case: no answer, or no believable usage in it."""
        self._settled = threading.Condition()

    def fits(self, tokens: int) -> bool:
        """Whether ``tokens`` more would stay within the limit now (no reservation made)."""
        with self._settled:
            return self.limit is None or self.spent + self.reserved + tokens <= self.limit

    def reserve(self, tokens: int) -> Reservation:
        """Set ``tokens`` aside, or raise `BudgetExceeded` (and count a refusal) if they can never fit.

        A request that would fit once the requests in flight are settled waits for them: their
        reservations are worst cases, mostly given back, and refusing on them would stop a run
        that has budget left.
        """
        with self._settled:
            while self.limit is not None and self.spent + self.reserved + tokens > self.limit:
                if self.spent + tokens > self.limit or not self.reserved:
                    self.refused += 1
                    raise BudgetExceeded(self.limit, self.spent, tokens)
                self._settled.wait()
            self.reserved += tokens
        return Reservation(tokens)

    def settle(self, reservation: Reservation, spent: int, worst_cases: int = 0) -> None:
        """Release ``reservation``; charge what its requests ``spent`` (``worst_cases`` of them: their worst case)."""
        with self._settled:
            self.reserved -= reservation.tokens
            self.spent += max(0, spent)
            self.worst_cases += worst_cases
            self._settled.notify_all()

    @property
    def stopped(self) -> bool:
        """True once the budget has refused a request."""
        with self._settled:
            return self.refused > 0


class LedgerTransport(httpx2.BaseTransport):
    """Reserve each chat request's worst case before it is sent, and settle it to its answer's usage."""

    def __init__(self, inner: httpx2.BaseTransport, ledger: TokenLedger, counter: PromptCounter) -> None:
        self.inner = inner
        self.ledger = ledger
        self.counter = counter

    def _cost(self, body: Any) -> RequestCost:
        if self.ledger.limit is None:  # counting only: no estimate needed
            return RequestCost(0, 0)
        return request_cost(self.counter, body)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request`` if its worst case fits the budget (else `BudgetExceeded`); charge what it spent."""
        body = chat_body(request)
        if body is None:
            return self.inner.handle_request(request)
        cost = self._cost(body)
        reservation = self.ledger.reserve(cost.total)
        spent, worst = cost.total, True  # until an answer says otherwise
        try:
            response = self.inner.handle_request(request)
            response.read()
            try:
                answer = json.loads(response.content)
            except (ValueError, RecursionError):
                answer = None
            spent, worst = charge(body, response.status_code, answer, cost.total)
        finally:
            self.ledger.settle(reservation, spent, int(worst))
        return response

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
