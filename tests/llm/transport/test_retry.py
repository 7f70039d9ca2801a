"""Tests of summariser.llm.transport.retry: which failures are retried, how long it waits, what it returns.

The inner transport is an ``httpx2.MockTransport`` that answers a scripted sequence, and
``sleep`` is injected to record the waits: nothing really sleeps.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from summariser.errors import CassetteMiss
from summariser.llm.transport.retry import RetryingTransport, RetryPolicy, retry_after_seconds

URL = "http://backend.test/v1/chat/completions"
OK_BODY = {"choices": [{"message": {"role": "assistant", "content": "{}"}, "finish_reason": "stop"}]}

Step = int | httpx2.Response | Exception


class Script:
    """A MockTransport handler that plays ``steps`` in order: a status, a response, or an exception to raise."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.calls = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert self.calls < len(self.steps), f"transport called {self.calls + 1} times; only {len(self.steps)} scripted"
        step = self.steps[self.calls]
        self.calls += 1
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx2.Response):
            return step
        body = OK_BODY if step == 200 else {"error": {"message": f"status {step}"}}
        return httpx2.Response(step, json=body)


def make(script: Script, **policy: Any) -> tuple[RetryingTransport, list[float]]:
    waits: list[float] = []
    transport = RetryingTransport(httpx2.MockTransport(script), RetryPolicy(**policy), sleep=waits.append)
    return transport, waits


def send(transport: httpx2.BaseTransport) -> httpx2.Response:
    with httpx2.Client(transport=transport) as client:
        return client.post(URL, json={"model": "m", "messages": [{"role": "user", "content": "hi"}]})


def http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(dt.UTC), usegmt=True)


# --------------------------------------------------------------------------- Retry-After


def test_429_with_retry_after_seconds_waits_what_the_server_asked() -> None:
    script = Script(httpx2.Response(429, headers={"Retry-After": "2"}, json={}), 200)
    transport, waits = make(script)
    response = send(transport)
    assert response.status_code == 200
    assert response.json() == OK_BODY
    assert waits == [2.0]
    assert script.calls == 2
    assert transport.attempts_made == 2


def test_retry_after_as_http_date_waits_until_that_time() -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    script = Script(httpx2.Response(503, headers={"Retry-After": http_date(later)}, json={}), 200)
    transport, waits = make(script)
    assert send(transport).status_code == 200
    assert len(waits) == 1
    # The date has one-second resolution and a moment passes before the wait is computed.
    assert 28.0 <= waits[0] <= 30.0


def test_retry_after_date_in_the_past_means_no_wait() -> None:
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    script = Script(httpx2.Response(429, headers={"Retry-After": http_date(earlier)}, json={}), 200)
    transport, waits = make(script)
    assert send(transport).status_code == 200
    assert waits == [0.0]


def test_huge_retry_after_is_capped_at_max_retry_after() -> None:
    script = Script(httpx2.Response(429, headers={"Retry-After": "86400"}, json={}), 200)
    transport, waits = make(script, max_retry_after=7.5)
    assert send(transport).status_code == 200
    assert waits == [7.5]


def test_huge_retry_after_date_is_capped_too() -> None:
    far = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    script = Script(httpx2.Response(429, headers={"Retry-After": http_date(far)}, json={}), 200)
    transport, waits = make(script, max_retry_after=5.0)
    assert send(transport).status_code == 200
    assert waits == [5.0]


def test_unparseable_retry_after_falls_back_to_backoff() -> None:
    # A server sending garbage must not turn a retryable 429 into a crash.
    script = Script(httpx2.Response(429, headers={"Retry-After": "soon"}, json={}), 200)
    transport, waits = make(script, initial=0.25, max_backoff=3.0)
    assert send(transport).status_code == 200
    assert len(waits) == 1
    assert 0.25 <= waits[0] <= 3.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [("0", 0.0), ("1.5", 1.5), ("-3", 0.0), ("120", 60.0), ("not a date", None), ("", None)],
)
def test_retry_after_seconds_parsing(header: str, expected: float | None) -> None:
    response = httpx2.Response(429, headers={"Retry-After": header} if header else {})
    assert retry_after_seconds(response, cap=60.0) == expected


# --------------------------------------------------------------------------- backoff


