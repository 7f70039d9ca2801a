"""Fault injection at the backend boundary: a transport that answers a scripted run of faults.

`FaultTransport` sits where the real backend sits — below ``Retrying`` and ``Caching``, in
place of the HTTP or embedded transport — so the whole chain above it runs for real::

    instructor → openai → httpx2 client → Metering → Caching → Retrying → FaultTransport

Each request takes the next `Fault` of the script (``then`` once the script runs out) and
gets that fault: an HTTP error, an exception raised by the transport (timeouts), a body that
breaks off mid-stream, a torn JSON body, or a complete chat completion that is cut at
``max_tokens``, fails validation, or has no choices. Every answer that is a complete JSON
completion carries a ``usage`` block with distinct token counts, and the transport keeps the
totals it handed out, so tests can check that no attempt's tokens are lost.

`install` puts a FaultTransport under every `LLMClient` built afterwards (HTTP and embedded
backends alike) and makes the retry layer record its waits instead of sleeping.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx2
import pytest

from summariser.llm import client as client_module
from summariser.llm.transport.dialect import ResponseFormatFallback
from summariser.llm.transport.retry import RetryingTransport, RetryPolicy

__all__ = ["COMPLETE_FAULTS", "TRANSPORT_FAULTS", "Fault", "FaultTransport", "Sent", "install"]


class Fault(StrEnum):
    """What the backend does with one request."""

    RATE_LIMITED = "429"
    RATE_LIMITED_RETRY_AFTER = "429-retry-after"
    SERVER_ERROR = "500"
    BAD_GATEWAY = "502"
    UNAVAILABLE = "503"
    READ_TIMEOUT = "read-timeout"
    CONNECT_TIMEOUT = "connect-timeout"
    RESET_MID_BODY = "reset-mid-body"
    TRUNCATED_JSON = "truncated-json"
    LENGTH = "length"
    INVALID = "invalid-json-schema"
    EMPTY_CHOICES = "empty-choices"
    OK = "ok"


TRANSPORT_FAULTS = frozenset(
    {
        Fault.RATE_LIMITED,
        Fault.RATE_LIMITED_RETRY_AFTER,
        Fault.SERVER_ERROR,
        Fault.BAD_GATEWAY,
        Fault.UNAVAILABLE,
        Fault.READ_TIMEOUT,
        Fault.CONNECT_TIMEOUT,
        Fault.RESET_MID_BODY,
        Fault.TRUNCATED_JSON,
    }
)
"""Faults that leave no complete completion: the retry layer's business."""

COMPLETE_FAULTS = frozenset({Fault.LENGTH, Fault.INVALID, Fault.EMPTY_CHOICES})
"""Faults that arrive as a complete HTTP 200 completion with a usage block."""


