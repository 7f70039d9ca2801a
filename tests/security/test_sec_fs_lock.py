"""Item 11 of issue 14: deleting the lock file does not let a second writer in.

The lock was an ``flock`` on ``.summariser.lock``: delete the file while a run holds it and
a second run created a new one, locked that, and both wrote the folder (the first one's
final save dropped the second's entries). The lock is now on the briefings folder itself
(its directory file descriptor), which deleting, replacing or chmod-ing the lock file
cannot release. Two real processes: the first is slowed by the server, the lock file is
deleted (or replaced by a folder, or a link) between them, and the second must refuse in
one line while the first completes everything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI

from summariser.regenerate.lock import LOCK

pytestmark = pytest.mark.subprocess(reason="two regenerate processes, one holding the lock the other must respect")

TEXT = (
    "Dock workers in Valdmar held rally number {} on Monday. Union leader Marta Kessel spoke to a crowd of "
    "hundreds of people. The port authority said talks would resume on Friday morning."
)


def command(server: FakeOpenAI, articles: Path, out: Path) -> list[str]:
    model = f"{server.base_url}#echo"
    return [sys.executable, "-m", "summariser", "regenerate", str(articles), str(out), "--model", model, "--json"]


def wait_for_lock(proc: subprocess.Popen[str], lock: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if lock.exists() and lock.read_text() == str(proc.pid):
            return
        time.sleep(0.01)
    raise AssertionError("the first run never took the lock")


@pytest.mark.parametrize("attack", ["delete", "replace with a folder", "replace with a link"])
def test_a_second_run_refuses_after_the_lock_file_is_removed(tmp_path: Path, attack: str) -> None:
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    for i in range(3):
        (articles / f"wire_{i}.txt").write_text(TEXT.format(i), encoding="utf-8")
    with FakeOpenAI(responder=echo_answer, delay=0.4) as server:  # the first run holds the lock for seconds
        first = subprocess.Popen(
            command(server, articles, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            wait_for_lock(first, out / LOCK)
            (out / LOCK).unlink()
            if attack == "replace with a folder":
                (out / LOCK).mkdir()
            elif attack == "replace with a link":
                (out / LOCK).symlink_to(tmp_path / "elsewhere")
            second = subprocess.run(command(server, articles, out), capture_output=True, text=True, timeout=120)
            stdout, stderr = first.communicate(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    figures.record("security", "lock_attacks")
    assert second.returncode == 2, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another summariser regenerate") and second.stdout == ""
    assert first.returncode == 0, stderr
    assert json.loads(stdout)["built"] == 3
    assert not (tmp_path / "elsewhere").exists()
    if (out / LOCK).is_symlink():
        (out / LOCK).unlink()
    elif (out / LOCK).is_dir():
        shutil.rmtree(out / LOCK)
    with FakeOpenAI(responder=echo_answer) as server:  # and once the first is done, the folder is free
        third = subprocess.run(command(server, articles, out), capture_output=True, text=True, timeout=120)
    assert third.returncode == 0, third.stderr
    summary = json.loads(third.stdout)  # (a new server is a new model string: rebuilt, from the cache)
    assert summary["built"] + summary["unchanged"] == 3 and summary["failed"] == {}
