"""The top of the transport chain: secrets out of every response, and requests and tokens counted.

`MeteringTransport` is the outermost transport of every `client.LLMClient`: each response
passes `secrets.redact_response` there, before instructor or pydantic read it, so a key a
server echoes back can reach no briefing, cache, cassette or message. It then counts the
request, the cache hits and the tokens the server reports.

A server's ``usage`` block is read by `read_usage`, the one parser the batch path uses too:
only non-negative whole numbers count (JSON-safe, up to `MAX_COUNT`); a string, a float such
as ``1e999``, a negative or a missing count counts as 0 and is noted in the log, never an
error: a good answer is never lost to a bad counter.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx2

from ..schemas import Usage
from .cache import HIT_HEADER
from .secrets import redact_response, secret_values

__all__ = ["MAX_COUNT", "MeteringTransport", "TokenCounts", "read_usage"]

_log = logging.getLogger("summariser")

#: The largest token count taken at face value (the largest integer a JSON reader keeps exactly).
MAX_COUNT = 2**53 - 1


@dataclass(frozen=True)
class TokenCounts:
    """The prompt and completion tokens of one answer, and what was wrong with its ``usage`` block."""

    prompt: int = 0
    completion: int = 0
    problems: list[str] = field(default_factory=list)


def _count(usage: dict[str, Any], name: str, problems: list[str]) -> int:
    value = usage.get(name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        problems.append(f"{name}={str(value)[:40]!r} is not a token count")
        return 0
    return value


def read_usage(body: Any) -> TokenCounts:
    """The token counts of a chat-completion body; anything but a non-negative whole number counts 0."""
    usage = body.get("usage") if isinstance(body, dict) else None
    if usage is None:
        return TokenCounts()
    if not isinstance(usage, dict):
        return TokenCounts(problems=[f"usage={str(usage)[:40]!r} is not an object"])
    problems: list[str] = []
    prompt = _count(usage, "prompt_tokens", problems)
    completion = _count(usage, "completion_tokens", problems)
    return TokenCounts(prompt, completion, problems)


class MeteringTransport(httpx2.BaseTransport):
    """Redact every response that passes; count requests, cache hits and token usage."""

    def __init__(self, inner: httpx2.BaseTransport, secrets: list[str] | None = None) -> None:
        self.inner = inner
        self.secrets = list(secrets or [])
        self.usage = Usage()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Forward ``request``; return its response without secrets, and account for it."""
        response = redact_response(self.inner.handle_request(request), secret_values(*self.secrets))
        with self._lock:
            self.usage.requests += 1
            if response.headers.get(HIT_HEADER) == "hit":
                self.usage.cache_hits += 1
                return response
        try:
            body: Any = json.loads(response.content)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than any answer
            body = None
        counts = read_usage(body)
        if counts.problems:
            _log.warning("%s: ignored a bad usage block (%s)", request.url.host, "; ".join(counts.problems))
        with self._lock:
            self.usage.prompt_tokens += counts.prompt
            self.usage.completion_tokens += counts.completion
        return response

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
