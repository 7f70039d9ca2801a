"""Item 1 of issue 24: every file the tool reads is read bounded, from regular files only.

A gold folder whose ``a.json`` is a link to ``/dev/zero`` drove `gold check` to 23 GB; `review`
on such a file ended in "internal error: MemoryError"; a FIFO named ``f.json`` hung `review`
forever. Every reader now goes through `summariser.files` (``O_NONBLOCK``, ``fstat`` of the
open descriptor, a byte cap per kind of file, ``within=`` for the files of a scanned folder).

Generated attacks (hypothesis): every reader of the tool — gold files, predictions, `gold
check`, `gold init`, ``sources.yaml``, the review input, baselines, datasets, cassettes,
articles, grouping files — is handed a FIFO, a link to ``/dev/zero`` named like its input, a
chain of links that leaves the folder at a generated hop, a unix socket, and a file over its
cap by a generated margin (the cap lowered for the test); and, where the machine allows it, a
device node inside the folder. Each must refuse in one line naming the file; a link given
directly (not found by a scan) is followed and read when it is a valid regular file. The batch
state, which the tool may lose, counts such a file as empty. A reader that waits on the FIFO
is unblocked by a watchdog and fails the test; one that reads ``/dev/zero`` runs into a memory
cap set for the call and fails with MemoryError instead of taking the machine down.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import resource
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import figures
from helpers.briefings import dump, gold_briefing
from helpers.generated import FAST
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.errors import ConfigError, InputError, SummariserError
from summariser.evaluation import baseline, dataset
from summariser.evaluation.baseline import load_baseline
from summariser.evaluation.dataset import read_dataset
from summariser.evaluation.gold import sets as goldset
from summariser.evaluation.gold.check import check_gold
from summariser.evaluation.gold.sets import GoldItem, load_gold, load_predictions, read_sources_map
from summariser.evaluation.gold.start import init_gold
from summariser.evaluation.models import Baseline
from summariser.ingest.limits import MAX_INPUT_ENV
from summariser.ingest.read import load_source
from summariser.llm.openai_batch import state
from summariser.llm.openai_batch.state import BatchState
from summariser.llm.transport import cassette
from summariser.llm.transport.cassette import CassetteTransport
from summariser.output import render
from summariser.output.render import read_briefing
from summariser.regenerate import groups
from summariser.regenerate.groups import read_groups

#: How long a reader may take before it counts as waiting on the FIFO.
WAIT = 10.0
KINDS = ("fifo", "dev-zero", "link-out", "over-limit", "socket")
TEXT = "Dock workers in Valdmar held a rally on Monday. The port authority said talks would resume on Friday.\n"


def _checked(path: Path) -> None:
    """`check_gold` on the folder: a problem of ``path`` is raised as the error it reports."""
    problems = [p.message for p in check_gold(path.parent)[0] if p.file == str(path)]
    if problems:
        raise InputError(problems[0])


def _initialised(path: Path) -> None:
    """`init_gold` from the folder: ``path`` skipped is raised as the error it reports."""
    report = init_gold(path.parent, path.parent.parent / "made")
    skipped = [why for name, why in report.skipped if name == str(path)]
    if skipped:
        raise InputError(skipped[0])
    assert report.written


def _cap(module: object, attribute: str) -> Callable[[pytest.MonkeyPatch, int], None]:
    return lambda patch, n: patch.setattr(module, attribute, n)


def _article_cap(patch: pytest.MonkeyPatch, n: int) -> None:
    patch.setenv(MAX_INPUT_ENV, repr(n / 2**20))


@dataclass(frozen=True)
class Reader:
    """One reader of the tool: the file it reads, a valid one, how to call it, its cap."""

    file: str
    valid: bytes
    call: Callable[[Path], object]
    scanned: bool  # the file is found by scanning its folder: a link out of the folder is refused
    cap: Callable[[pytest.MonkeyPatch, int], None]
    error: type[SummariserError] = InputError


GOLD = dump(gold_briefing()).encode()
BRIEFING_CAP = _cap(render, "MAX_BRIEFING_BYTES")
READERS = {
    "gold": Reader("a.json", GOLD, lambda p: load_gold(p.parent), True, BRIEFING_CAP),
    "predictions": Reader(
        "a.json", GOLD, lambda p: load_predictions(p.parent, [GoldItem("a", p, gold_briefing())]), True, BRIEFING_CAP
    ),
    "gold check": Reader("a.json", GOLD, _checked, True, BRIEFING_CAP),
    "gold init": Reader("a.json", GOLD, _initialised, True, BRIEFING_CAP),
    "sources.yaml": Reader(
        "sources.yaml", b"a: [x.txt]\n", lambda p: read_sources_map(p.parent, required=True), True,
        _cap(goldset, "MAX_SOURCES_BYTES"),
    ),
    "review input": Reader("a.json", GOLD, read_briefing, False, BRIEFING_CAP),
    "baseline": Reader(
        "base.json", Baseline(kind="gold", items=["a"], metrics={"lists.f1": 0.5}).model_dump_json().encode(),
        load_baseline, False, _cap(baseline, "MAX_BASELINE_BYTES"),
    ),
    "dataset": Reader(
        "data.jsonl", b'{"id": "a", "article": "Text.", "reference": "Ref."}\n', read_dataset, False,
        _cap(dataset, "MAX_DATASET_BYTES"),
    ),
    "cassette": Reader(
        "c.json", b'{"version": 1, "interactions": []}', lambda p: CassetteTransport(p, "id"), False,
        _cap(cassette, "MAX_CASSETTE_BYTES"), ConfigError,
    ),
    "article": Reader("a.txt", TEXT.encode(), load_source, False, _article_cap),
    "groups file": Reader("g.yaml", b"g: [a.txt]\n", read_groups, False, _cap(groups, "MAX_GROUPS_BYTES")),
}  # fmt: skip


@contextlib.contextmanager
def memory_cap(headroom: int = 2**30) -> Iterator[None]:
    """Cap this process's address space at its current size plus ``headroom`` for the block."""
    found = re.search(r"VmSize:\s+(\d+)", Path("/proc/self/status").read_text())
    assert found is not None
    size = int(found.group(1)) * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + headroom if hard == resource.RLIM_INFINITY else min(hard, size + headroom)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def attempt(call: Callable[[Path], object], path: Path) -> BaseException | None:
    """What ``call(path)`` raised (None: it returned), failing the test if it waits on a FIFO."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            call(path)
        except BaseException as err:  # MemoryError included: reported, not raised in the thread
            outcome.append(err)
        else:
            outcome.append(None)

    with memory_cap():  # held until the reader ends: one reading /dev/zero stops at the cap
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(WAIT)
        waited = thread.is_alive()
        if waited:
            with contextlib.suppress(OSError):  # a writer end lets the blocked open return
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            thread.join()
    if waited:
        pytest.fail(f"reading {path.name} did not end within {WAIT:g} s (it waited on the FIFO, or read without end)")
    return outcome[0]


def make(kind: str, reader: Reader, root: Path, hops: int, absolute: bool, margin: int) -> Path:
    """The hostile ``kind`` of ``reader``'s file in ``root/in`` (a valid file in ``root/out``)."""
    folder, outside = root / "in", root / "out"
    folder.mkdir()
    outside.mkdir()
    path = folder / reader.file
    (outside / reader.file).write_bytes(reader.valid)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-out":  # path → h1 → … → the valid file outside (relative or absolute last hop)
        chain = [path] + [folder / f"hop{i}" for i in range(hops)]
        for here, there in itertools.pairwise(chain):
            here.symlink_to(there.name)
        chain[-1].symlink_to(outside / reader.file if absolute else Path("..", "out", reader.file))
    elif kind == "over-limit":  # the valid file, padded past the cap with blank lines
        path.write_bytes(reader.valid + b"\n" * (64 + margin))
    else:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
    return path


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(READERS))
@settings(FAST, max_examples=examples(6))
@given(hops=st.integers(0, 3), absolute=st.booleans(), margin=st.integers(1, 5000))
def test_every_reader_refuses_hostile_files_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, name: str, kind: str, hops: int, absolute: bool, margin: int
) -> None:
    reader = READERS[name]
    root = tmp_path_factory.mktemp("r")
    with pytest.MonkeyPatch.context() as patch:
        reader.cap(patch, len(reader.valid) + 64)
        path = make(kind, reader, root, hops, absolute, margin)
        error = attempt(reader.call, path)
    if kind == "link-out" and not reader.scanned:  # named directly: followed, and read when it is valid
        assert error is None, f"{name}: {error!r}"
        figures.record("security", "bounded_reads")
        return
    assert isinstance(error, reader.error), f"{name} on {kind}: {error!r}"
    message = error.message
    expected = {
        "fifo": "FIFO",
        "dev-zero": "link out of" if reader.scanned else "character device",
        "link-out": "link out of",
        "over-limit": "over the",
        "socket": "not a regular file",
    }[kind]
    assert expected in message and path.name in message and "\n" not in message, message
    figures.record("security", "bounded_reads")


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_device_node_inside_the_folder_is_refused_unread(tmp_path: Path, name: str) -> None:
    reader = READERS[name]
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / reader.file
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's device, inside the folder
    except PermissionError:
        pytest.skip("this machine does not let the tests make device nodes")
    error = attempt(reader.call, path)
    assert isinstance(error, reader.error), f"{name}: {error!r}"
    assert "character device" in error.message and path.name in error.message, error.message
    figures.record("security", "bounded_reads")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "over-limit", "socket"])
def test_a_hostile_batch_state_file_counts_as_empty(tmp_path: Path, kind: str) -> None:
    valid = b'{"version": 1, "batches": {"digest": {"id": "batch_1", "requests": 2}}}'
    reader = Reader("batches.json", valid, BatchState, False, _cap(state, "MAX_STATE_BYTES"))
    loaded: list[BatchState] = []
    with pytest.MonkeyPatch.context() as patch:
        reader.cap(patch, len(valid) + 64)
        path = make(kind, reader, tmp_path, 0, False, 100)
        error = attempt(lambda p: loaded.append(BatchState(p)), path)
        assert BatchState(tmp_path / "out" / reader.file).data == {"digest": {"id": "batch_1", "requests": 2}}
    assert error is None and loaded[0].data == {}, error  # as a garbled file: the worst is a second batch
    figures.record("security", "bounded_reads")