def test_429_without_retry_after_backs_off_exponentially_within_the_cap() -> None:
    script = Script(429, 429, 429, 429, 200)
    transport, waits = make(script, attempts=5, initial=0.5, max_backoff=2.0)
    assert send(transport).status_code == 200
    assert script.calls == 5
    assert len(waits) == 4
    for n, wait in enumerate(waits):
        # tenacity's wait_exponential_jitter: initial * 2**n plus jitter, capped at max_backoff.
        assert min(0.5 * 2**n, 2.0) <= wait <= 2.0
    assert waits[-1] == 2.0  # 0.5 * 2**3 = 4 > cap


def test_backoff_has_jitter() -> None:
    first_waits = set()
    for _ in range(12):
        script = Script(429, 200)
        transport, waits = make(script, initial=0.5, max_backoff=20.0)
        send(transport)
        assert len(waits) == 1 and 0.5 <= waits[0] <= 20.0
        first_waits.add(waits[0])
    assert len(first_waits) > 1, "every wait was identical: no jitter"


# --------------------------------------------------------------------------- what is retried


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
def test_transient_status_is_retried(status: int) -> None:
    script = Script(status, 200)
    transport, waits = make(script)
    response = send(transport)
    assert response.status_code == 200
    assert script.calls == 2
    assert len(waits) == 1 and waits[0] > 0


@pytest.mark.parametrize(
    "error",
    [
        httpx2.ReadTimeout("read timed out"),
        httpx2.ConnectTimeout("connect timed out"),
        httpx2.ConnectError("connection refused"),
        httpx2.RemoteProtocolError("server disconnected without sending a response"),
        httpx2.ReadError("connection reset by peer"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_transient_exception_is_retried(error: Exception) -> None:
    script = Script(error, 200)
    transport, waits = make(script)
    assert send(transport).status_code == 200
    assert script.calls == 2
    assert len(waits) == 1


class _BrokenStream(httpx2.SyncByteStream):
    """A body that breaks off half way, as when the server closes the connection mid-response."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"choices": [{"mess'
        raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")


def test_connection_dropped_mid_body_is_retried() -> None:
    script = Script(httpx2.Response(200, stream=_BrokenStream()), 200)
    transport, waits = make(script)
    response = send(transport)
    assert response.status_code == 200
    assert response.json() == OK_BODY
    assert script.calls == 2
    assert len(waits) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(status: int) -> None:
    script = Script(status, 200)
    transport, waits = make(script)
    response = send(transport)
    assert response.status_code == status
    assert response.json() == {"error": {"message": f"status {status}"}}
    assert script.calls == 1
    assert transport.attempts_made == 1
    assert waits == []


def test_non_transient_exception_is_not_retried() -> None:
    script = Script(CassetteMiss("no recorded answer"), 200)
    transport, waits = make(script)
    with pytest.raises(CassetteMiss):
        send(transport)
    assert script.calls == 1
    assert waits == []


# --------------------------------------------------------------------------- giving up


def test_after_the_last_attempt_the_last_response_is_returned() -> None:
    script = Script(
        httpx2.Response(503, json={"error": {"message": "first"}}),
        httpx2.Response(502, json={"error": {"message": "second"}}),
        httpx2.Response(503, json={"error": {"message": "third"}}),
    )
    transport, waits = make(script, attempts=3, initial=0.01, max_backoff=0.05)
    response = send(transport)
    assert response.status_code == 503
    assert response.json() == {"error": {"message": "third"}}
    assert script.calls == 3
    assert len(waits) == 2
    assert all(0 < w <= 0.05 for w in waits)


def test_after_the_last_attempt_the_last_exception_is_raised() -> None:
    script = Script(httpx2.ConnectError("refused 1"), httpx2.ReadTimeout("timeout 2"), httpx2.ConnectError("refused 3"))
    transport, waits = make(script, attempts=3, initial=0.01, max_backoff=0.05)
    with pytest.raises(httpx2.ConnectError, match="refused 3"):
        send(transport)
    assert script.calls == 3
    assert len(waits) == 2


def test_a_single_attempt_policy_never_retries() -> None:
    script = Script(503, 200)
    transport, waits = make(script, attempts=1)
    assert send(transport).status_code == 503
    assert script.calls == 1
    assert waits == []


def test_retried_request_body_is_resent_unchanged() -> None:
    seen: list[Any] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.read()))
        return httpx2.Response(503 if len(seen) == 1 else 200, json=OK_BODY)

    transport = RetryingTransport(httpx2.MockTransport(handler), RetryPolicy(), sleep=lambda _: None)
    assert send(transport).status_code == 200
    assert len(seen) == 2
    assert seen[0] == seen[1] == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
