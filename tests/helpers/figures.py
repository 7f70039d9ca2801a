"""Reliability figures recorded by the hardening tests, for the Reliability table of docs/reliability.md.

A test calls ``helpers.figures.record(area, key, n)`` to add ``n`` to a counter; at the end of the session
``tests/conftest.py`` writes every counter to ``test-artifacts/reliability.json`` and
``scripts/reliability_table.py`` renders the table from it. Counters only ever count what a
test really did (faults injected, articles tried, inputs generated, files scanned, hits).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path

from helpers.paths import ARTIFACTS

_LOCK = threading.Lock()
_COUNTS: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

OUT = ARTIFACTS / "reliability.json"


def record(area: str, key: str, n: int = 1) -> None:
    """Add ``n`` to counter ``key`` of ``area`` (e.g. ``record("faults", "injected")``)."""
    with _LOCK:
        _COUNTS[area][key] += n


def snapshot() -> dict[str, dict[str, int]]:
    """A copy of every counter recorded so far."""
    with _LOCK:
        return {area: dict(keys) for area, keys in _COUNTS.items()}


def write(path: Path = OUT) -> None:
    """Write the counters as JSON (nothing when no hardening test ran)."""
    data = snapshot()
    if not data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
