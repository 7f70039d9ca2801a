"""The manifest's SQLite storage at scale: incremental saves, migration from ``manifest.json``, kills, stat trust.

* Saves write only what changed (entries compared by identity) and a save with nothing to
  write touches nothing; generated sequences of edits (hypothesis) always load back as saved.
* An old ``manifest.json`` is read and moved into ``manifest.sqlite`` by the next run, which
  rebuilds nothing; a dry run leaves it as it is.
* A process SIGKILLed inside a manifest save (`summariser.testpoints`: ``manifest-save``) —
  mid-transaction, or between writing a new manifest and linking it into place, migration
  included — leaves a manifest that loads, lists only whole briefings and loses none the
  previous save held; the next run completes the folder.
* A re-run with nothing changed reads no article (stat trust, as make and git do), but an
  edit that keeps the size and puts the mtime back is still seen (ctime, inode), and so is a
  change made too soon after the hash for the timestamps to tell (racy files are re-hashed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from helpers import figures
from helpers.cli import run, spawn
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST as GENERATED
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.config import Settings
from summariser.regenerate import manifest as manifest_module
from summariser.regenerate.jobs import single_jobs
from summariser.regenerate.manifest import (
    LEGACY_MANIFEST,
    MANIFEST,
    RACY_NS,
    Entry,
    Manifest,
    load_manifest,
    path_problem,
    save_manifest,
)
from summariser.regenerate.plan import plan
from summariser.schemas import Briefing
from summariser.testpoints import ENV as KILL_AT

FAST = settings(GENERATED, max_examples=examples(60))
TEXT = "Dock workers in Valdmar held rally number {i} on Monday. Union leader Marta Kessel spoke to a crowd of {n}."


def articles_in(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"wire_{i}.txt").write_text(TEXT.format(i=i, n=200 + i) + " Talks resume on Friday.", "utf-8")
    return [f"wire_{i}" for i in range(n)]


def command(server: FakeOpenAI, articles: Path, out: Path, *extra: str) -> list[str]:
    """The arguments of a ``regenerate --json`` of ``articles`` into ``out`` against the echo model."""
    return ["regenerate", str(articles), str(out), "--model", f"{server.base_url}#echo", "--json", *extra]


def cli(server: FakeOpenAI, articles: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(*command(server, articles, out, *extra))


def killed_at(
    point: str, server: FakeOpenAI, articles: Path, out: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """A real process, SIGKILLed by itself at ``point`` (`summariser.testpoints`)."""
    return spawn(*command(server, articles, out, *extra), env={KILL_AT: point})


#: The tests that kill a run: only a real process can be.
KILLED = pytest.mark.subprocess(reason="the run SIGKILLs itself at a named point (summariser.testpoints)")


def whole(out: Path) -> set[str]:
    """Briefings whose three files are on disk, each JSON valid."""
    names = {p.relative_to(out).with_suffix("").as_posix() for p in out.rglob("*.json") if not p.name.startswith(".")}
    for name in names:
        Briefing.model_validate_json((out / f"{name}.json").read_bytes())
        assert (out / f"{name}.md").stat().st_size and (out / f"{name}.html").stat().st_size
    return names


# --------------------------------------------------------------------------- incremental saves


def plain(name: str) -> bool:
    return path_problem(name) is None


names = st.text(st.sampled_from("abcdé/_-.x"), min_size=1, max_size=12).filter(plain)
edits = st.lists(st.tuples(st.sampled_from(["put", "drop", "save"]), names, st.text(max_size=20)), max_size=25)


def entry(name: str, headline: str = "") -> Entry:
    digest = hashlib.sha256(name.encode()).hexdigest()
    return Entry(inputs={f"{name}.txt": digest}, prompts={"overview": "3"}, schema_version="1", model="m",
                 files=[f"{name}.json"], headline=headline, stats={f"{name}.txt": (1, 2, 3, 4, 5)})  # fmt: skip


@FAST
@given(steps=edits)
def test_every_sequence_of_edits_and_saves_loads_back_as_saved(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("edits")
    manifest = load_manifest(folder)
    for op, name, headline in [*steps, ("save", "", "")]:
        if op == "put":
            manifest.briefings[name] = entry(name, headline)
        elif op == "drop":
            manifest.briefings.pop(name, None)
        else:
            save_manifest(folder, manifest)
            assert load_manifest(folder).briefings == manifest.briefings
            manifest = load_manifest(folder) if headline else manifest  # a fresh load, or keep going
    figures.record("security", "manifest_edit_sequences")


def test_a_save_with_nothing_changed_touches_nothing(tmp_path: Path) -> None:
    manifest = Manifest(briefings={"a": entry("a")})
    save_manifest(tmp_path, manifest)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    save_manifest(tmp_path, manifest)
    save_manifest(tmp_path, load_manifest(tmp_path))
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()} == before
    assert sorted(before) == [MANIFEST]  # no journal, no temporary file left


def test_a_deleted_manifest_is_written_whole_again(tmp_path: Path) -> None:
    manifest = Manifest(briefings={"a": entry("a"), "b": entry("b")})
    save_manifest(tmp_path, manifest)
    (tmp_path / MANIFEST).unlink()
    manifest.briefings["c"] = entry("c")
    save_manifest(tmp_path, manifest)
    assert set(load_manifest(tmp_path).briefings) == {"a", "b", "c"}


# --------------------------------------------------------------------------- migration from manifest.json


def old_style(out: Path) -> dict[str, Any]:
    """Turn ``out``'s manifest into the JSON file summariser 0.x wrote (version 1, no stats)."""
    entries = {n: e.model_dump(mode="json", exclude={"stats"}) for n, e in load_manifest(out).briefings.items()}
    data = {"version": 1, "briefings": dict(sorted(entries.items()))}
    (out / LEGACY_MANIFEST).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / MANIFEST).unlink()
    return data


