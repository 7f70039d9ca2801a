"""Atomic writes (`summariser.atomic`): a failed write leaves the old file whole and no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summariser.atomic import write_atomic


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
