"""Hardening, concurrency and crashes.

* Two ``summariser regenerate`` processes on the same folder: one holds the folder's lock,
  the other refuses with one clear line (exit 2) or runs after it; neither corrupts a
  briefing or the manifest.
* ``regenerate`` SIGKILLed at every named kill point (`summariser.testpoints`:
  ``SUMMARISER_TEST_KILL_AT=<point>:<n>`` kills the process the n-th time it reaches the point)
  — inside an atomic write between the temporary file and the rename, after a briefing's
  files are written and before its manifest entry is saved, inside the manifest save, and
  inside a response-cache value file (diskcache's writer, patched by the launcher to reach
  ``cache-write`` after its first piece): every briefing on disk is whole and valid after
  every kill, no briefing that was saved is ever lost, and the next run completes every
  article, reading the cache without error and leaving no temporary file behind.
* A process killed in the middle of diskcache writes leaves a cache that a new process
  reads completely; damaged entries (a value file cut short, mid UTF-8 character, garbage
  or missing) are misses, never errors.

The SIGKILL test kills at named points, not after delays: every run of its schedule is
killed where it says, however busy the machine (each run is ``--force``d, so it reaches
every point as often as the schedule needs). The two-runs test asserts what must hold
whichever process wins.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI

from summariser import testpoints
from summariser.llm.transport.cache import ResponseCache
from summariser.regenerate.lock import LOCK
from summariser.regenerate.manifest import MANIFEST, load_manifest
from summariser.schemas import Briefing

pytestmark = pytest.mark.subprocess(reason="processes killed at named points, and two processes racing for one folder")

#: Runs the CLI with diskcache's value-file writer cut into pieces, reaching the kill point
#: ``cache-write`` after the first piece of every value file (so a kill there leaves a value
#: file begun and never committed), and every value in a file of its own.
LAUNCHER = """
import sys
import diskcache.core as dc
import summariser.llm.transport.cache as cache
from summariser import testpoints

real_write = dc.Disk._write

def killable_write(self, full_path, iterator, mode, encoding=None):
    def chunks():
        first = True
        for chunk in iterator:
            for i in range(0, len(chunk), 200):
                yield chunk[i : i + 200]
                if first:
                    first = False
                    testpoints.reached("cache-write")
    return real_write(self, full_path, chunks(), mode, encoding)

dc.Disk._write = killable_write
real_init = cache.ResponseCache.__init__

def init(self, directory, secrets=()):
    real_init(self, directory, secrets)
    self._cache.reset("disk_min_file_size", 0)  # every value in a file of its own

cache.ResponseCache.__init__ = init
from summariser.cli import main

