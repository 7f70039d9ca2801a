"""Item 2 of issue 24: an article that stops being a regular file after the scan is refused, never waited on.

An article replaced by a FIFO after the folder scan hung `regenerate` past ``--deadline``:
the scan saw a regular file, and the read that came later opened the path, which blocks on a
FIFO until a writer comes. Articles are now opened by `summariser.files.open_regular`
(``O_NONBLOCK``, ``fstat`` of the open descriptor), the one path of `ingest.read`, which both
`brief` and `regenerate` use.

Generated attacks (hypothesis): folders of one to three articles, of which a generated subset
is swapped — once the run is planned (the scan and the hashes done), before any briefing is
built — for a FIFO, a link to ``/dev/zero``, a link out of the folder to a secret, a folder, a
unix socket, a file grown past the input limit, or nothing. Every swapped article fails its
own briefing with one line that says why, the others are built, the secret is never sent, and
the run ends: a run that waits is unblocked by a watchdog (a writer opens the FIFO) and fails
the test. One that is not a regular file when the folder is scanned is skipped with a warning,
as a link out of the folder is: never opened.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.ingest.limits import MAX_INPUT_ENV
from summariser.regenerate import regenerate
from summariser.regenerate.jobs import discover
from summariser.regenerate.plan import RunPlan
from summariser.regenerate.report import RunReport

WAIT = 60.0
SECRET = "BEGIN OPENSSH PRIVATE KEY sekrit-77d1"
TEXT = (
    "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd at the gates. "
    "The port authority said talks would resume on Friday morning."
)
#: What the one-line reason of a briefing whose article was swapped for each thing says.
SWAPS = {
    "fifo": "FIFO",
    "dev-zero": "not a file inside the articles folder",
    "link-out": "not a file inside the articles folder",
    "folder": "is a directory",
    "socket": "not a regular file",
    "grown": "over the",
    "gone": "no such file",
}


def swap(path: Path, kind: str, outside: Path) -> None:
    """Replace the article ``path`` by ``kind``."""
    if kind == "grown":
        path.write_text(TEXT + " More." * 4000, encoding="utf-8")
        return
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-out":
        path.symlink_to(outside)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))


def run_guarded(arts: Path, out: Path, model: str, on_plan: object) -> RunReport:
    """`regenerate` in a thread; if it has not ended within `WAIT`, unblock every FIFO and fail."""
    result: list[RunReport | BaseException] = []

    def target() -> None:
        try:
            result.append(regenerate(arts, out, model=model, on_plan=on_plan))  # type: ignore[arg-type]
        except BaseException as err:
            result.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(WAIT)
    if thread.is_alive():
        for path in arts.iterdir():
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(WAIT)
        pytest.fail(f"regenerate waited on a swapped article for {WAIT:g} s")
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


@settings(FAST, max_examples=examples(30))
@given(data=st.data(), count=st.integers(1, 3))
def test_articles_swapped_after_the_scan_fail_their_briefing_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, count: int
) -> None:
    chosen = data.draw(st.sets(st.integers(0, count - 1), min_size=1), label="swapped")
    kinds = {f"a{i}": data.draw(st.sampled_from(sorted(SWAPS)), label=f"a{i}") for i in sorted(chosen)}
    root = tmp_path_factory.mktemp("s")
    arts, outside = root / "arts", root / "secret.txt"
    arts.mkdir()
    outside.write_text(f"{SECRET}. {TEXT}", encoding="utf-8")
    for i in range(count):
        (arts / f"a{i}.txt").write_text(f"{TEXT} Article {i}.", encoding="utf-8")

    def on_plan(plan: RunPlan) -> None:
        assert len(plan.todo) == count  # scanned and hashed as regular files
        for name, kind in kinds.items():
            swap(arts / f"{name}.txt", kind, outside)

    with pytest.MonkeyPatch.context() as patch, FakeOpenAI(responder=echo_answer) as server:
        patch.setenv(MAX_INPUT_ENV, "0.01")  # 10 KB: a grown article is over it
        report = run_guarded(arts, root / "out", f"{server.base_url}#echo", on_plan)
        sent = b"".join(r.raw for r in server.requests)
    failed = {o.name: o.detail for o in report.failed}
    assert set(failed) == set(kinds), (failed, kinds)
    for name, kind in kinds.items():
        assert SWAPS[kind] in failed[name] and "\n" not in failed[name], (kind, failed[name])
    assert {o.name for o in report.outcomes if o.ok} == {f"a{i}" for i in range(count)} - set(kinds)
    assert SECRET.encode() not in sent
    figures.record("security", "irregular_articles", len(kinds))


def test_a_fifo_socket_or_device_found_by_the_scan_is_skipped_with_a_warning(tmp_path: Path) -> None:
    arts = tmp_path / "arts"
    (arts / "desk").mkdir(parents=True)
    (arts / "real.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(arts / "pipe.txt")
    os.mkfifo(arts / "desk" / "pipe.md")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(arts / "sock.html"))
    (arts / "zero.txt").symlink_to("/dev/zero")
    (arts / "alias.txt").symlink_to("pipe.txt")  # inside the folder, to a FIFO
    (arts / "notes.doc").symlink_to("/dev/zero")  # not an article suffix: passed over, as before
    warnings: list[str] = []
    assert discover(arts, warnings.append) == ["real.txt"]
    assert sorted(warnings) == [
        "skipped alias.txt: a FIFO (named pipe), not a regular file (not read)",
        "skipped desk/pipe.md: a FIFO (named pipe), not a regular file (not read)",
        "skipped pipe.txt: a FIFO (named pipe), not a regular file (not read)",
        "skipped sock.html: a socket, not a regular file (not read)",
        f"skipped zero.txt: a link to a file outside {arts} (copy the file in to brief it)",
    ]
    figures.record("security", "irregular_articles", len(warnings))
