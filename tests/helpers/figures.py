"""Reliability figures recorded by the hardening tests, for the Reliability table of docs/reliability.md.

A test calls ``helpers.figures.record(area, key, n)`` to add ``n`` to a counter; at the end of the session
(not the fast tier's, whose tenth of the generated cases would stand in docs/reliability.md for the full
suite's counts) every counter is written to ``test-artifacts/reliability.json`` and
``scripts/reliability_table.py`` renders the table from it. Counters only ever count what a
test really did (faults injected, articles tried, inputs generated, files scanned, hits).

This module is also a pytest plugin (tests/conftest.py loads it), so that one run's counters are
all written however it is split: a pytest-xdist worker sends its counters to the controller, which
adds them up; ``--figures-hold PATH`` writes a session's counters to PATH instead (the ``shared`` part
of ``scripts/test.sh``), and ``--figures-add PATH`` adds those to the session's own (the ``alone`` part).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from helpers.paths import ARTIFACTS

_LOCK = threading.Lock()
_COUNTS: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

OUT = ARTIFACTS / "reliability.json"


def record(area: str, key: str, n: int = 1) -> None:
    """Add ``n`` to counter ``key`` of ``area`` (e.g. ``record("faults", "injected")``)."""
    with _LOCK:
        _COUNTS[area][key] += n


def add(counts: dict[str, dict[str, int]]) -> None:
    """Add every counter of ``counts`` (as `snapshot` gives them)."""
    for area, keys in counts.items():
        for key, n in keys.items():
            record(area, key, n)


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--figures-hold", metavar="PATH", help="write this session's reliability counters to PATH")
    parser.addoption("--figures-add", metavar="PATH", help="add the counters held in PATH to this session's")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist's controller: a worker is done; add up the counters it sent."""
    add(getattr(node, "workeroutput", {}).get("figures", {}))


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: its controller writes
        config.workeroutput["figures"] = snapshot()  # type: ignore[attr-defined]
        return
    if config.getoption("fast"):
        return
    if held := config.getoption("figures_hold"):
        Path(held).write_text(json.dumps(snapshot()), encoding="utf-8")  # even none: the next part adds them
        return
    if given := config.getoption("figures_add"):
        add(json.loads(Path(given).read_text(encoding="utf-8") or "{}"))
    write()