sys.argv = ["summariser", *sys.argv[1:]]
main()
"""


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer, delay=0.05) as fake:
        yield fake


def make_articles(folder: Path, n: int) -> list[str]:
    """``n`` small distinct articles (plus two fixtures); their briefing names."""
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "articles" / "harbour_fees.md", folder / "harbour_fees.md")
    (folder / "desk").mkdir()
    shutil.copy(FIXTURES / "articles" / "port_strike.txt", folder / "desk" / "port_strike.txt")
    names = ["harbour_fees", "desk/port_strike"]
    for i in range(n):
        (folder / f"wire_{i}.txt").write_text(
            f"Dock workers in Valdmar held rally number {i} on Monday. Union leader Marta Kessel spoke to a "
            f"crowd of {200 + i} people. The port authority said talks would resume on Friday morning.",
            encoding="utf-8",
        )
        names.append(f"wire_{i}")
    return sorted(names)


def command(server: FakeOpenAI, articles: Path, out: Path, *extra: str, launcher: Path | None = None) -> list[str]:
    head = [sys.executable, str(launcher)] if launcher else [sys.executable, "-m", "summariser"]
    return [*head, "regenerate", str(articles), str(out), "--model", f"{server.base_url}#echo", *extra]


def intact(out: Path) -> set[str]:
    """Names of the briefings whose JSON is on disk; every one must parse and validate."""
    names = set()
    for path in out.rglob("*.json"):
        if path.name == MANIFEST or path.name.startswith("."):
            continue
        Briefing.model_validate_json(path.read_bytes())  # a half-written file fails here
        names.add(path.relative_to(out).with_suffix("").as_posix())
    return names


def check_manifest(out: Path) -> set[str]:
    """The manifest loads, and every briefing it lists has all its files, whole."""
    manifest = load_manifest(out)
    for name, entry in manifest.briefings.items():
        for file in entry.files:
            assert (out / file).stat().st_size > 0, f"{name}: {file} missing or empty"
        Briefing.model_validate_json((out / f"{name}.json").read_bytes())
    return set(manifest.briefings)


def read_whole_cache(directory: Path) -> tuple[int, int]:
    """Open the cache in a fresh process and read every key: (keys, readable entries)."""
    script = (
        "import json, sys; from pathlib import Path; from summariser.llm.transport.cache import ResponseCache\n"
        "c = ResponseCache(Path(sys.argv[1])); keys = list(c._cache.iterkeys())\n"
        "ok = sum(1 for k in keys if isinstance(c.get(k), dict))\n"
        "print(json.dumps([len(keys), ok]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(directory)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    keys, ok = json.loads(result.stdout)
    return int(keys), int(ok)


# --------------------------------------------------------------------------- two at once


def test_two_regenerate_runs_on_one_folder_serialise_or_refuse(server: FakeOpenAI, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    names = make_articles(articles, 2)
    server.delay = 0.15  # the run that gets the lock holds it for a few seconds
    procs = [
        subprocess.Popen(
            command(server, articles, out, "-j", "1", "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p, *p.communicate(timeout=90)) for p in procs]
    figures.record("crash", "concurrent_runs", len(procs))

    codes = sorted(p.returncode for p, _, _ in results)
    assert codes in ([0, 0], [0, 2]), [err for _, _, err in results]
    built = 0
    for proc, stdout, stderr in results:
        if proc.returncode == 2:  # refused: one clear line, nothing else, nothing built
            lines = stderr.strip().splitlines()
            assert len(lines) == 1, stderr
            assert lines[0].startswith("error: another summariser regenerate (pid ")
            assert str(out) in lines[0] and "wait for it to finish" in lines[0]
            assert "Traceback" not in stderr and stdout == ""
        else:
            built += json.loads(stdout)["built"]
    assert built == len(names)  # serialised or refused: each briefing built exactly once
    assert intact(out) == set(names) == check_manifest(out)
    assert not list(out.rglob(".*.tmp"))
    assert (out / LOCK).read_text() == ""  # released, no stale pid


# --------------------------------------------------------------------------- kill -9 mid-run


#: Every named kill point, each at a few arrivals. A ``--force``d run of the six articles
#: makes 20 atomic writes (three files a briefing, two index files), 6 ``briefing-written``
#: and at least 2 manifest saves (after the first briefing, and at the end); the cache-write
#: runs come first, while the response cache still misses most answers.
SCHEDULE = [
    ("cache-write", 1),
    ("cache-write", 3),
    ("atomic-write", 1),
    ("atomic-write", 5),
    ("atomic-write", 13),
    ("briefing-written", 1),
    ("briefing-written", 4),
    ("manifest-save", 1),
    ("manifest-save", 2),
]


def test_sigkill_at_any_point_loses_no_briefing_and_the_next_run_completes(server: FakeOpenAI, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    names = make_articles(articles, 4)
    cache_dir = Path(os.environ["SUMMARISER_CACHE_DIR"])
    launcher = tmp_path / "launcher.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")

    kills = lost = 0
    saved: set[str] = set()
    for point, n in SCHEDULE:
        env = {**os.environ, testpoints.ENV: f"{point}:{n}"}
        proc = subprocess.run(
            command(server, articles, out, "-j", "2", "--force", launcher=launcher),
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == -signal.SIGKILL, f"{point}:{n} was not reached: {proc.stderr[-2000:]}"
        kills += 1
        # Wherever the kill landed: every briefing on disk is whole, the manifest loads and
        # lists only complete briefings, and nothing saved before is gone.
        now = intact(out) if out.exists() else set()
        listed = check_manifest(out) if out.exists() else set()
        assert listed <= now
        lost += len(saved - now)
        saved = now
    figures.record("crash", "kills", kills)
    figures.record("crash", "kill_points", len({point for point, _ in SCHEDULE}))

    keys, readable = read_whole_cache(cache_dir)  # the cache the killed runs left opens and reads
    assert readable <= keys

    final = subprocess.run(command(server, articles, out, "--json"), capture_output=True, text=True, timeout=90)
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert report["failed"] == {}
    assert report["built"] + report["unchanged"] == len(names)
    if report["built"]:
        assert report["usage"]["cache_hits"] >= 1  # what the killed runs cached is read back
    done = intact(out)
    lost += len(saved - done) + len(set(names) - done)
    figures.record("crash", "briefings_lost", lost)
    assert lost == 0
    assert done == set(names) == check_manifest(out)
    assert not list(out.rglob(".*.tmp"))


# --------------------------------------------------------------------------- kill -9 mid diskcache write

WRITER = """
import sys, time
from pathlib import Path
from summariser.llm.transport.cache import ResponseCache

