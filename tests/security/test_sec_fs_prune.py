"""Item 2 of issue 14 and the temporary-file sweep: nothing outside the briefings folder is deleted.

A briefings folder someone sends you may hold any manifest. ``--prune`` deletes only files
inside the folder (`summariser.regenerate.paths.inside`): an entry listing ``../victim``, an
absolute path, a path through a link inside the folder to a folder elsewhere, refuses the
prune before anything is deleted; a link is removed, never its target. Manifests are
generated (hypothesis) from hostile paths against a folder with a victim next to it and a
link out inside it, and every victim must survive. The sweep of a killed run's temporary
files removes only `summariser.atomic`'s own (``.NAME.summariser-XXXXXXXX.tmp``), never a
user's ``.notes.tmp``, never through a link.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import figures
from helpers.cli import assert_clean_failure
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST as GENERATED
from helpers.regenerate import regenerate as run_cli
from hypothesis import given
from hypothesis import strategies as st

from summariser.atomic import is_temp, write_atomic
from summariser.errors import InputError
from summariser.regenerate.lock import sweep_temp_files
from summariser.regenerate.manifest import Entry, Manifest
from summariser.regenerate.paths import inside
from summariser.regenerate.plan import prune

FAST = GENERATED
TEXT = (
    "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd at the gates. "
    "The port authority said talks would resume on Friday morning."
)


def entry(*files: str) -> Entry:
    """An entry as a hostile manifest would have it: built unvalidated, so that the check at the point
    of deletion is what is tested (the manifest's own validation on load is a second line)."""
    return Entry.model_construct(inputs={}, prompts={}, schema_version="1", model="m", files=list(files))


def manifest_of(**entries: Entry) -> Manifest:
    manifest = Manifest()
    manifest.briefings.update(entries)
    return manifest


def layout(root: Path) -> tuple[Path, list[Path]]:
    """``root/out`` (with a link ``out/link`` to ``root/victim``) and the victim files that must survive."""
    out, victim = root / "out", root / "victim"
    victim.mkdir(parents=True, exist_ok=True)
    out.mkdir(exist_ok=True)
    files = [victim / "important.txt", victim / "b.json", root / "top.json"]
    for f in files:
        f.write_text("keep me", encoding="utf-8")
    if not (out / "link").is_symlink():
        (out / "link").symlink_to(victim, target_is_directory=True)
        (out / "filelink.json").symlink_to(victim / "b.json")
    return out, files


hostile_path = st.lists(
    st.sampled_from(["..", ".", "", "victim", "important.txt", "b.json", "link", "top.json", "out", "x"]),
    min_size=1,
    max_size=5,
).map("/".join) | st.sampled_from(["/tmp", "//tmp", "/"])


@FAST
@given(paths=st.lists(hostile_path, min_size=1, max_size=4), absolute=st.booleans())
def test_prune_of_a_generated_hostile_manifest_deletes_nothing_outside(
    tmp_path_factory: pytest.TempPathFactory, paths: list[str], absolute: bool
) -> None:
    root = tmp_path_factory.mktemp("prune")
    out, victims = layout(root)
    if absolute:
        paths = [*paths, str(victims[0])]
    (out / "gone.json").write_text("{}", encoding="utf-8")
    manifest = manifest_of(gone=entry("gone.json", *paths), keep=entry("keep.json"))
    figures.record("security", "prune_paths", len(paths))
    try:
        prune(out, manifest, ["gone"])
    except InputError as err:
        assert "not inside the briefings folder" in err.message and "nothing was deleted" in err.message
        assert (out / "gone.json").exists()  # refused before anything was deleted
    for victim in victims:
        assert victim.read_text(encoding="utf-8") == "keep me", victim
    assert (out / "link").is_symlink() or "link" in paths


@FAST
@given(relative=st.text(st.sampled_from("./ab\\:~\x00"), max_size=12) | hostile_path)
def test_inside_returns_only_paths_whose_folder_is_inside(
    tmp_path_factory: pytest.TempPathFactory, relative: str
) -> None:
    figures.record("security", "prune_paths")
    out, _ = layout(tmp_path_factory.mktemp("inside"))
    try:
        path = inside(out, relative)
    except InputError:
        return
    real = os.path.realpath(path.parent)
    assert real == os.path.realpath(out) or real.startswith(os.path.realpath(out) + os.sep)


def test_cli_prune_refuses_a_manifest_entry_out_of_the_folder_and_deletes_nothing(tmp_path: Path) -> None:
    articles = tmp_path / "arts"
    articles.mkdir()
    (articles / "a.txt").write_text(TEXT, encoding="utf-8")
    out, victims = layout(tmp_path)
    bad = {"../victim/important.txt": "relative", str(victims[2]): "absolute", "link/b.json": "through a link"}
    for path in bad:
        manifest = {"version": 1, "briefings": {"gone": entry("gone.json", path).model_dump(warnings=False)}}
        (out / "gone.json").write_text("{}", encoding="utf-8")
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        with FakeOpenAI(responder=echo_answer) as server:
            result = run_cli(server, articles, out, "--prune")
        # Refused here, or already when the manifest is loaded (its entries are validated there).
        assert_clean_failure(result, "manifest" if bad[path] != "through a link" else "not inside the briefings folder")
        assert all(v.read_text(encoding="utf-8") == "keep me" for v in victims) and (out / "gone.json").exists()
    figures.record("security", "prune_paths", len(bad))


def test_prune_removes_a_link_not_its_target(tmp_path: Path) -> None:
    out, victims = layout(tmp_path)
    manifest = manifest_of(gone=entry("filelink.json", "manifest.json", "index.html"))
    (out / "index.html").write_text("index", encoding="utf-8")
    prune(out, manifest, ["gone"])
    assert not (out / "filelink.json").is_symlink() and victims[1].read_text(encoding="utf-8") == "keep me"
    assert (out / "index.html").exists()  # the folder's own files are never pruned


# --------------------------------------------------------------------------- the temporary-file sweep


@FAST
@given(
    name=st.text(min_size=1, max_size=30).filter(lambda n: "/" not in n and "\x00" not in n and n not in (".", ".."))
)
def test_only_write_atomic_temporary_files_are_swept(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    figures.record("security", "sweep_names")
    out = tmp_path_factory.mktemp("sweep")
    user = out / name
    try:
        user.write_text("mine", encoding="utf-8")
    except (OSError, UnicodeError, ValueError):  # a name the file system refuses
        return
    ours = out / f".{name[:50]}.summariser-abcdefgh.tmp"
    ours.write_text("left by a killed run", encoding="utf-8")
    removed = sweep_temp_files(out)
    assert not ours.exists() and removed == 1 + is_temp(name)
    assert user.exists() or is_temp(name)


def test_the_sweep_keeps_user_tmp_files_and_does_not_follow_links(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "elsewhere"
    (out / "desk").mkdir(parents=True)
    outside.mkdir()
    mine = [out / ".notes.tmp", out / "desk" / ".draft.json.x1y2z3q4.tmp", out / ".a.summariser-.tmp"]
    for f in mine:
        f.write_text("mine", encoding="utf-8")
    theirs = outside / ".b.json.summariser-abcdefgh.tmp"
    theirs.write_text("not in the folder", encoding="utf-8")
    (out / "elsewhere").symlink_to(outside, target_is_directory=True)
    (out / ".c.json.summariser-zzzzzzzz.tmp").symlink_to(theirs)
    write_atomic(out / "desk" / "b.json", "{}")  # a real one, finished: nothing left
    killed = out / "desk" / ".b.json.summariser-k1ll3d00.tmp"
    killed.write_text("half", encoding="utf-8")
    assert sweep_temp_files(out) == 1
    assert not killed.exists() and all(f.exists() for f in mine) and theirs.exists()
    assert (out / ".c.json.summariser-zzzzzzzz.tmp").is_symlink()  # a link is not ours: left alone
    figures.record("security", "sweep_names", len(mine) + 3)


def test_write_atomic_takes_the_longest_file_names(tmp_path: Path) -> None:
    name = "é" * 125 + ".json"  # 255 bytes: the temporary file's name is shortened to fit, and still ours
    write_atomic(tmp_path / name, "{}")
    assert [p.name for p in tmp_path.iterdir()] == [name] and (tmp_path / name).read_text(encoding="utf-8") == "{}"
    figures.record("security", "sweep_names")