def test_an_old_json_manifest_is_migrated_and_nothing_is_rebuilt(tmp_path: Path) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    names = articles_in(articles, 3)
    with FakeOpenAI(responder=echo_answer) as server:
        assert cli(server, articles, out).returncode == 0
        data = old_style(out)
        dry = cli(server, articles, out, "--dry-run")
        assert dry.returncode == 0 and (out / LEGACY_MANIFEST).exists() and not (out / MANIFEST).exists()
        sent = len(server.requests)
        result = cli(server, articles, out)
        assert len(server.requests) == sent
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["built"] == 0 and json.loads(result.stdout)["unchanged"] == 3
    assert not (out / LEGACY_MANIFEST).exists()
    migrated = load_manifest(out).briefings
    assert sorted(migrated) == names
    assert {n: e.model_dump(mode="json", exclude={"stats"}) for n, e in migrated.items()} == data["briefings"]
    assert all(set(e.stats) == set(e.inputs) for e in migrated.values())  # stats recorded on the way


# --------------------------------------------------------------------------- kills inside a save


@KILLED
@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_kill_inside_a_manifest_save_loses_nothing_and_the_next_run_completes(tmp_path: Path, nth: int) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    names = articles_in(articles, 5)
    with FakeOpenAI(responder=echo_answer, delay=0.2) as server:
        first = killed_at(f"manifest-save:{nth}", server, articles, out, "-j", "1")
        assert first.returncode == -9, first.stderr  # killed at the point, every time
        listed = set(load_manifest(out).briefings) if (out / MANIFEST).exists() else set()
        assert listed <= whole(out) and len(listed) < 5
        assert not (out / f"{MANIFEST}-journal").exists()
        server.delay = 0.0
        rest = cli(server, articles, out)
    assert rest.returncode == 0, rest.stderr
    report = json.loads(rest.stdout)
    assert report["unchanged"] >= len(listed) and report["built"] + report["unchanged"] == 5
    assert set(load_manifest(out).briefings) == set(names) == whole(out)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    figures.record("security", "manifest_save_kills")


