"""Structured-output dialects of OpenAI-compatible servers.

instructor asks for ``response_format: {"type": "json_schema", "json_schema": {...}}``.
Some servers that call themselves OpenAI-compatible only know the older
``{"type": "json_object", "schema": {...}}`` form — llama-cpp-python's ``llama_cpp.server``
rejects the first with a validation error (as HTTP 500 or 422). `ResponseFormatFallback`
sits right above the HTTP transport: when a server rejects ``json_schema`` *by name*, it
re-sends the same request once in the ``json_object`` form (schema de-referenced, as
llama.cpp's grammar converter needs) and remembers the endpoint for the rest of the
process, so later requests go out in the right form at once. Any other failure passes
through untouched. Cache and cassette keys are unaffected (they sit above this layer).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import httpx2

from summariser.llm.schema_refs import inline_refs
from summariser.llm.transport.exchange import chat_body

__all__ = ["ResponseFormatFallback", "as_json_object"]

_log = logging.getLogger("summariser")
_OBJECT_ONLY: set[str] = set()
_LOCK = threading.Lock()


def _origin(request: httpx2.Request) -> str:
    url = request.url
    return f"{url.scheme}://{url.host}:{url.port}{url.path}"


def _schema_body(request: httpx2.Request) -> dict[str, Any] | None:
    body = chat_body(request)
    fmt = body.get("response_format") if isinstance(body, dict) else None
    return body if isinstance(fmt, dict) and fmt.get("type") == "json_schema" else None


def as_json_object(request: httpx2.Request, body: dict[str, Any]) -> httpx2.Request:
    """The same request with ``response_format`` in the ``json_object`` + ``schema`` form."""
    schema = body["response_format"].get("json_schema", {}).get("schema", {})
    new = {**body, "response_format": {"type": "json_object", "schema": inline_refs(schema)}}
    headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
    return httpx2.Request(
        request.method, request.url, headers=headers, content=json.dumps(new).encode(), extensions=request.extensions
    )


def _rejects_json_schema(response: httpx2.Response) -> bool:
    if response.status_code not in (400, 422, 500):
        return False
    text = response.read()
    return b"json_schema" in text and b"response_format" in text


class ResponseFormatFallback(httpx2.BaseTransport):
    """Retry a ``json_schema`` request once as ``json_object`` when the server names it unsupported."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request``, in the form this endpoint accepts."""
        body = _schema_body(request)
        if body is None:
            return self.inner.handle_request(request)
        origin = _origin(request)
        with _LOCK:
            known = origin in _OBJECT_ONLY
        if known:
            return self.inner.handle_request(as_json_object(request, body))
        response = self.inner.handle_request(request)
        if not _rejects_json_schema(response):
            return response
        response.close()
        _log.debug("%s rejects response_format json_schema; using json_object + schema", origin)
        with _LOCK:
            _OBJECT_ONLY.add(origin)
        return self.inner.handle_request(as_json_object(request, body))

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
