"""The bottom of the HTTP chain: every request within its deadline, every answer within its size.

A request's budget is a `deadline.Deadline` (a point on the monotonic clock and the message to
give when it passes), set by `retry.RetryingTransport` from a `deadline.Deadlines`: what is left of
the call's timeout (a request, its retries and its re-asks share one) or the briefing's deadline
if that comes first. `WireTransport` sits right on
top of ``httpx2.HTTPTransport`` and enforces it on every socket operation — connect, TLS,
each write and each read of the headers and the body get at most the time that is left — so
a server that drips one byte a second, or stalls after a drip, is cut off at the deadline
and not after one read timeout per byte.

The query of the endpoint's base URL (``?api-key=…``: a secret, `endpoint`) is added here, to
each request URL as it goes out, and nowhere above: no log, cache key or message sees it.

A redirect is never followed: its ``Location`` is handed up as `REDIRECT`, so that not even
httpx2 parses what a hostile server put there (the client reports it, `failures.translate`).

It also caps the answer: a chat request's body may not decode to more than `body_cap`
bytes of its ``max_tokens`` (`BYTES_PER_TOKEN` per token plus `BODY_OVERHEAD`). The body is
read as it is decoded (httpx2 inflates gzip and deflate in pieces of at most 1 MiB, and only
those encodings are accepted), so a huge, endless or gzip-bomb answer stops at the cap with
a `BackendError` and never fills memory.
"""

from __future__ import annotations

import json
import math
import ssl
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore2
import httpx2

from summariser.errors import BackendError, EndpointError
from summariser.llm.transport.deadline import Deadline, Deadlines
from summariser.llm.transport.exchange import BODY_HEADERS

__all__ = [
    "BODY_OVERHEAD",
    "BYTES_PER_TOKEN",
    "DEADLINE",
    "REDIRECT",
    "Deadline",
    "Deadlines",
    "WireTransport",
    "body_cap",
]

#: Bytes one completion token can take in a JSON answer, pessimistically: a long token of
#: non-ASCII characters each escaped as ``\uXXXX`` (a 4-byte character as two of them).
BYTES_PER_TOKEN = 64
#: Bytes of a chat-completion body besides the content (ids, usage, finish reason, headers of a proxy).
BODY_OVERHEAD = 64 * 1024
#: The request extension that carries a request's `Deadline` down the chain.
DEADLINE = "summariser.deadline"
#: The header a redirect's ``Location`` is moved to: redirects are never followed, nor parsed by httpx2.
REDIRECT = "x-summariser-redirect"
#: Encodings accepted from a server: those httpx2 inflates in bounded pieces.
ACCEPT_ENCODING = "gzip, deflate"


def body_cap(max_tokens: int) -> int:
    """The most bytes a (decoded) answer to a request with ``max_tokens`` may have."""
    return max(0, max_tokens) * BYTES_PER_TOKEN + BODY_OVERHEAD


_ACTIVE = threading.local()


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left of the active deadline; ``expired`` if nothing is left."""
    deadline: Deadline | None = getattr(_ACTIVE, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise expired("deadline passed")
    if math.isinf(left):  # no deadline to speak of (an infinite timeout): the socket's own
        return timeout
    return left if timeout is None else min(timeout, left)


class _ClockedStream(httpcore2.NetworkStream):
    """A network stream whose every operation gets at most what is left of the active deadline."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.NetworkStream:
        tls = self.inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore2.ConnectTimeout))
        return _ClockedStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _ClockedBackend(httpcore2.NetworkBackend):
    """httpcore2's network backend, with every stream it opens clocked."""

    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self.inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        return _ClockedStream(self.inner.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        return _ClockedStream(self.inner.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def clock_sockets(transport: httpx2.HTTPTransport) -> bool:
    """Put the deadline on every socket of ``transport``'s connection pool; False if httpx2 changed inside."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore2.NetworkBackend):
        return False
    if not isinstance(backend, _ClockedBackend):
        pool._network_backend = _ClockedBackend(backend)  # type: ignore[union-attr]
    return True


@contextmanager
def _active(deadline: Deadline | None) -> Iterator[None]:
    before = getattr(_ACTIVE, "deadline", None)
    _ACTIVE.deadline = deadline
    try:
        yield
    finally:
        _ACTIVE.deadline = before


def _max_tokens(request: httpx2.Request) -> int | None:
    if request.method != "POST":
        return None
    try:
        body = json.loads(request.read())
    except ValueError:
        return None
    value = body.get("max_tokens") if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class WireTransport(httpx2.BaseTransport):
    """``httpx2.HTTPTransport`` under the request's `Deadline` and the answer's size cap."""

    def __init__(self, inner: httpx2.HTTPTransport | None = None, query: str | None = None) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.clocked = clock_sockets(self.inner)
        self.query = query.encode("utf-8", "surrogateescape") if query else None
        """The endpoint's query, appended to every request URL (`endpoint.wire_query`)."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request`` and read its whole answer, within the deadline and the cap."""
        deadline: Deadline | None = request.extensions.get(DEADLINE)
        if deadline is not None:
            deadline.check()
            left = deadline.remaining()
            asked = request.extensions.get("timeout") or {}
            request.extensions["timeout"] = {
                k: (None if math.isinf(left) else left) if asked.get(k) is None else min(float(asked[k]), left)
                for k in ("connect", "read", "write", "pool")
            }
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING
        if self.query:  # on a copy: a retry sends the caller's request again, and its URL must stay as it was
            asked = request.url.query
            url = request.url.copy_with(query=asked + b"&" + self.query if asked else self.query)
            request = httpx2.Request(
                request.method, url, headers=request.headers, content=request.read(), extensions=request.extensions
            )
        tokens = _max_tokens(request)
        cap = math.inf if tokens is None else body_cap(tokens)
        try:
            with _active(deadline):
                response = self.inner.handle_request(request)
                content = self._read(request, response, cap, tokens, deadline)
        except httpx2.TimeoutException as err:
            if deadline is not None and deadline.remaining() <= 0:
                raise EndpointError(deadline.message) from err
            raise
        headers = [(k, v) for k, v in response.headers.raw if k.lower() not in BODY_HEADERS]  # bytes: kept exactly
        if 300 <= response.status_code < 400:
            # Never followed: httpx2 must not even parse a hostile Location (it would raise on garbage).
            headers = [(REDIRECT.encode() if k.lower() == b"location" else k, v) for k, v in headers]
        return httpx2.Response(response.status_code, headers=headers, content=content, extensions=response.extensions)

    def _read(
        self,
        request: httpx2.Request,
        response: httpx2.Response,
        cap: float,
        tokens: int | None,
        deadline: Deadline | None,
    ) -> bytes:
        encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
        if any(part.strip() not in {"identity", "gzip", "deflate"} for part in encoding.split(",")):
            response.close()
            raise BackendError(
                f"the server at {request.url.host}:{request.url.port} answered in content-encoding {encoding!r}, "
                f"which was not asked for (only {ACCEPT_ENCODING}); check the server or the proxy in between"
            )
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise BackendError(
                        f"the server at {request.url.host}:{request.url.port} sent an answer larger than {cap:.0f} "
                        f"bytes, more than max_tokens={tokens} can fill; check the server (a runaway or hostile "
                        "answer was cut off)"
                    )
                if deadline is not None:
                    deadline.check()
                parts.append(chunk)
        finally:
            response.close()
        return b"".join(parts)

    def close(self) -> None:
        """Close the HTTP transport."""
        self.inner.close()