@dataclass(frozen=True)
class Sent:
    """One request as the fault transport saw it, and what it answered."""

    fault: Fault
    body: dict[str, Any]
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _BreaksOff(httpx2.SyncByteStream):
    """A body that stops half way, as when the peer resets the connection mid-response."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        raise httpx2.ReadError("[Errno 104] Connection reset by peer")


def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> httpx2.Response:
    body = {"error": {"message": message, "type": kind, "code": None}}
    return httpx2.Response(status, json=body, headers=headers)


class FaultTransport(httpx2.BaseTransport):
    """Answer requests from a script of `Fault` kinds; see the module docstring.

    ``answer(request_body)`` is the message content of an ``ok`` answer (valid for the
    requested schema); ``invalid`` is syntactically valid JSON that fails validation.
    ``then`` is played for every request after the script, or None to fail loudly (HTTP 418
    and `overrun` set), so a test that makes more requests than it scripted notices.
    """

    def __init__(
        self,
        script: Iterable[Fault | str] = (),
        *,
        answer: Callable[[dict[str, Any]], str] | str = "{}",
        invalid: str = '{"unexpected": "field", "missing": ["everything"]}',
        then: Fault | str | None = None,
        retry_after: str = "7",
        prompt_tokens: int = 100,
    ) -> None:
        self.script = [Fault(f) for f in script]
        self.answer = answer
        self.invalid = invalid
        self.then = Fault(then) if then is not None else None
        self.retry_after = retry_after
        self.prompt_tokens = prompt_tokens
        self.sent: list[Sent] = []
        self.overrun = 0

    def plan(self, script: Iterable[Fault | str], then: Fault | str | None = None) -> FaultTransport:
        """Play ``script`` (then ``then``) from the next request on; return self."""
        self.script = [*self.faults, *(Fault(f) for f in script)]
        self.then = Fault(then) if then is not None else None
        return self

    # ------------------------------------------------------------------ accounting

    @property
    def faults(self) -> list[Fault]:
        """The fault played for each request so far, in order."""
        return [s.fault for s in self.sent]

    @property
    def tokens(self) -> tuple[int, int]:
        """``(prompt, completion)`` tokens of every usage block handed out so far."""
        return sum(s.prompt_tokens for s in self.sent), sum(s.completion_tokens for s in self.sent)

    # ------------------------------------------------------------------ answering

    def _next(self) -> Fault | None:
        n = len(self.sent)
        if n < len(self.script):
            return self.script[n]
        return self.then

    def _completion(self, body: dict[str, Any], content: str, finish: str, completion_tokens: int) -> dict[str, Any]:
        # Distinct counts per attempt: a lost or double-counted attempt changes the sum.
        prompt = self.prompt_tokens + len(self.sent)
        return {
            "id": f"chatcmpl-fault-{len(self.sent)}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": str(body.get("model", "fault")),
            "system_fingerprint": "fp_fault",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt + completion_tokens,
            },
        }

    def _good(self, body: dict[str, Any]) -> str:
        return self.answer(body) if callable(self.answer) else self.answer

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Play the next fault of the script for ``request``."""
        raw = request.read()
        body: dict[str, Any] = json.loads(raw) if raw else {}
        fault = self._next()
        if fault is None:
            self.overrun += 1
            return _error(418, f"fault script exhausted after {len(self.sent)} requests", "test_error")
        max_tokens = int(body.get("max_tokens") or 512)
        answer: dict[str, Any] | None = None
        response: httpx2.Response | None = None
        error: Exception | None = None
        match fault:
            case Fault.RATE_LIMITED:
                response = _error(429, "Rate limit reached for requests", "rate_limit_error")
            case Fault.RATE_LIMITED_RETRY_AFTER:
                headers = {"Retry-After": self.retry_after}
                response = _error(429, "Rate limit reached; retry later", "rate_limit_error", headers)
            case Fault.SERVER_ERROR:
                response = _error(500, "The server had an error while processing your request", "server_error")
            case Fault.BAD_GATEWAY:  # a proxy in front of the model answers in HTML
                html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
                response = httpx2.Response(502, content=html, headers={"content-type": "text/html"})
            case Fault.UNAVAILABLE:
                response = _error(503, "The engine is currently overloaded", "server_error")
            case Fault.READ_TIMEOUT:
                error = httpx2.ReadTimeout("The read operation timed out", request=request)
            case Fault.CONNECT_TIMEOUT:
                error = httpx2.ConnectTimeout("timed out", request=request)
            case Fault.RESET_MID_BODY:
                full = json.dumps(self._completion(body, self._good(body), "stop", 40)).encode()
                stream = _BreaksOff(full[: len(full) // 2])
                response = httpx2.Response(200, stream=stream, headers={"content-type": "application/json"})
            case Fault.TRUNCATED_JSON:  # the whole (short) body arrives, but it is cut: no usage to read
                full = json.dumps(self._completion(body, self._good(body), "stop", 40)).encode()
                response = httpx2.Response(
                    200, content=full[: len(full) // 2], headers={"content-type": "application/json"}
                )
            case Fault.LENGTH:  # generation ran into max_tokens: the content is cut mid-JSON
                good = self._good(body)
                answer = self._completion(body, good[: max(1, len(good) // 2)], "length", max_tokens)
            case Fault.INVALID:
                answer = self._completion(body, self.invalid, "stop", 25)
            case Fault.EMPTY_CHOICES:
                answer = {**self._completion(body, "", "stop", 0), "choices": []}
            case Fault.OK:
                answer = self._completion(body, self._good(body), "stop", 30 + len(self.sent))
        usage = (answer or {}).get("usage") or {}
        self.sent.append(Sent(fault, body, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)))
        if error is not None:
            raise error
        if answer is not None:
            return httpx2.Response(200, json=answer)
        assert response is not None
        return response


def install(monkeypatch: pytest.MonkeyPatch, fault: FaultTransport) -> list[float]:
    """Put ``fault`` under every `LLMClient` built from now on; return the retry waits list.

    The HTTP transport (inside the response-format fallback) and the embedded transport are
    both replaced, so any model string reaches ``fault``; the retry layer appends each wait
    it would sleep to the returned list instead of sleeping.
    """
    waits: list[float] = []

    def retrying(inner: httpx2.BaseTransport, policy: RetryPolicy | None = None, **kw: Any) -> RetryingTransport:
        return RetryingTransport(inner, policy, sleep=waits.append, **kw)

    monkeypatch.setattr(client_module, "ResponseFormatFallback", lambda inner: ResponseFormatFallback(fault))
    monkeypatch.setattr(client_module, "EmbeddedTransport", lambda model: fault)
    monkeypatch.setattr(client_module, "RetryingTransport", retrying)
    return waits