@KILLED
def test_a_kill_while_migrating_keeps_the_json_manifest_and_the_next_run_migrates(tmp_path: Path) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    names = articles_in(articles, 3)
    with FakeOpenAI(responder=echo_answer) as server:
        assert cli(server, articles, out).returncode == 0
        data = old_style(out)
        killed = killed_at("manifest-save:1", server, articles, out)
        assert killed.returncode == -9
        assert json.loads((out / LEGACY_MANIFEST).read_text(encoding="utf-8")) == data  # untouched
        assert sorted(load_manifest(out).briefings) == names and not (out / MANIFEST).exists()
        again = cli(server, articles, out)
    assert again.returncode == 0 and json.loads(again.stdout)["built"] == 0
    assert sorted(load_manifest(out).briefings) == names and not (out / LEGACY_MANIFEST).exists()
    figures.record("security", "manifest_save_kills")


# --------------------------------------------------------------------------- stat trust


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, Settings]:
    articles, out = tmp_path / "arts", tmp_path / "out"
    articles_in(articles, 4)
    time.sleep(2 * RACY_NS / 1e9)  # articles older than the racy window, as real ones are: their stats are trusted
    with FakeOpenAI(responder=echo_answer) as server:
        assert cli(server, articles, out).returncode == 0
        return articles, out, Settings(model=f"{server.base_url}#echo")


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = hashlib.sha256

    def sha256(*args: bytes) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(manifest_module, "hashlib", SimpleNamespace(sha256=sha256))
    return calls


def test_a_rerun_with_nothing_changed_reads_no_article(
    built: tuple[Path, Path, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, out, settings = built
    calls = counting(monkeypatch)
    manifest = load_manifest(out)
    assert all(p.reason is None for p in plan(single_jobs(articles), articles, out, manifest, settings))
    assert calls == []  # before: every input hashed on every run


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(built: tuple[Path, Path, Settings]) -> None:
    articles, out, settings = built
    target = articles / "wire_2.txt"
    info = os.stat(target)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Monday", "Sunday"), encoding="utf-8")  # same size
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the old mtime back
    reasons = {p.job.name: p.reason for p in plan(single_jobs(articles), articles, out, load_manifest(out), settings)}
    assert reasons == {"wire_0": None, "wire_1": None, "wire_2": "inputs changed: wire_2.txt", "wire_3": None}


def test_a_racy_record_is_hashed_again(built: tuple[Path, Path, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    articles, out, settings = built
    manifest = load_manifest(out)
    old = manifest.briefings["wire_1"]
    size, mtime, ctime, ino, _ = old.stats["wire_1.txt"]
    racy = (size, mtime, ctime, ino, max(mtime, ctime) + 1_000_000)  # hashed 1 ms after the last change
    manifest.briefings["wire_1"] = old.model_copy(update={"stats": {"wire_1.txt": racy}})
    calls = counting(monkeypatch)
    assert all(p.reason is None for p in plan(single_jobs(articles), articles, out, manifest, settings))
    assert len(calls) == 1 and manifest.briefings["wire_1"].stats["wire_1.txt"][4] > racy[4]


def test_a_copied_folder_is_hashed_once_and_its_new_stats_kept(
    built: tuple[Path, Path, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, out, settings = built
    copy = articles.with_name("copy")
    shutil.copytree(articles, copy)  # new inodes and times, same bytes
    time.sleep(2 * RACY_NS / 1e9)  # files changed just before their hash would be hashed again
    manifest = load_manifest(out)
    calls = counting(monkeypatch)
    assert all(p.reason is None for p in plan(single_jobs(copy), copy, out, manifest, settings))
    assert len(calls) == 4
    save_manifest(out, manifest)
    calls.clear()
    assert all(p.reason is None for p in plan(single_jobs(copy), copy, out, load_manifest(out), settings))
    assert calls == []
