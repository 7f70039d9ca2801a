"""A gate in front of the response cache: chat requests the cache cannot answer are answered here.

`ChatGate` is the transport both the Batch API's gates (`llm.openai_batch.gate`) and the token
estimate (`llm.tokens.estimate`) stand on: a chat request the cache answers passes to the inner
chain, every other one is answered by the gate (`ChatGate.miss`). What a gate answers with when
the pipeline must go on without the model is a *placeholder*: the minimal schema-valid answer of
the request's response schema (`placeholder_response`), whose strings are marked as invented
(`invented_strings`) so that nothing built from them is mistaken for the model's.
"""

from __future__ import annotations

import json
from typing import Any, Generic, Protocol, TypeVar

import httpx2

from summariser.errors import BackendError
from summariser.llm.transport.cache import ResponseCache
from summariser.llm.transport.exchange import Canonical, canonical, is_chat

__all__ = [
    "ChatGate",
    "Endpoint",
    "invented_strings",
    "minimal_instance",
    "placeholder_content",
    "placeholder_response",
]

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


class Endpoint(Protocol):
    """What a gate needs of the endpoint (an `llm.backends.BackendSpec`): the identity its cache keys carry."""

    @property
    def identity(self) -> str: ...


E = TypeVar("E", bound=Endpoint)


class ChatGate(httpx2.BaseTransport, Generic[E]):
    """A transport in front of the response cache that answers the chat requests the cache cannot.

    A chat request the cache answers (`hit`) and any other request pass to the inner chain,
    which serves them; `miss` answers the rest (the batch gates here, `llm.tokens.estimate`'s gate).
    """

    def __init__(self, inner: httpx2.BaseTransport, cache: ResponseCache | None, spec: E) -> None:
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
