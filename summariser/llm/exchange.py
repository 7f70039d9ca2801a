"""The request/response boundary shared by the cache and the cassettes.

A request is identified by the hash of its canonical form: the endpoint identity (never a
key), the method, the URL path and the JSON body with sorted keys (model, messages, schema,
sampling parameters). A prompt-template or schema change therefore changes the key, and a
stale answer can never be replayed. Headers are not part of the key and are never stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import httpx2
import jsonschema


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
    for route in ("/chat/completions", "/completions", "/embeddings", "/batches", "/files"):
        if route in path:
            path = path[path.index(route) :]
            break
    return Canonical(identity, request.method, path, body)


def cacheable(request_body: Any, status: int, response_body: Any) -> bool:
    """True if a response is complete and valid: only such responses are cached or recorded.

    Complete means HTTP 200, at least one choice, ``finish_reason == "stop"`` and, when the
    request asked for a JSON Schema, message content that parses and validates against it.
    """
    if status != 200 or not isinstance(response_body, dict):
        return False
    choices = response_body.get("choices")
    if not choices or not isinstance(choices, list):
        return False
    choice = choices[0]
    if choice.get("finish_reason") != "stop":
        return False
    content = (choice.get("message") or {}).get("content")
    if not isinstance(content, str):
        return False
    fmt = (request_body or {}).get("response_format") if isinstance(request_body, dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        try:
            jsonschema.validate(json.loads(content), fmt["json_schema"]["schema"])
        except (ValueError, jsonschema.ValidationError, jsonschema.SchemaError, KeyError):
            return False
    return True


def json_response(status: int, body: Any) -> httpx2.Response:
    """An httpx2 response carrying ``body`` as JSON."""
    return httpx2.Response(status, json=body)
