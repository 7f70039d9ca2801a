"""The top of the transport chain: secrets out of every response, and requests and tokens counted.

`MeteringTransport` is the outermost transport of every `client.LLMClient`: each response
passes `secrets.redact_response` there, before instructor or pydantic read it, so a key a
server echoes back can reach no briefing, cache, cassette or message. It then counts the
request, the cache hits and the tokens the server reports.

Whether a server's ``usage`` block is believed is decided here, once (`read_usage`, which the
token budget, the metering and the batch harvest all use). A block is *believable* when:

* it is an object whose ``prompt_tokens`` and ``completion_tokens`` are both JSON integers
  (not ``true``, ``12.0``, ``"12"`` or ``1e999``; ``total_tokens`` is not read);
* ``completion_tokens`` is at least 1 if the answer carries any generated text (0 only for an
  answer with nothing in it, such as an empty ``choices`` list) and at most the request's
  ``max_tokens``: a server cannot generate more than it was allowed;
* ``prompt_tokens`` is at least 1 and at most the UTF-8 bytes of the request body plus
  `PROMPT_SLACK`: a tokenizer never makes more tokens than the bytes it reads, and a server
  adds only its chat template (and perhaps a system prompt of its own) to what it was sent.

Anything else — no block, a missing, negative, zero, fractional, string or absurd count, more
completion than ``max_tokens`` — is *not believable*: its counts are 0 here (noted in the log,
never an error: a good answer is never lost to a bad counter), and the token budget charges
that request its reserved worst case (`charge`, `ledger.LedgerTransport`). What cannot be told
from the outside is believed: a server that reports small but possible counts (1 and 1) is
charged those; the wire still caps each answer's size from ``max_tokens`` (`wire.body_cap`).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx2

from summariser.llm.secrets import redact_response, secret_values
from summariser.llm.transport.cache import HIT_HEADER
from summariser.llm.transport.exchange import chat_body
from summariser.schemas import Usage

__all__ = ["MAX_COUNT", "PROMPT_SLACK", "MeteringTransport", "TokenCounts", "charge", "read_usage"]

_log = logging.getLogger("summariser")

#: The largest token count taken at face value (the largest integer a JSON reader keeps exactly).
MAX_COUNT = 2**53 - 1
#: Prompt tokens a server may add to the bytes of a request: its chat template, a system prompt of its own.
PROMPT_SLACK = 4096


@dataclass(frozen=True)
class TokenCounts:
    """The prompt and completion tokens of one answer, or 0 and why its ``usage`` block is not believable."""

    prompt: int = 0
    completion: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def believable(self) -> bool:
        """True if the block passed every test of the rule (the module docstring)."""
        return not self.problems

    @property
    def total(self) -> int:
        """Prompt plus completion."""
        return self.prompt + self.completion


def _shown(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**15 else f"a {value.bit_length()}-bit number"
    return repr(str(value)[:40])


def _count(usage: dict[str, Any], name: str, least: int, most: int, problems: list[str]) -> int:
    value = usage.get(name)
    if value is None:
        problems.append(f"no {name}")
    elif isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{name}={_shown(value)} is not a whole number")
    elif not least <= value <= most:
        problems.append(f"{name}={_shown(value)} is not from {least} to {most}")
    else:
        return value
    return 0


def _generated(body: dict[str, Any]) -> bool:
    """Whether any choice of the answer ``body`` carries generated text (content, a tool call, legacy text)."""
    choices = body.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        message = choice.get("message") if isinstance(choice, dict) else None
        parts = [message.get("content"), message.get("tool_calls")] if isinstance(message, dict) else []
        if any(parts) or (isinstance(choice, dict) and choice.get("text")):
            return True
    return False


def _limits(request: Any) -> tuple[int, int]:
    """The most prompt and completion tokens an answer to ``request`` can have used (`MAX_COUNT`: unknown)."""
    if not isinstance(request, dict):
        return MAX_COUNT, MAX_COUNT
    asked = request.get("max_tokens", request.get("max_completion_tokens"))
    completion = asked if isinstance(asked, int) and not isinstance(asked, bool) else MAX_COUNT
    try:
        size = len(json.dumps(request, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError):
        size = MAX_COUNT
    return min(MAX_COUNT, size + PROMPT_SLACK), min(MAX_COUNT, completion)


def read_usage(body: Any, request: Any = None) -> TokenCounts:
    """The token counts of the answer ``body`` to the chat request ``request``, if believable (else 0, and why)."""
    usage = body.get("usage") if isinstance(body, dict) else None
    if usage is None:
        return TokenCounts(problems=["no usage block"])
    if not isinstance(usage, dict):
        return TokenCounts(problems=[f"usage={_shown(usage)} is not an object"])
    problems: list[str] = []
    most_prompt, most_completion = _limits(request)
    prompt = _count(usage, "prompt_tokens", 1, most_prompt, problems)
    completion = _count(usage, "completion_tokens", int(_generated(body)), most_completion, problems)
    return TokenCounts(problems=problems) if problems else TokenCounts(prompt, completion)


def charge(request: Any, status: int, body: Any, worst: int) -> tuple[int, bool]:
    """What one answer costs the token budget, and whether that is its worst case ``worst``.

    A believable usage is charged as reported; an answer (2xx) without one, its worst case;
    an error status without one, nothing (the model produced nothing).
    """
    counts = read_usage(body, request)
    if counts.believable:
        return counts.total, False
    if 200 <= status < 300:
        return worst, True
    return 0, False


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
        counts = read_usage(body, chat_body(request))
        if counts.problems and 200 <= response.status_code < 300:
            _log.warning(
                "%s: no believable token usage in the answer (%s); counted 0 (a token budget charges its worst case)",
                request.url.host,
                "; ".join(counts.problems),
            )
        with self._lock:
            self.usage.prompt_tokens += counts.prompt
            self.usage.completion_tokens += counts.completion
        return response

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
