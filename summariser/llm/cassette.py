"""Cassettes: record and replay LLM exchanges at the transport boundary.

One readable JSON file per test under ``cassettes/``. Interactions are matched on the
canonical request (`exchange.canonical`), the same key the cache uses. Headers are never
written, and every secret value (`secret_values`: the API keys, the OpenAI organisation and
project ids from the environment, the password of the endpoint URL) that shows up anywhere in
a request or response is replaced by ``<redacted>`` before the file is written — for every
interaction of the file, so a cassette a user made by hand or with an older version goes
through the same filter when it is rewritten. The response cache and the ``--debug`` logs
use the same filter (`redact`, `RedactingFilter`).

Modes:

* ``replay`` — answer only from the file; a request it has not recorded raises `CassetteMiss`
  with the command that records it. Tests run in this mode (CI never reaches a model).
* ``record`` — replay what is recorded, send anything new to the real backend and append it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import httpx2

from ..atomic import write_atomic
from ..errors import CassetteMiss
from .backends import PLACEHOLDER_KEYS
from .exchange import canonical

CassetteMode = Literal["replay", "record"]
FORMAT_VERSION = 1
RECORD_HINT = "record it with SUMMARISER_RECORD=1 and the real backend available (e.g. `SUMMARISER_RECORD=1 pytest …`)"


#: Environment variables whose values are credentials or account ids (openai reads the
#: ``OPENAI_*`` ones itself and sends them as headers).
SECRET_ENV = (
    "SUMMARISER_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_WEBHOOK_SECRET",
)
#: Shorter values are not redacted: every "abc" in a text would vanish.
MIN_SECRET = 4
_REGISTERED: set[str] = set()


def url_secrets(url: str) -> list[str]:
    """The password of ``url`` and the Basic-auth token of its ``user:password`` (never the host)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return []
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    found = [token, token.rstrip("=")]
    if password:
        found += [password, parts.password or ""]
    return found


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember secrets seen in this process (e.g. a ``--api-key``) for every later filter."""
    _REGISTERED.update(v for v in values if v and len(v) >= MIN_SECRET and v not in PLACEHOLDER_KEYS)


def secret_values(*values: str | None) -> list[str]:
    """``values`` plus the secrets of the environment and those registered, longest first."""
    found = {v for v in values if v}
    found.update(os.environ.get(name) or "" for name in SECRET_ENV)
    found.update(list(_REGISTERED))
    for name in ("OPENAI_BASE_URL", "OLLAMA_HOST", "SUMMARISER_MODEL"):
        found.update(url_secrets(os.environ.get(name) or ""))
    keep = {v for v in found if len(v) >= MIN_SECRET and v not in PLACEHOLDER_KEYS}
    return sorted(keep, key=lambda v: (-len(v), v))  # a secret inside a longer one: the longer first


def redact(value: Any, secrets: list[str]) -> Any:
    """Return ``value`` with every occurrence of a secret string replaced by ``<redacted>``.

    Walks dicts (keys and values), lists and tuples at any depth; other values are kept.
    """
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, "<redacted>")
        return value
    if isinstance(value, list | tuple):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {redact(k, secrets): redact(v, secrets) for k, v in value.items()}
    return value


class RedactingFilter(logging.Filter):
    """A log-handler filter that removes every `secret_values` value from messages and tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; never drops it."""
        secrets = secret_values()
        if not secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it, as without this filter
            return True
        clean = redact(message, secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


class CassetteTransport(httpx2.BaseTransport):
    """Replay (and in record mode, record) exchanges from one cassette file."""

    def __init__(
        self,
        path: Path,
        identity: str,
        mode: CassetteMode = "replay",
        inner: httpx2.BaseTransport | None = None,
        secrets: list[str] | None = None,
    ) -> None:
        self.path = path
        self.identity = identity
        self.mode = mode
        self.inner = inner
        self.secrets = [s for s in (secrets or []) if s and len(s) >= MIN_SECRET]
        self._lock = threading.Lock()
        self.interactions: list[dict[str, Any]] = []
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.interactions = list(data.get("interactions", []))
        # One key may have several recorded answers (a retried 503, then a 200): they are
        # replayed in recorded order, and the last one repeats.
        self._index: dict[str, list[dict[str, Any]]] = {}
        for item in self.interactions:
            self._index.setdefault(item["key"], []).append(item)
        self._cursor: dict[str, int] = {}
        self.used: set[str] = set()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer from the cassette, or record a new interaction in record mode."""
        key = canonical(self.identity, request)
        with self._lock:
            recorded = self._index.get(key.key, [])
            position = self._cursor.get(key.key, 0)
            found = recorded[min(position, len(recorded) - 1)] if recorded else None
            if found is not None and (position < len(recorded) or self.mode == "replay"):
                self._cursor[key.key] = position + 1
                self.used.add(key.key)
                return httpx2.Response(found["response"]["status"], json=found["response"]["body"])
        if self.mode != "record" or self.inner is None:
            raise CassetteMiss(
                f"cassette {self.path.name} has no recorded answer for this request to {self.identity} "
                f"({len(self.interactions)} recorded; the prompt, schema or input changed?); {RECORD_HINT}"
            )
        response = self.inner.handle_request(request)
        content = response.read()
        try:
            body: Any = json.loads(content)
        except ValueError:
            body = content.decode("utf-8", "replace")
        secrets = secret_values(*self.secrets)
        item = {
            "key": key.key,
            "request": redact(
                {"endpoint": key.identity, "method": key.method, "path": key.path, "body": key.body}, secrets
            ),
            "response": {"status": response.status_code, "body": redact(body, secrets)},
        }
        with self._lock:
            self.interactions.append(item)
            self._index.setdefault(key.key, []).append(item)
            self._cursor[key.key] = len(self._index[key.key])
            self.used.add(key.key)
            self._write()
        return httpx2.Response(response.status_code, json=body)

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Every interaction, not only the new one: a hand-made cassette is filtered too.
        interactions = redact(self.interactions, secret_values(*self.secrets))
        text = json.dumps({"version": FORMAT_VERSION, "interactions": interactions}, indent=1, ensure_ascii=False)
        write_atomic(self.path, text + "\n")

    def close(self) -> None:
        """Close the inner transport, if any."""
        if self.inner is not None:
            self.inner.close()
