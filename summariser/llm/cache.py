"""Response cache: a diskcache store keyed on the canonical request.

Only complete, schema-valid answers are stored (`exchange.cacheable`), so a truncated,
failed or invalid response can never poison the cache. Modes: ``on`` (read and write),
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

from .exchange import cacheable, canonical
from .secrets import redact, secret_values

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
            return json.loads(raw)
        except (ValueError, TypeError, OSError, sqlite3.DatabaseError):  # unreadable entry: a miss
            with contextlib.suppress(OSError, sqlite3.DatabaseError):
                self._cache.delete(key)
            return None

    def set(self, key: str, body: Any) -> None:
        """Store a response body (as JSON text, secrets redacted) under ``key``."""
        clean = redact(body, secret_values(*self.secrets))
        self._cache.set(key, json.dumps(clean, ensure_ascii=False))

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
            stored = self.cache.get(key.key)
            if stored is not None:
                return httpx2.Response(200, json=stored, headers={HIT_HEADER: "hit"})
        response = self.inner.handle_request(request)
        if self.mode == "off":
            return response
        content = response.read()
        try:
            body = json.loads(content)
        except ValueError:
            return response
        if cacheable(key.body, response.status_code, body):
            self.cache.set(key.key, body)
        return response

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