cache = ResponseCache(Path(sys.argv[1]))
cache._cache.reset("disk_min_file_size", 1024)  # the big values go to files
run = sys.argv[2]
for i in range(100000):
    size = 10 if i % 2 else 6000  # small ones in SQLite, big ones in value files
    body = {"run": run, "i": i, "text": "Valdmar – Kessel “quoted” ë " * size}
    cache.set(f"{run}-{i}", body)
    if i == 0:
        print("ready", flush=True)
"""


@pytest.mark.alone(reason="kills a writer 0-200 ms in: a neighbour shifts what it had committed (3 misses of 4 once)")
def test_a_cache_killed_mid_write_reads_back_and_damage_is_a_miss(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    writer = tmp_path / "writer.py"
    writer.write_text(WRITER, encoding="utf-8")
    kills = 0
    for run, delay in enumerate((0.0, 0.05, 0.2)):
        proc = subprocess.Popen(
            [sys.executable, str(writer), str(directory), str(run)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        kills += 1
        reader = ResponseCache(directory)  # opened afresh after each kill
        keys = list(reader._cache.iterkeys())
        assert len(keys) >= run + 1 and all(isinstance(reader.get(k), dict) for k in keys)  # committed = whole
        reader.close()
    figures.record("crash", "kills", kills)

    # Damage the value files as a crash of the OS (or a full disk) could, then read.
    cache = ResponseCache(directory)
    files = sorted(p for p in directory.rglob("*.val"))
    referenced = [k for k in cache._cache.iterkeys() if cache._cache.get(k, read=True) is not None]
    assert len(files) >= 4 and referenced
    raw = files[0].read_bytes()
    cut = raw.index("ë".encode()) + 1  # in the middle of a two-byte character
    files[0].write_bytes(raw[:cut])
    files[1].write_bytes(raw[: len(raw) // 2].replace(b'"', b""))  # cut short: not JSON
    files[2].write_bytes(b"\xff\xfe\x00garbage")
    files[3].unlink()
    keys = list(cache._cache.iterkeys())
    bodies = [cache.get(k) for k in keys]  # no exception for any of them
    misses = sum(1 for b in bodies if b is None)
    assert misses >= 4 and all(b is None or b["text"].startswith("Valdmar") for b in bodies)
    cache.set("after", {"ok": True})  # and the cache still takes writes
    assert cache.get("after") == {"ok": True}
    cache.close()
    again, readable = read_whole_cache(directory)  # in a new process
    # The damaged entries were dropped, the rest reads (a key whose value file is gone stays a
    # miss until it is written again: diskcache cannot tell it from an absent key).
    assert again - 1 <= readable <= again
