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

import json
import threading
from typing import Any, Literal

import httpx2

from summariser.errors import BackendError, BudgetExceeded
from summariser.llm.backends import BackendSpec
from summariser.llm.transport.cache import ResponseCache
from summariser.llm.transport.exchange import Canonical, canonical, is_chat, messages_of

__all__ = [
    "BatchGate",
    "ChatGate",
    "Collector",
    "GateMode",
    "GateTransport",
    "invented_strings",
    "minimal_instance",
    "placeholder_content",
    "placeholder_response",
]

GateMode = Literal["collect", "enforce"]


_LETTERS = "xyzabcdefghijklmnopqrstuvw"


def minimal_instance(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """The smallest value valid against a (pydantic-generated) JSON Schema: nulls, short strings, few items."""
    if not isinstance(schema, dict):
        return None
    defs = {**(defs or {}), **schema.get("$defs", {})}
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            null = next((o for o in options if isinstance(o, dict) and o.get("type") == "null"), None)
            return None if null is not None else minimal_instance(options[0], defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal_instance(props.get(name, {}), defs) for name in schema.get("required", [])}
    if kind == "array":
        items = [minimal_instance(schema.get("items", {}), defs) for _ in range(int(schema.get("minItems", 0)))]
        # Distinct strings: a model may require different items (OverviewDraft's themes).
        return [f"{v[:-1]}{_LETTERS[i % 26]}" if isinstance(v, str) and v else v for i, v in enumerate(items)]
    if kind == "string":
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def _strings(value: Any) -> list[str]:
    """Every string leaf of a JSON value that is long enough to recognise in a prompt."""
    if isinstance(value, str):
        return [value] if len(value) >= 5 else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _fixed(schema: Any) -> set[str]:
    """The strings a JSON Schema fixes (its ``enum`` and ``const`` values): any answer may hold them."""
    if isinstance(schema, list):
        return {s for item in schema for s in _fixed(item)}
    if not isinstance(schema, dict):
        return set()
    fixed = {v for v in [*schema.get("enum", []), schema.get("const")] if isinstance(v, str)}
    return fixed | {s for key, value in schema.items() if key not in ("enum", "const") for s in _fixed(value)}


def invented_strings(body: Any, content: str) -> set[str]:
    """The strings of the placeholder ``content`` that only a placeholder holds: those it made up.

    A value the schema fixes (an enum's "person", a const) is not one: a real answer holds it too,
    and a prompt may name it ("say whether each name is a person, …"), so it tells nothing.
    """
    fmt = body.get("response_format") if isinstance(body, dict) else None
    schema = (fmt or {}).get("json_schema", {}).get("schema") if isinstance(fmt, dict) else None
    return set(_strings(json.loads(content))) - _fixed(schema)


def placeholder_content(body: Any) -> str:
    """The JSON text of a minimal answer to the JSON Schema a chat request asks for."""
    fmt = body.get("response_format") if isinstance(body, dict) else None
    schema = (fmt or {}).get("json_schema", {}).get("schema") if isinstance(fmt, dict) else None
    if not isinstance(schema, dict):
        raise BackendError("--batch-api can only batch requests that ask for a JSON Schema; drop --batch-api")
    return json.dumps(minimal_instance(schema), sort_keys=True)


def placeholder_response(body: Any, content: str | None = None) -> httpx2.Response:
    """A complete chat completion answering ``body`` with ``content`` (default: `placeholder_content`)."""
    text = placeholder_content(body) if content is None else content
    return httpx2.Response(
        200,
        json={
            "id": "placeholder",
            "object": "chat.completion",
            "created": 0,
            "model": str((body if isinstance(body, dict) else {}).get("model", "")),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        },
    )


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


class ChatGate(httpx2.BaseTransport):
    """A transport in front of the response cache that answers the chat requests the cache cannot.

    A chat request the cache answers (`hit`) and any other request pass to the inner chain,
    which serves them; `miss` answers the rest (the batch gates here, `llm.tokens.estimate`'s gate).
    """

    def __init__(self, inner: httpx2.BaseTransport, cache: ResponseCache | None, spec: BackendSpec) -> None:
        self.inner = inner
        self.cache = cache
        self.spec = spec

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Pass a hit (or a request that is not a chat completion) through the inner chain; answer a miss."""
        if not is_chat(request):
            return self.inner.handle_request(request)
        key = canonical(self.spec.identity, request)
        if self.cache is not None and self.cache.answer(key) is not None:
            self.hit(key)
            return self.inner.handle_request(request)
        return self.miss(key)

    def hit(self, key: Canonical) -> None:
        """A chat request the response cache answers (nothing to do, unless a gate counts them)."""

    def miss(self, key: Canonical) -> httpx2.Response:
        """The answer to a chat request the response cache cannot answer."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()


class GateTransport(ChatGate):
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
