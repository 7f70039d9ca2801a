"""Atomic writes (`summariser.atomic`): a failed write leaves the old file whole and no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summariser.atomic import NAME_MAX, write_atomic
from summariser.regenerate.manifest import path_problem
from summariser.regenerate.paths import output_problem


def test_atomic_write_never_leaves_a_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "b.json"
    write_atomic(target, "first\n")
    assert target.read_text() == "first\n"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600), "published files get normal permissions"

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "second\n")
    assert target.read_text() == "first\n"
    assert [p.name for p in target.parent.iterdir()] == ["b.json"], "temporary file left behind"


def test_one_file_name_limit_for_temporary_files_briefings_and_the_manifest(tmp_path: Path) -> None:
    """`NAME_MAX` is the one limit on a file name: a name of exactly that many bytes is written (its
    temporary file's name shortened to fit), and a briefing name or manifest path one byte over is refused."""
    longest = "é" * ((NAME_MAX - len(".json")) // 2) + ".json"
    assert len(longest.encode()) == NAME_MAX
    write_atomic(tmp_path / longest, "{}\n")
    assert [p.name for p in tmp_path.iterdir()] == [longest]
    room = NAME_MAX - len(".html")  # the longest suffix a briefing's files take
    assert output_problem("a" * room) is None
    assert f"over {NAME_MAX} bytes" in (output_problem("a" * (room + 1)) or "")
    assert path_problem(f"dir/{'a' * NAME_MAX}") is None
    assert f"longer than {NAME_MAX} bytes" in (path_problem(f"dir/{'a' * (NAME_MAX + 1)}") or "")
