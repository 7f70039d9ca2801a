"""The request/response boundary shared by the cache and the cassettes.

A request is identified by the hash of its canonical form: the endpoint identity (never a
key), the method, the URL path and the JSON body with sorted keys (model, messages, schema,
sampling parameters). A prompt-template or schema change therefore changes the key, and a
stale answer can never be replayed. Headers are not part of the key and are never stored.

`cacheable` is the one rule for what may be stored (cache, batch answers): a complete answer
that the request's own response model validates — the pydantic class, registered by the
client with `register_response_model` under its JSON Schema, runs ``model_validate_json`` on
the content exactly as instructor will, so nothing instructor would reject (a lone
surrogate, a wrong type, a bound broken) is ever stored. `loads` is the one JSON reader of
response bodies: a document nested too deep to parse is "not JSON", never a crash. `is_chat`
is the one test of whether a request asks for a chat completion, and `messages_of` reads the
messages of its body.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

import httpx2
import jsonschema
from pydantic import BaseModel, ValidationError

__all__ = [
    "BODY_HEADERS",
    "CHAT_ROUTE",
    "Canonical",
    "cacheable",
    "canonical",
    "chat_body",
    "is_chat",
    "json_response",
    "loads",
    "messages_of",
    "register_response_model",
]

#: Headers that describe a body as the server sent it (its length, compression, chunking): a response rebuilt
#: around a decoded or rewritten body drops them, and httpx2 sets the new body's length itself.
BODY_HEADERS = frozenset({b"content-length", b"content-encoding", b"transfer-encoding"})
#: The API route of a chat completion, wherever the server mounts the API (``…/v1/chat/completions``).
CHAT_ROUTE = "/chat/completions"

_MODELS: dict[str, type[BaseModel]] = {}
_MODELS_LOCK = threading.Lock()


def loads(data: str | bytes | bytearray) -> Any:
    """``json.loads(data)``; a `ValueError` also for a document nested deeper than Python can parse."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deep to parse") from None


def is_chat(request: httpx2.Request) -> bool:
    """Whether ``request`` asks for a chat completion: a POST to `CHAT_ROUTE`, under any mount point."""
    return request.method == "POST" and request.url.path.endswith(CHAT_ROUTE)


def chat_body(request: httpx2.Request) -> Any | None:
    """The JSON body of a chat-completion POST (`is_chat`); None for any other request, or a body that is not JSON."""
    if not is_chat(request):
        return None
    try:
        return json.loads(request.read())
    except ValueError:
        return None


def messages_of(body: Any) -> list[Any]:
    """The ``messages`` of a chat request's JSON ``body``; [] when the body is not an object or they are not a list."""
    messages = body.get("messages") if isinstance(body, dict) else None
    return messages if isinstance(messages, list) else []


def _schema_key(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def register_response_model(model: type[BaseModel]) -> None:
    """Make ``model`` the validator of every answer to a request that asks for its JSON Schema."""
    key = _schema_key(model.model_json_schema())
    with _MODELS_LOCK:
        _MODELS.setdefault(key, model)


def _valid_content(content: str, schema: Any) -> bool:
    """Whether ``content`` is an answer the response model of ``schema`` accepts.

    The registered pydantic model decides (as instructor will); the JSON Schema itself must
    hold too, so a lax coercion pydantic would allow is not stored either. Without a
    registered model, the schema check and a strict UTF-8 round trip decide.
    """
    try:
        document = loads(content)
        jsonschema.validate(document, schema)
    except (ValueError, jsonschema.ValidationError, jsonschema.SchemaError, TypeError):
        return False
    with _MODELS_LOCK:
        model = _MODELS.get(_schema_key(schema))
    try:
        if model is None:
            json.dumps(document, ensure_ascii=False).encode("utf-8")  # no lone surrogate
        else:
            model.model_validate_json(content)
    except (ValidationError, ValueError, RecursionError):
        return False
    return True


@dataclass(frozen=True)
class Canonical:
    """The canonical form of one request."""

    identity: str
    method: str
    path: str
    body: Any

    @property
    def key(self) -> str:
        """SHA-256 of the canonical JSON."""
        text = json.dumps(
            {"endpoint": self.identity, "method": self.method, "path": self.path, "body": self.body},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(identity: str, request: httpx2.Request) -> Canonical:
    """Build the canonical form of ``request`` sent to the endpoint ``identity``."""
    raw = request.read()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    path = request.url.path
    # Key on the API route, not on where the server is mounted (…/v1/chat/completions).
    for route in (CHAT_ROUTE, "/completions", "/embeddings", "/batches", "/files"):
        if route in path:
            path = path[path.index(route) :]
            break
    return Canonical(identity, request.method, path, body)


def cacheable(request_body: Any, status: int, response_body: Any) -> bool:
    """True if a response is complete and valid: only such responses are cached or recorded.

    Complete means HTTP 200, at least one choice, ``finish_reason == "stop"`` and, when the
    request asked for a JSON Schema, message content that its response model validates
    (`register_response_model`).
    """
    if status != 200 or not isinstance(response_body, dict):
        return False
    choices = response_body.get("choices")
    if not choices or not isinstance(choices, list):
        return False
    choice = choices[0]
    if not isinstance(choice, dict) or choice.get("finish_reason") != "stop":
        return False
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        return False
    fmt = request_body.get("response_format") if isinstance(request_body, dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        spec = fmt.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return isinstance(schema, dict) and _valid_content(content, schema)
    return True


def json_response(status: int, body: Any) -> httpx2.Response:
    """An httpx2 response carrying ``body`` as JSON."""
    return httpx2.Response(status, json=body)
