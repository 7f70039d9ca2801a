"""Response cache: a diskcache store keyed on the canonical request.

Only complete answers that their response model validates are stored (`exchange.cacheable`),
so a truncated, failed or invalid response can never poison the cache; a stored answer is
checked by the same rule when it is served (`ResponseCache.answer`), so an entry an older
version let in is dropped and recomputed instead of failing every run. Modes: ``on`` (read and write),
``refresh`` (write only: recompute and overwrite), ``off``.

Headers are never stored, and every secret value (`secrets.secret_values`) is redacted
from a body before it is stored. An entry that cannot be read back (a value file cut short
by a killed process or a full disk, bytes that are not UTF-8 or not JSON) is a miss, never
an error: it is dropped and the answer is recomputed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import httpx2

from summariser.llm.secrets import redact, secret_values
from summariser.llm.transport.exchange import Canonical, cacheable, canonical, loads

__all__ = ["HIT_HEADER", "CacheMode", "CachingTransport", "ResponseCache"]

CacheMode = Literal["on", "off", "refresh"]
HIT_HEADER = "x-summariser-cache"


class ResponseCache:
    """A thin wrapper around ``diskcache.Cache`` storing ``{status, body}`` by request key."""

    def __init__(self, directory: Path, secrets: Iterable[str] = ()) -> None:
        import diskcache

        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.secrets = list(secrets)
        self._cache = diskcache.Cache(str(directory), size_limit=2**32)

    def get(self, key: str) -> Any | None:
        """The stored response body for ``key``, or None (also for an entry that cannot be read)."""
        try:
            raw = self._cache.get(key)
            if raw is None:
                return None
            return loads(raw)
        except (ValueError, TypeError, OSError, sqlite3.DatabaseError):  # unreadable entry: a miss
            with contextlib.suppress(OSError, sqlite3.DatabaseError):
                self._cache.delete(key)
            return None

    def answer(self, request: Canonical) -> Any | None:
        """The stored answer to ``request`` if it is still one its response model accepts, else None.

        An entry that fails the rule (stored by an older version) is dropped: a miss.
        """
        stored = self.get(request.key)
        if stored is None or cacheable(request.body, 200, stored):
            return stored
        with contextlib.suppress(OSError, sqlite3.DatabaseError):
            self._cache.delete(request.key)
        return None

    def set(self, key: str, body: Any) -> None:
        """Store a response body (as JSON text, secrets redacted) under ``key``."""
        clean = redact(body, secret_values(*self.secrets))
        text = json.dumps(clean, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate outside the content (an id, say): store it escaped
            text = json.dumps(clean)
        self._cache.set(key, text)

    def __len__(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        """Close the underlying database."""
        self._cache.close()


class CachingTransport(httpx2.BaseTransport):
    """Serve repeated requests from the cache; store only complete, valid answers."""

    def __init__(self, inner: httpx2.BaseTransport, cache: ResponseCache, identity: str, mode: CacheMode) -> None:
        self.inner = inner
        self.cache = cache
        self.identity = identity
        self.mode = mode

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer from the cache when allowed, otherwise ask the inner transport."""
        key = canonical(self.identity, request)
        if self.mode == "on":
            stored = self.cache.answer(key)
            if stored is not None:
                return httpx2.Response(200, json=stored, headers={HIT_HEADER: "hit"})
        response = self.inner.handle_request(request)
        if self.mode == "off":
            return response
        content = response.read()
        try:
            body = loads(content)
        except ValueError:
            return response
        if cacheable(key.body, response.status_code, body):
            self.cache.set(key.key, body)
        return response

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
