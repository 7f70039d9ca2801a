"""Deadlines: a point on the monotonic clock per request, and the `Deadlines` of one client they come from.

A `Deadline` is a point on the monotonic clock and the one-line message to give when it has
passed. A `Deadlines` hands them out: ``timeout`` seconds per call — inside `Deadlines.call`, a
request and the re-asks after answers that did not validate share one timeout, so a server
that keeps answering invalid JSON cannot stretch a call past it — and ``deadline`` seconds for
every request of the client (one briefing). `retry.RetryingTransport` puts each request's
deadline on it (`wire.DEADLINE`) and `wire.WireTransport` holds every socket operation to it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from summariser.errors import EndpointError

__all__ = ["Deadline", "Deadlines"]


@dataclass(frozen=True)
class Deadline:
    """A point on the monotonic clock, and the one-line message for when it has passed."""

    at: float
    message: str

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - time.monotonic()

    def check(self) -> None:
        """Raise `EndpointError` with the message if the deadline has passed."""
        if self.remaining() <= 0:
            raise EndpointError(self.message)


class Deadlines:
    """The deadlines of one client: ``timeout`` seconds per call (or request), ``deadline`` for all of them.

    The briefing's clock starts when the budget is made (a client serves one briefing).
    """

    def __init__(self, where: str, timeout: float, deadline: float | None = None) -> None:
        self.where = where
        self.timeout = timeout
        self.deadline = deadline
        self._end = None if deadline is None else time.monotonic() + deadline
        self._calls = threading.local()  # the end of the call running in each thread

    @contextmanager
    def call(self) -> Iterator[None]:
        """One call (a request and its re-asks, in this thread) within ``timeout`` s in all; nested: the outer's."""
        outer = getattr(self._calls, "end", None)
        if outer is None:
            self._calls.end = time.monotonic() + self.timeout
        try:
            yield
        finally:
            if outer is None:
                self._calls.end = None

    def request(self) -> Deadline:
        """The deadline of a request starting now: what is left of the call's timeout, or the briefing's end."""
        call_end: float | None = getattr(self._calls, "end", None)
        at = time.monotonic() + self.timeout if call_end is None else call_end
        if self._end is not None and self._end <= at:
            return Deadline(
                self._end,
                f"the briefing took longer than its deadline of {self.deadline:g} s ({self.where} still "
                "answering); raise --deadline (SUMMARISER_DEADLINE, or deadline in the config file) "
                "or check the server",
            )
        return Deadline(
            at,
            f"{self.where} sent no complete answer within {self.timeout:g} s (the per-request timeout, "
            "retries and re-asks included); check the server, or raise --timeout (SUMMARISER_TIMEOUT)",
        )
