"""Item 8 of issue 24: nothing outside the briefings folder is written through it, even mid-run.

Two holes. A hard link (``ln outside/m.sqlite out/manifest.sqlite``) was written in place,
changing the file outside; now every file the tool writes in place or opens for writing in
the folder — the manifest and its ``-wal``, ``-shm`` and ``-journal``, the lock file — must
be a regular file with one link, as symbolic links already had to be, and everything else is
replaced by a rename (`summariser.atomic.write_atomic`), which never writes a linked file.
And the lock was held on the folder while writes went by path: renamed mid-run (``mv out
out.moved; mkdir out``), the run kept writing into the new, unlocked folder, where a second
run could be writing. The locked folder is now guarded (`summariser.regenerate.lock`): every
write and removal first checks that the path still leads to the locked directory, and the run
stops with one line (`FolderMoved`) when it does not.

Generated attacks, through real ``regenerate`` runs on the echo model: a hard link to an
outside file (random bytes, or a real manifest) planted as each file the tool writes, on a
fresh or an already built folder — refused with one line and the outside file unchanged
(in-place files), or replaced and the outside file unchanged (the rest); and the folder
renamed at a generated kill point (`summariser.testpoints`: inside an atomic write, after a
briefing, inside a manifest save) of a run, with or without a second run then building the
new folder — the first run stops with one line, the new folder holds exactly what the second
run wrote, and the moved folder is consistent (its manifest loads and lists only briefings
whose files are there).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST
from helpers.manifests import saved
from helpers.regenerate import echo_url
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser import testpoints
from summariser.errors import ConfigError, InputError
from summariser.regenerate import regenerate
from summariser.regenerate.lock import LOCK, FolderMoved
from summariser.regenerate.manifest import MANIFEST, load_manifest

TEXT = (
    "Dock workers in Valdmar held rally number {} on Monday. Union leader Marta Kessel spoke to a crowd of "
    "hundreds of people. The port authority said talks would resume on Friday morning."
)
#: Written in place (SQLite, the lock's pid): a hard link must be refused.
IN_PLACE = [MANIFEST, f"{MANIFEST}-wal", f"{MANIFEST}-shm", f"{MANIFEST}-journal", LOCK]
#: Replaced by a rename: a hard link is replaced, its other name untouched.
REPLACED = ["index.md", "index.html", "wire_0.json", "wire_0.md", "wire_0.html"]
#: Each of these runs ``regenerate`` (a second or two): a few generated cases per file or kill point.
SLOW = settings(FAST, max_examples=examples(5))


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


def articles(root: Path, n: int) -> Path:
    folder = root / "articles"
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"wire_{i}.txt").write_text(TEXT.format(i), encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes)."""
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


@pytest.mark.parametrize("target", IN_PLACE + REPLACED)
@SLOW
@given(
    built=st.booleans(),
    content=st.one_of(st.binary(min_size=0, max_size=4096), st.just(b"manifest")),
)
def test_a_hard_link_in_the_folder_never_changes_the_file_outside(
    tmp_path_factory: pytest.TempPathFactory, server: FakeOpenAI, target: str, built: bool, content: bytes
) -> None:
    root = tmp_path_factory.mktemp("hardlink")
    arts, out, outside = articles(root, 2), root / "out", root / "outside"
    outside.mkdir()
    if content == b"manifest":  # a real manifest, as in the audit
        saved(outside)
        secret = outside / MANIFEST
    else:
        secret = outside / "secret"
        secret.write_bytes(content)
    if built:
        regenerate(arts, out, model=echo_url(server))
        (arts / "wire_0.txt").write_text(TEXT.format("new"), encoding="utf-8")  # so the next run writes again
    out.mkdir(exist_ok=True)
    (out / target).unlink(missing_ok=True)
    os.link(secret, out / target)
    before, stamp = secret.read_bytes(), os.stat(secret).st_mtime_ns
    figures.record("security", "hard_links")
    try:
        regenerate(arts, out, model=echo_url(server))
        refused = None
    except (InputError, ConfigError) as err:
        refused = err.message
    assert secret.read_bytes() == before and os.stat(secret).st_mtime_ns == stamp, target
    if target in IN_PLACE:
        assert refused is not None and "\n" not in refused and "links" in refused and target in refused, refused
    else:
        assert refused is None and os.stat(out / target).st_nlink == 1


@pytest.mark.parametrize("point", ["atomic-write", "briefing-written", "manifest-save"])
@settings(SLOW, max_examples=examples(8))
@given(
    nth=st.integers(1, 6),
    n=st.integers(1, 3),
    second=st.booleans(),
)
def test_a_folder_renamed_mid_run_is_not_written_through(
    tmp_path_factory: pytest.TempPathFactory,
    server: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    nth: int,
    n: int,
    second: bool,
) -> None:
    nth = min(nth, {"atomic-write": 3 * n + 2, "briefing-written": n, "manifest-save": min(n, 2)}[point])
    root = tmp_path_factory.mktemp("renamed")
    arts, out, moved = articles(root, n), root / "out", root / "out.moved"
    seen: dict[str, int] = {}
    state: dict[str, dict[str, bytes]] = {}
    real = testpoints.reached

    def rename_at(name: str) -> None:
        seen[name] = seen.get(name, 0) + 1
        if name == point and seen[name] == nth and "after" not in state:
            os.rename(out, moved)
            out.mkdir()
            if second:  # a second writer takes the new folder: its own thread, its own run
                other = f"{echo_url(server)}-second"  # its briefings name another model: told apart from the first's
                runner = threading.Thread(target=regenerate, args=(arts, out), kwargs={"model": other})
                runner.start()
                runner.join()
            state["after"] = snapshot(out)
        real(name)

    monkeypatch.setattr(testpoints, "reached", rename_at)
    figures.record("security", "folder_renames")
    with pytest.raises(FolderMoved) as stopped:
        regenerate(arts, out, model=echo_url(server))
    assert "\n" not in stopped.value.message and str(out) in stopped.value.message
    assert snapshot(out) == state["after"]  # the first run wrote nothing into the new folder
    if second:
        assert set(load_manifest(out).briefings) == {f"wire_{i}" for i in range(n)}
    manifest = load_manifest(moved)  # the moved folder: whole, and resumable
    for entry in manifest.briefings.values():
        assert all((moved / f).is_file() for f in entry.files), entry.files
