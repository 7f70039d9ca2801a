"""``summariser brief NEW --since EARLIER.json``: the next version of a briefing, and the bad earlier files.

The good run replays the embedded model's recorded answers about the two event articles
(``cassettes/test_pipeline__event_pair.json``): the report first, then the talks with ``--since``.
Every bad ``--since`` file gives one line naming the file and the fix, a non-zero exit, no
traceback and no output file, before any model work.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli import EVENT, assert_clean_failure, run
from helpers.paths import CASSETTES

REPLAY = {"SUMMARISER_CASSETTE": str(CASSETTES / "test_pipeline__event_pair.json")}


def test_since_gives_the_next_version_with_what_the_new_article_adds(tmp_path: Path) -> None:
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    env = {**REPLAY, "SUMMARISER_CACHE_DIR": str(tmp_path / "cache")}
    assert run("brief", EVENT[0], "-o", str(first), env=env).returncode == 0
    result = run("brief", EVENT[1], "--since", str(first), "-o", str(second), env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(second.read_text())
    assert len(data["sources"]) == 2 and data["updates"]["since"]["version"] == 1
    assert "Henrik Aalto" in {p["name"] for p in data["updates"]["people"]}
    assert json.loads(first.read_text())["updates"] is None
    md = run("brief", EVENT[1], "--since", str(first), "-f", "markdown", env=env)
    assert md.returncode == 0 and md.stdout.splitlines()[2].startswith("## What's new since version 1")


def test_since_is_in_the_help_with_an_example() -> None:
    out = run("brief", "--help").stdout
    assert "--since" in out and "EARLIER.json" in out


def _earlier_files(tmp: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    text = tmp / "notes.json"
    text.write_text("not json at all\n")
    other = tmp / "other.json"
    other.write_text(json.dumps({"events": []}))
    newer = tmp / "v9.json"
    newer.write_text(json.dumps({"schema_version": "9", "headline": "x"}))
    folder = tmp / "folder.json"
    folder.mkdir()
    return {
        "not json": (text, ("notes.json", "not JSON", "summariser brief")),
        "not a briefing": (other, ("other.json", "not a briefing", "summariser brief")),
        "another schema": (newer, ("v9.json", "schema version", "brief its articles again")),
        "missing": (tmp / "nope.json", ("nope.json",)),
        "a folder": (folder, ("folder.json",)),
    }


@pytest.mark.parametrize("case", ["not json", "not a briefing", "another schema", "missing", "a folder"])
def test_a_bad_earlier_file_gives_one_line_naming_it(case: str, tmp_path: Path) -> None:
    earlier, needles = _earlier_files(tmp_path)[case]
    out = tmp_path / "out.json"
    result = run("brief", EVENT[1], "--since", str(earlier), "-o", str(out), env=REPLAY)
    assert_clean_failure(result, *needles)
    assert not out.exists() and not list(tmp_path.glob(".out.json.*"))


def test_an_earlier_briefing_without_its_texts_is_refused_before_any_model_work(tmp_path: Path) -> None:
    first = tmp_path / "v1.json"
    env = {**REPLAY, "SUMMARISER_CACHE_DIR": str(tmp_path / "cache")}
    assert run("brief", EVENT[0], "-o", str(first), env=env).returncode == 0
    data = json.loads(first.read_text())
    for source in data["sources"]:
        source["text"] = None
    first.write_text(json.dumps(data))
    out = tmp_path / "v2.json"
    result = run("brief", EVENT[1], "--since", str(first), "-o", str(out), env={"SUMMARISER_CASSETTE": "/nonexistent"})
    assert_clean_failure(result, "v1.json", "does not carry the text", "pass that article too")
    assert not out.exists()
