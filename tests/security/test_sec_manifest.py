"""Issue 14, "a manifest with ``version: 99`` is silently taken as an empty manifest": manifests validated on load.

A briefings folder someone sends you may hold any ``manifest.sqlite`` or old ``manifest.json``.
Whatever it holds, `load_manifest` either returns a manifest whose every name, ``files`` entry
and ``inputs`` key is a plain relative POSIX path inside the folder and whose every hash is 64
hex digits — or raises one `InputError` line naming the file and the fix. Never another
exception, never a silently empty manifest. Here: the issue's example end to end, other
JSON taken for a manifest, JSON documents of any shape and hostile paths in every slot
(hypothesis), and saves (a save never writes what a load would refuse). Hostile SQLite
manifests and planted links: ``test_sec_manifest_sqlite.py``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.cli import assert_clean_failure
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.manifests import FAST, HASH, checked, good_entry, hostile_path, json_values, legacy, saved
from helpers.regenerate import regenerate as run_cli
from hypothesis import given
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.regenerate.manifest import (
    LEGACY_MANIFEST,
    MANIFEST,
    Entry,
    Manifest,
    load_manifest,
    path_problem,
    save_manifest,
)

ARTICLE = "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd. Talks resume."


# --------------------------------------------------------------------------- the issue's example, end to end

BAD_VERSIONS = [99, 0, 2, -1, "1", True, 1.0, None, [1], 10**30]


@pytest.mark.parametrize("version", BAD_VERSIONS, ids=repr)
def test_an_unknown_version_is_refused_with_one_line_and_nothing_is_built(tmp_path: Path, version: Any) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out.mkdir()
    data = legacy({"a": good_entry()}, version)
    (out / LEGACY_MANIFEST).write_bytes(data)
    with FakeOpenAI(responder=echo_answer) as server:
        result = run_cli(server, articles, out)
        assert server.requests == []  # before: taken as empty, every briefing rebuilt
    assert_clean_failure(result, str(out / LEGACY_MANIFEST), "version", "upgrade summariser")
    assert (out / LEGACY_MANIFEST).read_bytes() == data and not (out / MANIFEST).exists()
    assert not (out / "a.json").exists()
    figures.record("security", "manifest_versions")


def test_an_unknown_sqlite_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    save_manifest(tmp_path, Manifest.model_validate({"briefings": {"a": good_entry()}}))
    with sqlite3.connect(tmp_path / MANIFEST) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = (tmp_path / MANIFEST).read_bytes()
    with pytest.raises(InputError, match=r"version 99 manifest.*upgrade summariser"):
        load_manifest(tmp_path)
    with pytest.raises(InputError, match="version 99"):
        save_manifest(tmp_path, Manifest.model_validate({"briefings": {"b": good_entry("b")}}))  # nor written over
    assert (tmp_path / MANIFEST).read_bytes() == before


@pytest.mark.parametrize(
    "data",
    [
        b'{"id": "x", "headline": "a briefing JSON", "summary": []}',  # a briefing put where the manifest goes
        b'{"briefings": {}}',  # no version: not something summariser wrote
        b'{"version": 1}',
        b"[]",
        b'{"version": 1, "briefings": {}, "extra": 1}',
        b'{"version": 1, "briefings": []}',
    ],
)
def test_other_json_is_not_taken_for_an_empty_manifest(tmp_path: Path, data: bytes) -> None:
    (tmp_path / LEGACY_MANIFEST).write_bytes(data)
    assert checked(tmp_path) is None


def test_the_issue_entries_are_refused_on_load(tmp_path: Path) -> None:
    for bad in (["../victim/important.txt"], ["/etc/passwd"], ["a/../../x"], ["a\x00.json"], [""], ["a//b"]):
        (tmp_path / LEGACY_MANIFEST).write_bytes(legacy({"a": {**good_entry(), "files": bad}}))
        with pytest.raises(InputError, match=r"manifest\.json is not a valid manifest \(briefings\.a\.files\[0\]"):
            load_manifest(tmp_path)
    for name in ("../x", "/abs", "", "a/./b"):
        (tmp_path / LEGACY_MANIFEST).write_bytes(legacy({name: good_entry()}))
        assert checked(tmp_path) is None
    (tmp_path / LEGACY_MANIFEST).write_bytes(legacy({"a": {**good_entry(), "inputs": {"a.txt": "00"}}}))
    assert checked(tmp_path) is None


# --------------------------------------------------------------------------- generated: the old JSON manifest

FIELDS = ["inputs", "prompts", "schema_version", "model", "files", "headline", "event_date", "sources", "stats"]


@FAST
@given(
    doc=json_values, where=st.sampled_from(["document", "briefings", "entry", "field"]), field=st.sampled_from(FIELDS)
)
def test_json_manifests_of_any_shape_load_safely_or_fail_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, doc: Any, where: str, field: str
) -> None:
    folder = tmp_path_factory.mktemp("shape")
    data = {
        "document": doc,
        "briefings": {"version": 1, "briefings": doc},
        "entry": {"version": 1, "briefings": {"a": doc}},
        "field": {"version": 1, "briefings": {"a": {**good_entry(), field: doc}}},
    }[where]
    (folder / LEGACY_MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    checked(folder)
    figures.record("security", "manifest_json_shapes")


@FAST
@given(path=hostile_path, slot=st.sampled_from(["name", "files", "inputs", "stats", "nested"]))
def test_hostile_paths_in_any_slot_are_refused_or_are_plain_relative_paths(
    tmp_path_factory: pytest.TempPathFactory, path: str, slot: str
) -> None:
    folder = tmp_path_factory.mktemp("paths")
    entry = good_entry()
    if slot == "files":
        entry["files"] = ["a.json", path]
    elif slot == "inputs":
        entry["inputs"] = {path: HASH}
    elif slot == "stats":
        entry["stats"] = {path: [1, 2, 3, 4, 5]}
    briefings = {f"desk/{path}" if slot == "nested" else path if slot == "name" else "a": entry}
    (folder / LEGACY_MANIFEST).write_text(json.dumps({"version": 1, "briefings": briefings}), encoding="utf-8")
    manifest = checked(folder)
    plain = path_problem(path) is None and path_problem(f"desk/{path}") is None
    if not plain:
        assert manifest is None  # every path that is not plain is refused, wherever it is
    figures.record("security", "manifest_hostile_paths")


def test_a_valid_entry_round_trips(tmp_path: Path) -> None:
    entry = Entry.model_validate({**good_entry(), "stats": {"a.txt": [1, 2, 3, 4, 5]}, "event_date": "2024-05-01"})
    save_manifest(tmp_path, Manifest(briefings={"a": entry}))
    assert load_manifest(tmp_path).briefings == {"a": entry}


@FAST
@given(path=hostile_path.filter(lambda p: path_problem(p) is not None), slot=st.sampled_from(["name", "files"]))
def test_a_save_never_writes_what_a_load_would_refuse(
    tmp_path_factory: pytest.TempPathFactory, path: str, slot: str
) -> None:
    folder = tmp_path_factory.mktemp("save")
    saved(folder)
    before = (folder / MANIFEST).read_bytes()
    manifest = load_manifest(folder)
    unchecked = Entry.model_construct(**{**good_entry(), "files": [path] if slot == "files" else ["x.json"]})
    manifest.briefings[path if slot == "name" else "x"] = unchecked  # built unvalidated, as a bug would
    with pytest.raises(InputError, match="not saved"):
        save_manifest(folder, manifest)
    assert (folder / MANIFEST).read_bytes() == before and checked(folder) is not None
    figures.record("security", "manifest_unsaved")
