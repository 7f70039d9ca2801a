"""Issue 14, manifests validated on load: hostile SQLite manifests and links planted where the manifest goes.

The manifest is SQLite; a folder someone sends you may hold any database under its name.
Generated attacks (hypothesis): hostile rows (names and entries of every SQLite type,
JSON of any shape), foreign schemas (triggers, views, indexes, other tables, renamed or
dropped tables) with any ``user_version``, byte flips and truncations of a good manifest,
and garbage bytes. Each load returns a safe manifest or one `InputError` line (`checked`),
never another exception and never an empty manifest in place of a full one; a refused
database is not written either (so a planted trigger never runs). A link planted as the
manifest or as its ``-wal``, ``-shm`` or ``-journal`` companion — through which SQLite would
write wherever it points — is refused and its target left untouched.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.manifests import FAST, checked, good_entry, hostile_path, json_values, saved
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.regenerate.manifest import LEGACY_MANIFEST, MANIFEST, Manifest, load_manifest, save_manifest

sql_values = st.one_of(st.text(max_size=30), st.integers(), st.binary(max_size=30), st.floats(allow_nan=False))
entry_texts = st.one_of(json_values.map(json.dumps), st.just(json.dumps(good_entry())), sql_values)


@FAST
@given(name=st.one_of(hostile_path, sql_values), entry=entry_texts)
def test_hostile_rows_are_refused_or_are_valid_entries(
    tmp_path_factory: pytest.TempPathFactory, name: Any, entry: Any
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    saved(folder)
    conn = sqlite3.connect(folder / MANIFEST)
    try:
        with conn:
            conn.execute("INSERT OR REPLACE INTO briefings VALUES (?, ?)", (name, entry))
    except (sqlite3.Error, UnicodeEncodeError, OverflowError):
        conn.close()
        return  # not even SQLite would store it
    conn.close()
    manifest = checked(folder)
    assert manifest is None or len(manifest.briefings) >= 3
    figures.record("security", "manifest_sqlite_rows")


TAMPER = [
    "CREATE TRIGGER t AFTER INSERT ON briefings BEGIN DELETE FROM briefings; END",
    "CREATE VIEW v AS SELECT * FROM briefings",
    "CREATE INDEX i ON briefings (entry)",
    "CREATE TABLE other (x)",
    "ALTER TABLE briefings ADD COLUMN extra TEXT",
    "DROP TABLE briefings",
    "ALTER TABLE briefings RENAME TO b2",
]


@FAST
@given(statement=st.sampled_from(TAMPER), version=st.one_of(st.just(2), st.integers(-(2**31), 2**31 - 1)))
def test_foreign_schemas_and_versions_are_refused_and_never_run(
    tmp_path_factory: pytest.TempPathFactory, statement: str, version: int
) -> None:
    folder = tmp_path_factory.mktemp("schema")
    saved(folder)
    with sqlite3.connect(folder / MANIFEST) as conn:
        conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    before = (folder / MANIFEST).read_bytes()
    assert checked(folder) is None
    with pytest.raises(InputError):
        save_manifest(folder, Manifest.model_validate({"briefings": {"new": good_entry("new")}}))
    assert (folder / MANIFEST).read_bytes() == before  # refused before any write: the trigger never ran
    figures.record("security", "manifest_sqlite_schemas")


@settings(FAST, max_examples=examples(400))
@given(data=st.data())
def test_flipped_or_cut_bytes_never_crash_and_never_silently_drop_briefings(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("flip")
    original = saved(folder, n=40)
    raw = bytearray((folder / MANIFEST).read_bytes())
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            at = data.draw(st.integers(0, len(raw) - 1), label="offset")
            raw[at] ^= data.draw(st.integers(1, 255), label="mask")
    (folder / MANIFEST).write_bytes(bytes(raw))
    manifest = checked(folder)
    if manifest is not None:
        assert len(manifest.briefings) == len(original.briefings)
    figures.record("security", "manifest_corruptions")


@FAST
@given(blob=st.binary(max_size=2048))
def test_garbage_in_place_of_the_database_is_refused(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    folder = tmp_path_factory.mktemp("garbage")
    (folder / MANIFEST).write_bytes(b"SQLite format 3\x00" + blob if blob[:1] == b"\x00" else blob)
    assert checked(folder) is None  # never an empty manifest: the tool never leaves an empty database
    figures.record("security", "manifest_garbage")


# --------------------------------------------------------------------------- links where the manifest goes


@pytest.mark.parametrize("planted", [MANIFEST, f"{MANIFEST}-wal", f"{MANIFEST}-journal", f"{MANIFEST}-shm"])
def test_a_link_planted_as_the_manifest_or_its_journal_is_refused_and_its_target_untouched(
    tmp_path: Path, planted: str
) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    saved(out)
    (out / planted).unlink(missing_ok=True)
    (out / planted).symlink_to(victim)
    with pytest.raises(InputError, match="is a link"):
        load_manifest(out)
    with pytest.raises(InputError, match="is a link"):
        save_manifest(out, Manifest.model_validate({"briefings": {"n": good_entry("n")}}))
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_a_manifest_json_that_is_a_device_fifo_or_folder_is_refused_at_once(tmp_path: Path) -> None:
    for kind in ("device", "fifo", "folder"):
        folder = tmp_path / kind
        folder.mkdir()
        if kind == "device":
            (folder / LEGACY_MANIFEST).symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(folder / LEGACY_MANIFEST)
        else:
            (folder / LEGACY_MANIFEST).mkdir()
        with pytest.raises(InputError, match=r"is (a link|not a regular file)"):
            load_manifest(folder)
