"""``summariser group``: events as JSON or text, folders expanded, bad input as one line."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.cli import assert_clean_failure, run
from helpers.stories import write_stories


def test_group_json_has_the_documented_shape(tmp_path: Path) -> None:
    paths = write_stories(tmp_path / "stories")[:4]  # the two earthquakes, two reports each
    result = run("group", *map(str, paths), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == ["events"]
    assert len(out["events"]) == 2
    for event in out["events"]:
        assert {"id", "label", "articles", "size", "start", "end", "members"} <= set(event)
        assert event["id"].startswith("ev-") and isinstance(event["label"], str)
        assert all(isinstance(a, str) for a in event["articles"])
    assert sorted(a for e in out["events"] for a in e["articles"]) == sorted(map(str, paths))


def test_group_reads_a_folder_and_prints_text(tmp_path: Path) -> None:
    write_stories(tmp_path / "stories")
    result = run("group", str(tmp_path / "stories"))
    assert result.returncode == 0, result.stderr
    assert "ev-" in result.stdout and "founded the event" in result.stdout
    assert "10 articles in" in result.stderr


def test_an_empty_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_clean_failure(run("group", str(tmp_path / "empty")), "holds no article files")


def test_a_file_without_text_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    assert_clean_failure(run("group", str(tmp_path / "blank.txt")), "blank.txt", "empty")


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 4)
    assert_clean_failure(run("group", str(tmp_path / "photo.txt")), "photo.txt", "binary")
    assert_clean_failure(run("group", str(tmp_path / "missing.txt")), "missing.txt")
