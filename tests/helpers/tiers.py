"""The test tiers (a pytest plugin, loaded by tests/conftest.py): the markers that keep a test out of the fast tier.

``bash scripts/test.sh`` runs every test; ``bash scripts/test.sh --fast`` (pytest's ``--fast``, added
here) deselects `SLOW_MARKERS` (`FAST_TIER` is its ``-m`` expression) and tests/conftest.py loads
the ``fast`` hypothesis profile for it. A marker stays true only if it is checked, so:

* a test that starts a process (``subprocess.Popen``, which ``subprocess.run`` and Selenium's
  chromedriver service use) fails unless it is marked ``subprocess``, ``browser`` or ``model``:
  an unmarked test cannot slip a fresh interpreter into the fast tier;
* a test that uses the ``small_model`` fixture (the embedded model, or a skip) is marked ``model``;
* ``subprocess`` and ``slow`` must say why (``reason=``): what the real process or the time buys.

`examples` sizes a property's explicit example count to the tier: hypothesis profiles set only
the default count, and an explicit ``max_examples`` would otherwise win over the profile.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from hypothesis import settings

__all__ = ["FAST_TIER", "MODEL_FIXTURE", "SLOW_MARKERS", "examples"]

#: The markers ``--fast`` deselects; each keeps a test out of the fast tier for one reason (see pyproject.toml).
SLOW_MARKERS = ("model", "browser", "subprocess", "slow")
#: The ``-m`` expression of the fast tier.
FAST_TIER = " and ".join(f"not {marker}" for marker in SLOW_MARKERS)
#: The fixture (tests/conftest.py) that gives a test the embedded model, or skips it: its users are ``model`` tests.
MODEL_FIXTURE = "small_model"
#: The markers that must give a ``reason=``.
_EXPLAINED = ("subprocess", "slow")
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


def pytest_configure(config: pytest.Config) -> None:
    """``--fast``: the tier's marker expression, and'ed with any ``-m`` given."""
    if config.getoption("fast"):
        given = config.option.markexpr
        config.option.markexpr = f"({given}) and ({FAST_TIER})" if given else FAST_TIER


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by the markers added here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``model`` every test that uses the `MODEL_FIXTURE`; refuse a ``subprocess`` or ``slow`` marker
    that does not say why."""
    for item in items:
        if MODEL_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
        for name in _EXPLAINED:
            for mark in item.iter_markers(name):
                if not str(mark.kwargs.get("reason", "")).strip():
                    raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs reason=… (why it must stay)")


@pytest.fixture(autouse=True)
def _processes_only_where_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a test that starts a process without a marker that keeps it out of the fast tier."""
    if any(request.node.get_closest_marker(name) for name in _SPAWNING):
        return
    nodeid = request.node.nodeid

    def refuse(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        raise AssertionError(
            f"{nodeid} starts a process ({args!r}) but is not marked {' or '.join(_SPAWNING)}: run the CLI in "
            "this process (helpers.cli.run), or mark the test and say why the real process is the point"
        )

    # Every Popen ends here (subprocess.run, asyncio's subprocesses, Selenium's driver service).
    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)
