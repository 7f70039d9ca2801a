"""The test tiers (a pytest plugin, loaded by tests/conftest.py): the markers that keep a test out of the fast tier.

``bash scripts/test.sh`` runs every test; ``bash scripts/test.sh --fast`` (pytest's ``--fast``, added
here) deselects `SLOW_MARKERS` (`FAST_TIER` is its ``-m`` expression) and tests/conftest.py loads
the ``fast`` hypothesis profile for it. A marker stays true only if it is checked, so:

* a test that starts a process (``subprocess.Popen``, which ``subprocess.run`` and Selenium's
  chromedriver service use) fails unless it is marked ``subprocess``, ``browser`` or ``model``:
  an unmarked test cannot slip a fresh interpreter into the fast tier;
* a test that uses the ``small_model`` fixture (the embedded model, or a skip) is marked ``model``;
* ``subprocess``, ``slow`` and ``alone`` must say why (``reason=``): what the real process, the time or
  the quiet machine buys.

The whole suite runs in two parts (``--part``, which ``scripts/test.sh`` gives): ``shared``, every test
but `ALONE_MARKERS`, side by side on three pytest-xdist workers; then ``alone``, the ``model`` tests (one
model process at a time: llama.cpp on two threads slows several-fold beside anything) and the ``alone``
ones (a time bound that a neighbour would decide), one after the other. The shared part starts with
the tests marked `FIRST_MARKERS` (its longest: the memory probes and the kill tests), so that the
workers end together instead of one finishing a probe alone.

`examples` sizes a property's explicit example count to the tier: hypothesis profiles set only
the default count, and an explicit ``max_examples`` would otherwise win over the profile.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from hypothesis import settings

__all__ = ["ALONE_MARKERS", "FAST_TIER", "FIRST_MARKERS", "MODEL_FIXTURE", "PARTS", "SLOW_MARKERS", "examples"]

#: The markers ``--fast`` deselects; each keeps a test out of the fast tier for one reason (see pyproject.toml).
SLOW_MARKERS = ("model", "browser", "subprocess", "slow")
#: The ``-m`` expression of the fast tier.
FAST_TIER = " and ".join(f"not {marker}" for marker in SLOW_MARKERS)
#: The fixture (tests/conftest.py) that gives a test the embedded model, or skips it: its users are ``model`` tests.
MODEL_FIXTURE = "small_model"
#: The markers of the tests that run with nothing beside them (the ``alone`` part of the whole suite).
ALONE_MARKERS = ("model", "alone")
#: ``--part``: its ``-m`` expression.
PARTS = {
    "shared": " and ".join(f"not {marker}" for marker in ALONE_MARKERS),
    "alone": " or ".join(ALONE_MARKERS),
}
#: The markers of the tests the shared part runs first (in their order, then the rest in theirs).
FIRST_MARKERS = ("subprocess", "browser", "slow")
#: The markers that must give a ``reason=``.
_EXPLAINED = ("subprocess", "slow", "alone")
#: The markers under which a test may start a process.
_SPAWNING = ("subprocess", "browser", "model")


def examples(full: int) -> int:
    """``full`` examples in the full tier (the "repeatable" profile of tests/conftest.py); in another tier, scaled
    as its profile's default count is to the full one's (the fast tier: a tenth), at least one."""
    return max(1, full * settings.default.max_examples // settings.get_profile("repeatable").max_examples)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help=f"the fast tier: deselect {', '.join(SLOW_MARKERS)} tests, fewer hypothesis examples",
    )
    parser.addoption(
        "--part",
        choices=sorted(PARTS),
        help=f"one part of the whole suite: shared (all but {', '.join(ALONE_MARKERS)} tests, for pytest-xdist) "
        "or alone (those, one at a time)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """``--fast`` or ``--part``: its marker expression, and'ed with any ``-m`` given."""
    for expression in (FAST_TIER if config.getoption("fast") else None, PARTS.get(config.getoption("part") or "")):
        if expression:
            given = config.option.markexpr
            config.option.markexpr = f"({given}) and ({expression})" if given else expression


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by the markers added here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``model`` every test that uses the `MODEL_FIXTURE`; refuse a ``subprocess``, ``slow`` or ``alone``
    marker that does not say why; in the shared part, put the tests marked `FIRST_MARKERS` first (a stable
    sort: each group keeps its order)."""
    for item in items:
        if MODEL_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
        for name in _EXPLAINED:
            for mark in item.iter_markers(name):
                if not str(mark.kwargs.get("reason", "")).strip():
                    raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs reason=… (why it must stay)")
    if config.getoption("part") == "shared":
        items.sort(key=lambda item: not any(item.get_closest_marker(name) for name in FIRST_MARKERS))


#: The test being run (set for its setup, call and teardown), for `_guarded_spawn`.
_running: list[pytest.Item] = []
_real_execute_child = subprocess.Popen._execute_child  # type: ignore[attr-defined]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Any:
    """Know which test is running, its module- and session-scoped fixtures' setup and teardown included."""
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()


def _guarded_spawn(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> Any:
    """Start the process, unless the running test has no marker that keeps it out of the fast tier."""
    if _running and not any(_running[-1].get_closest_marker(name) for name in _SPAWNING):
        raise AssertionError(
            f"{_running[-1].nodeid} starts a process ({args!r}) but is not marked {' or '.join(_SPAWNING)}: "
            "run the CLI in this process (helpers.cli.run), or mark the test and say why the real process is the point"
        )
    return _real_execute_child(self, args, *rest, **kwargs)


def pytest_sessionstart(session: pytest.Session) -> None:
    # Every Popen ends here (subprocess.run, asyncio's subprocesses, Selenium's driver service).
    subprocess.Popen._execute_child = _guarded_spawn  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session) -> None:
    subprocess.Popen._execute_child = _real_execute_child  # type: ignore[attr-defined]
