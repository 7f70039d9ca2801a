"""A versioned rebuild (``--group-by event``, articles joined) SIGKILLed at named points loses nothing.

The kill points (`summariser.testpoints`): inside the atomic write of the kept earlier version
(``NAME.versions/1.json``), after it is kept and before the new version is written, and inside the
new version's write. After every kill the briefing on disk is a whole briefing (the earlier version
or the new one, never a mix), every kept version is whole, and the next run writes the new version
with the same update an unkilled run gives, the earlier version kept once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.paths import FIXTURES

from summariser import testpoints
from summariser.schemas import Briefing

pytestmark = pytest.mark.subprocess(reason="versioned regenerate processes killed at named points")

STORY = FIXTURES / "updates"
KILLS = [("atomic-write", 1), ("version-kept", 1), ("atomic-write", 2)]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


def _run(server: FakeOpenAI, articles: Path, out: Path, kill: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != testpoints.ENV}
    if kill is not None:
        env[testpoints.ENV] = kill
    command = [sys.executable, "-m", "summariser", "regenerate", str(articles), str(out), "--group-by", "event",
               "--model", f"{server.base_url}#echo", "-j", "1"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def _folder(tmp: Path, files: list[str]) -> Path:
    articles = tmp / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copy(STORY / name, articles / name)
    (articles / "groups.yaml").write_text("quake:\n" + "".join(f"  - {f}\n" for f in files), encoding="utf-8")
    return articles


def _version(path: Path) -> Briefing:
    return Briefing.model_validate_json(path.read_bytes())  # a half-written file fails here


def test_sigkill_during_a_versioned_rebuild_loses_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    articles = _folder(tmp_path, ["quake_first.txt"])
    assert _run(server, articles, out).returncode == 0
    first = _version(out / "quake.json")
    _folder(tmp_path, ["quake_first.txt", "quake_update.txt"])
    for point, n in KILLS:
        proc = _run(server, articles, out, f"{point}:{n}")
        assert proc.returncode == -signal.SIGKILL, f"{point}:{n} was not reached: {proc.stderr[-2000:]}"
        now = _version(out / "quake.json")
        assert now.model_dump() == first.model_dump() or (now.updates is not None and now.updates.since.version == 1)
        for kept in (out / "quake.versions").glob("*.json") if (out / "quake.versions").exists() else []:
            assert _version(kept).model_dump() == first.model_dump()
    assert _run(server, articles, out).returncode == 0
    final = _version(out / "quake.json")
    assert final.updates is not None and final.updates.since.version == 1
    assert sorted(p.name for p in (out / "quake.versions").iterdir()) == ["1.json"]
    assert not [p for p in out.rglob(".*") if p.name.endswith(".tmp")]

    clean = tmp_path / "unkilled"
    clean_articles = _folder(tmp_path / "u", ["quake_first.txt"])
    assert _run(server, clean_articles, clean).returncode == 0
    _folder(tmp_path / "u", ["quake_first.txt", "quake_update.txt"])
    assert _run(server, clean_articles, clean).returncode == 0
    unkilled = _version(clean / "quake.json").updates
    assert unkilled is not None
    assert final.updates.model_dump(exclude={"since"}) == unkilled.model_dump(exclude={"since"})
