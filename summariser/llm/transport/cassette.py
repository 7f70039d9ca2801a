"""Cassettes: record and replay LLM exchanges at the transport boundary.

One readable JSON file per test under ``cassettes/``. Interactions are matched on the
canonical request (`exchange.canonical`), the same key the cache uses. Headers are never
written, and every secret value (`secret_values`: the API keys, the OpenAI organisation and
project ids from the environment, the password of the endpoint URL) that shows up anywhere in
a request or response is replaced by ``<redacted>`` before the file is written — for every
interaction of the file, so a cassette a user made by hand or with an older version goes
through the same filter when it is rewritten (`summariser.llm.secrets`, the filter the
response cache and the ``--debug`` logs use too).

Modes:

* ``replay`` — answer only from the file; a request it has not recorded raises `CassetteMiss`
  naming the closest recorded request and the first field where the two differ
  (`closest`), and the command that records it. Tests run in this mode (CI never reaches a model).
* ``record`` — replay what is recorded, send anything new to the real backend and append it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Literal

import httpx2

from summariser.atomic import write_atomic
from summariser.errors import CassetteMiss, ConfigError
from summariser.files import read_text_bounded
from summariser.llm.secrets import is_secret, redact, secret_values
from summariser.llm.transport.closest import closest, first_difference
from summariser.llm.transport.exchange import Canonical, canonical

__all__ = ["FORMAT_VERSION", "MAX_CASSETTE_BYTES", "RECORD_HINT", "CassetteMode", "CassetteTransport"]

CassetteMode = Literal["replay", "record"]
FORMAT_VERSION = 1
#: The largest cassette read: a test's cassette is 5–120 KB; 64 MB holds hundreds of exchanges
#: of articles at the input limit.
MAX_CASSETTE_BYTES = 64 * 2**20
RECORD_HINT = "record it with SUMMARISER_RECORD=1 and the real backend available (e.g. `SUMMARISER_RECORD=1 pytest …`)"


def _read(path: Path) -> list[dict[str, Any]]:
    """The interactions of a cassette file (bounded, `summariser.files`); a file that is not one is a `ConfigError`."""
    fix = "delete it to record it again"
    text = read_text_bounded(path, what="cassette", limit=MAX_CASSETTE_BYTES, error=ConfigError, too_big=fix)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ConfigError(f"cassette {path} is not JSON ({' '.join(str(err).split())[:80]}); {fix}") from None
    interactions = data.get("interactions", []) if isinstance(data, dict) else None
    if not isinstance(interactions, list) or not all(
        isinstance(i, dict)
        and isinstance(i.get("key"), str)
        and isinstance(i.get("response"), dict)
        and isinstance(i["response"].get("status"), int)
        and "body" in i["response"]
        for i in interactions
    ):
        raise ConfigError(f"cassette {path} does not hold a list of recorded interactions; {fix}")
    return interactions


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
        self.secrets = [s for s in (secrets or []) if is_secret(s)]
        self._lock = threading.Lock()
        self.interactions: list[dict[str, Any]] = []
        if path.exists():
            self.interactions = _read(path)
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
            raise self._miss(key)
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

    def _miss(self, key: Canonical) -> CassetteMiss:
        """The miss of ``key``: how many are recorded, the closest of them, and the first field where it differs."""
        secrets = secret_values(*self.secrets)
        asked = redact({"endpoint": key.identity, "method": key.method, "path": key.path, "body": key.body}, secrets)
        requests = [i.get("request") if isinstance(i.get("request"), dict) else None for i in self.interactions]
        near = closest(asked, requests)
        found = None if near is None else first_difference(requests[near], asked)
        if near is None:
            nearest = "none to compare with"
        elif found is None:
            nearest = f"interaction {near + 1} has this very request under another key (edited by hand?)"
        else:
            nearest = f"the closest, interaction {near + 1}, first differs at {found.line()}"
        return CassetteMiss(
            f"cassette {self.path.name} has no recorded answer for this request to {self.identity} "
            f"({len(self.interactions)} recorded; {nearest}; the prompt, schema or input changed?); {RECORD_HINT}",
            cassette=str(self.path),
            recorded=len(self.interactions),
            closest=None if near is None else near + 1,
            differs_at=None if found is None else found.path,
        )

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
