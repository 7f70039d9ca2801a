"""A grouped regenerate (``--group-by event``, no grouping file) SIGKILLed at named points loses nothing.

The kill points are those of `summariser.testpoints` (as in ``test_crash.py``): inside the save of
the grouping state (``grouping.sqlite`` is stored like the manifest, so ``manifest-save`` is reached
there too), inside the atomic write of ``grouping.yaml`` and of each briefing, after a briefing is
written and before the manifest lists it. After every kill the grouping state loads and never
contradicts the final grouping, every briefing on disk is whole and the manifest lists only whole
ones; the next run completes, with the events an unkilled run finds, and no temporary file is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.stories import CHILE_3, FIRST, write_stories

from summariser import testpoints
from summariser.regenerate.event_state import STATE, load_state
from summariser.regenerate.manifest import MANIFEST, load_manifest
from summariser.schemas import Briefing

pytestmark = pytest.mark.subprocess(reason="grouped regenerate processes killed at named points")

#: Kill points of the runs over the first five articles (each ``--force``d), in order.
FIRST_KILLS = [("manifest-save", 1), ("atomic-write", 1), ("briefing-written", 1), ("atomic-write", 4),
               ("manifest-save", 2)]  # fmt: skip
#: Kill points of the runs after a third Chile report is dropped in: inside the state's update, then the
#: editable file's write.
LATER_KILLS = [("manifest-save", 1), ("atomic-write", 1)]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer, delay=0.02) as fake:
        yield fake


def _command(server: FakeOpenAI, articles: Path, out: Path, *extra: str) -> list[str]:
    model = f"{server.base_url}#echo"
    return [sys.executable, "-m", "summariser", "regenerate", str(articles), str(out), "--group-by", "event",
            "--model", model, "-j", "1", *extra]  # fmt: skip


def _killed(server: FakeOpenAI, articles: Path, out: Path, point: str, n: int) -> None:
    env = {**os.environ, testpoints.ENV: f"{point}:{n}"}
    proc = subprocess.run(
        _command(server, articles, out, "--force"), capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, f"{point}:{n} was not reached: {proc.stderr[-2000:]}"


def _intact(out: Path) -> set[str]:
    """Briefings whose JSON is on disk (each must validate); the manifest loads and lists only whole ones."""
    names = set()
    for path in out.glob("*.json"):
        Briefing.model_validate_json(path.read_bytes())  # a half-written file fails here
        names.add(path.stem)
    listed = set(load_manifest(out).briefings) if (out / MANIFEST).exists() else set()
    assert listed <= names
    return names


def _grouping(out: Path) -> dict[str, str]:
    return {path: row.event for path, row in load_state(out).articles.items()} if (out / STATE).exists() else {}


def test_sigkill_during_a_grouped_regenerate_loses_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    write_stories(articles, FIRST)

    seen: list[dict[str, str]] = []
    saved: set[str] = set()
    for point, n in FIRST_KILLS:
        _killed(server, articles, out, point, n)
        now = _intact(out) if out.exists() else set()
        assert saved <= now  # no briefing that was whole is lost
        saved = now
        seen.append(_grouping(out))
    (articles / "quake_chile_3.txt").write_text(CHILE_3 + "\n", encoding="utf-8")
    for point, n in LATER_KILLS:
        _killed(server, articles, out, point, n)
        now = _intact(out)
        assert saved <= now
        saved = now
        seen.append(_grouping(out))

    final = subprocess.run(_command(server, articles, out, "--json"), capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["failed"] == {}
    grouping = _grouping(out)
    for partial in seen:  # every state a kill left agrees with the final grouping
        assert all(grouping[path] == event for path, event in partial.items())
    assert grouping["quake_chile_3.txt"] == grouping["quake_chile_1.txt"]
    events = set(grouping.values())
    assert _intact(out) == events == set(load_manifest(out).briefings)
    assert not [p for p in out.rglob(".*") if p.name.endswith(".tmp")]

    fresh = tmp_path / "unkilled"
    clean = subprocess.run(_command(server, articles, fresh), capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stderr
    assert _grouping(fresh) == grouping
