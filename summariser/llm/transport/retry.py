"""Retry policy for transient failures, as an httpx2 transport (tenacity underneath).

Retried: 408/409/425/429/500/502/503/504, timeouts, connection errors and resets, and a
chat completion answered 200 with a JSON body cut short (`TruncatedBody`) — with exponential backoff and jitter, or
the server's ``Retry-After`` when it sends one (capped). Never retried: 400, 401, 403, 404,
422 and other client errors. After the last attempt the final response is returned (or the
final exception raised) so the caller sees the real cause.

Every request runs under a `wire.Deadline` when the transport is given a clock for them
(``deadline``, e.g. `wire.Deadlines.request`): the whole request, retries and waits included,
ends by it — no attempt starts after it, no backoff sleeps past it, and the deadline rides
on the request (``extensions``) down to `wire.WireTransport`, which holds every socket
operation to it.

Only answers without a readable ``usage`` block are retried here, below the metering layer,
so no attempt that spent tokens is hidden from the token count. Complete answers that are
unusable (invalid, cut at ``max_tokens``, no choices) are the client's business.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter
from tenacity.stop import stop_base

from summariser.llm.transport.exchange import is_chat
from summariser.llm.transport.wire import DEADLINE, Deadline

__all__ = [
    "RETRY_STATUS",
    "TRANSIENT_ERRORS",
    "RetryPolicy",
    "RetryingTransport",
    "TruncatedBody",
    "retry_after_seconds",
]

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
TRANSIENT_ERRORS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, backoff base and cap, Retry-After cap (seconds)."""

    attempts: int = 4
    initial: float = 0.5
    max_backoff: float = 20.0
    max_retry_after: float = 60.0


class TruncatedBody(httpx2.RemoteProtocolError):
    """A 200 JSON response whose body arrived whole at the transport but is cut short.

    The server (or a proxy) ended the message early with a consistent length: as transient
    as a reset mid-body, and retried the same way.
    """


def _truncated_json(response: httpx2.Response) -> bool:
    """True if ``response`` (already read) claims to be one JSON document but its body does not parse.

    Only ``application/json`` (or ``+json``) counts: JSON Lines (``application/jsonl``, e.g. a
    batch's result file) is many documents and is never one to parse.
    """
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return False
    try:
        json.loads(response.content)
    except RecursionError:  # complete but nested deeper than any answer: not a transport fault
        return False
    except ValueError:
        return True
    return False


class _Transient(Exception):
    def __init__(self, response: httpx2.Response | None, error: Exception | None = None) -> None:
        super().__init__(str(error) if error else f"HTTP {response.status_code if response else '?'}")
        self.response = response
        self.error = error


def retry_after_seconds(response: httpx2.Response | None, cap: float) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` as seconds or HTTP date), capped."""
    if response is None:
        return None
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):  # neither seconds nor a date: ignore it, back off as usual
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, cap))


class RetryingTransport(httpx2.BaseTransport):
    """Retry transient failures of the inner transport according to a `RetryPolicy`."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        deadline: Callable[[], Deadline] | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.deadline = deadline
        self.attempts_made = 0
        self._backoff = wait_exponential_jitter(multiplier=self.policy.initial, max=self.policy.max_backoff)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient):
            asked = retry_after_seconds(exc.response, self.policy.max_retry_after)
            if asked is not None:
                return asked
        return float(self._backoff(state))

    def _once(self, request: httpx2.Request) -> httpx2.Response:
        deadline: Deadline | None = request.extensions.get(DEADLINE)
        if deadline is not None:
            deadline.check()  # no attempt starts after the deadline
        self.attempts_made += 1
        try:
            response = self.inner.handle_request(request)
        except TRANSIENT_ERRORS as err:
            raise _Transient(None, err) from err
        try:
            # Read the body here, inside the retry: a connection that drops mid-body is as
            # transient as one that drops before the headers.
            response.read()
        except TRANSIENT_ERRORS as err:
            response.close()
            raise _Transient(None, err) from err
        if response.status_code == 200 and is_chat(request) and _truncated_json(response):
            size = len(response.content)
            response.close()
            raise _Transient(None, TruncatedBody(f"HTTP 200 with a JSON body cut short after {size} bytes"))
        if response.status_code in RETRY_STATUS:
            raise _Transient(response)
        return response

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request``, retrying transient failures; return the final response."""
        stop: stop_base = stop_after_attempt(self.policy.attempts)
        if self.deadline is not None:
            deadline = self.deadline()
            request.extensions[DEADLINE] = deadline
            # No backoff that would sleep past the deadline: the last outcome is the answer.
            stop = stop | _OutOfTime(deadline)
        retrying = Retrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, request)
        except _Transient as final:
            if final.response is not None:
                return final.response
            assert final.error is not None
            raise final.error from None

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()


class _OutOfTime(stop_base):
    """Stop retrying when the next wait would end past the request's deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.deadline.remaining() <= retry_state.upcoming_sleep
