"""Issue 24, "Done when": every command that takes a path, walked with hostile files.

`gold check`, `review`, `eval` (``--gold``, ``--pred``, the gold folder's ``sources.yaml``),
`brief`, `regenerate` (the articles folder, its grouping file) and the config loader
(``SUMMARISER_CONFIG``) are each handed a FIFO, a link to ``/dev/zero`` named like a valid
input, a link out of the folder (for files found by scanning a folder) and a file over its
cap (valid, padded past it). Each runs as a real CLI process, which must end within a timeout
(a wait on a FIFO fails the test instead of hanging CI) with one ``error:`` line, its exit code
(never 70, "internal error"), no traceback, and a peak RSS (VmHWM, read in the child) that shows
nothing was read whole. A refusal of a file inside a folder that a command reports as a problem
(`gold check`) or as a failed briefing (`regenerate`) is one line naming the file as well.

In `regenerate`, a file that is not a regular file when the folder is scanned is skipped with
a warning (`test_sec_fs_swap`); here the article turns hostile once the run is planned, so the
read itself is what refuses it (item 2).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import figures
from helpers.briefings import dump, gold_briefing

from summariser import config
from summariser.evaluation.gold.sets import MAX_SOURCES_BYTES
from summariser.ingest.limits import MAX_INPUT_ENV
from summariser.output.render import MAX_BRIEFING_BYTES
from summariser.regenerate.groups import MAX_GROUPS_BYTES

pytestmark = pytest.mark.subprocess(reason="each command's peak RSS, a FIFO timeout, a memory rlimit: a process each")

#: Seconds a command may take: a few for the interpreter, the rest slack for a busy machine.
TIMEOUT = 45
#: The peak RSS allowed (MB): the interpreter and the package are ~100-150 MB; reading any
#: refused file whole (64 MB of briefing, /dev/zero) would show.
PEAK_MB = 200
MODEL = "http://127.0.0.1:9/v1#m"  # never reached: every case is refused before a request
TEXT = "Dock workers in Valdmar held a rally on Monday. The port authority said talks would resume on Friday.\n"
#: The config file's cap (the settings table reads it bounded).
CONFIG_BYTES = config.MAX_CONFIG_BYTES
PROBE = r"""
import atexit, os, re, sys

def peak() -> None:
    status = open("/proc/self/status").read()
    open(os.environ["WALK_PEAK"], "w").write(re.search(r"VmHWM:\s+(\d+)", status).group(1))

atexit.register(peak)
swap = os.environ.get("WALK_SWAP")
if swap:  # "PATH<TAB>KIND<TAB>TARGET": once the run is planned, the article at PATH turns into KIND
    from summariser.regenerate import folder

    path, kind, target = swap.split("\t")
    planned = folder.plan

    def plan(*args, **kwargs):
        result = planned(*args, **kwargs)
        os.unlink(path)
        os.mkfifo(path) if kind == "fifo" else os.symlink(target, path)
        return result

    folder.plan = plan
from summariser.cli import main

sys.argv = ["summariser", *sys.argv[1:]]
main()
"""


@dataclass
class Case:
    """A command line with one hostile file: what it must exit with and say."""

    args: list[str]
    code: int
    name: str  # the hostile file's name, which the refusal names
    env: dict[str, str] = field(default_factory=dict)
    swap: str = ""
    listed: str | None = None  # the stream where the refusal is listed (gold check: stdout), else stderr


def hostile(path: Path, kind: str, valid: bytes, cap: int, outside: Path) -> None:
    """Make ``path`` the hostile ``kind``: a FIFO, a link to /dev/zero or out of its folder, over ``cap``."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-out":
        outside.write_bytes(valid)
        path.symlink_to(outside)
    else:
        with path.open("wb") as handle:
            handle.write(valid)
            handle.write(b"\n" * (cap + 1 - len(valid)))  # valid, but for its size


GOLD = dump(gold_briefing()).encode()


def gold_case(tmp: Path, kind: str, command: str) -> Case:
    gold, pred = tmp / "gold", tmp / "pred"
    gold.mkdir()
    pred.mkdir()
    target = pred / "a.json" if command == "eval-pred" else gold / "a.json"
    for path in {gold / "a.json", pred / "a.json"} - {target}:
        path.write_bytes(GOLD)
    if command == "gold-check-sources":
        target.write_bytes(GOLD)
        hostile(gold / "sources.yaml", kind, b"a: [a.txt]\n", MAX_SOURCES_BYTES, tmp / "elsewhere.yaml")
        return Case(["gold", "check", str(gold)], 1, "sources.yaml", listed="stdout")
    hostile(target, kind, GOLD, MAX_BRIEFING_BYTES, tmp / "elsewhere.json")
    if command == "gold-check":
        return Case(["gold", "check", str(gold)], 1, "a.json", listed="stdout")
    return Case(["eval", "--gold", str(gold), "--pred", str(pred)], 3, "a.json")


def review_case(tmp: Path, kind: str) -> Case:
    hostile(tmp / "b.json", kind, GOLD, MAX_BRIEFING_BYTES, tmp / "elsewhere.json")
    return Case(["review", str(tmp / "b.json"), "-o", str(tmp / "b.html")], 3, "b.json")


def brief_case(tmp: Path, kind: str) -> Case:
    hostile(tmp / "p.txt", kind, TEXT.encode(), 2**20, tmp / "elsewhere.txt")
    args = ["brief", str(tmp / "p.txt"), "-m", MODEL, "--timeout", "5"]
    return Case(args, 3, "p.txt", env={MAX_INPUT_ENV: "1"})


def articles_case(tmp: Path, kind: str) -> Case:
    arts = tmp / "arts"
    arts.mkdir()
    args = ["regenerate", str(arts), str(tmp / "out"), "-m", MODEL, "--deadline", "10"]
    if kind == "over-limit":
        hostile(arts / "a.txt", kind, TEXT.encode(), 2**20, tmp / "elsewhere.txt")
        return Case(args, 7, "a.txt", env={MAX_INPUT_ENV: "1"})
    (arts / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp / "elsewhere.txt").write_text(TEXT, encoding="utf-8")
    target = {"fifo": "", "dev-zero": "/dev/zero", "link-out": str(tmp / "elsewhere.txt")}[kind]
    return Case(args, 7, "a.txt", swap=f"{arts / 'a.txt'}\t{kind}\t{target}")


def groups_case(tmp: Path, kind: str) -> Case:
    arts = tmp / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text(TEXT, encoding="utf-8")
    hostile(arts / "groups.yaml", kind, b"g: [a.txt]\n", MAX_GROUPS_BYTES, tmp / "elsewhere.yaml")
    code = 2 if kind in ("dev-zero", "link-out") else 3  # a link out of the folder: refused as a setting
    return Case(["regenerate", str(arts), str(tmp / "out"), "-m", MODEL, "--group-by", "event"], code, "groups.yaml")


def config_case(tmp: Path, kind: str) -> Case:
    (tmp / "p.txt").write_text(TEXT, encoding="utf-8")
    hostile(tmp / "config.toml", kind, b"# settings\n", CONFIG_BYTES, tmp / "elsewhere.toml")
    args = ["brief", str(tmp / "p.txt"), "-m", MODEL, "--timeout", "5"]
    return Case(args, 2, "config.toml", env={"SUMMARISER_CONFIG": str(tmp / "config.toml")})


#: Every command that takes a path, with the kinds of hostile file it is handed.
COMMANDS: dict[str, tuple[Callable[[Path, str], Case], tuple[str, ...]]] = {
    "gold check": (lambda t, k: gold_case(t, k, "gold-check"), ("fifo", "dev-zero", "link-out", "over-limit")),
    "gold check sources.yaml": (
        lambda t, k: gold_case(t, k, "gold-check-sources"), ("fifo", "dev-zero", "link-out", "over-limit"),
    ),
    "eval --gold": (lambda t, k: gold_case(t, k, "eval-gold"), ("fifo", "dev-zero", "link-out", "over-limit")),
    "eval --pred": (lambda t, k: gold_case(t, k, "eval-pred"), ("fifo", "dev-zero", "link-out", "over-limit")),
    "review": (review_case, ("fifo", "dev-zero", "over-limit")),
    "brief": (brief_case, ("fifo", "dev-zero", "over-limit")),
    "regenerate articles": (articles_case, ("fifo", "dev-zero", "link-out", "over-limit")),
    "regenerate groups file": (groups_case, ("fifo", "dev-zero", "link-out", "over-limit")),
    "config file": (config_case, ("fifo", "dev-zero", "over-limit")),
}  # fmt: skip
#: What the refusal says, per kind of hostile file (a link to /dev/zero inside a scanned folder
#: is refused as a link out of it, before it is opened).
SAYS = {"fifo": ("FIFO",), "dev-zero": ("character device", "outside", "link out"), "link-out": ("outside", "link out"),
        "over-limit": ("over the",)}  # fmt: skip
CASES = [
    pytest.param(command, kind, id=f"{command}-{kind}") for command, (_, kinds) in COMMANDS.items() for kind in kinds
]


def run(tmp: Path, case: Case) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``case`` in a child process: the result and the child's peak RSS in MB."""
    script, peak = tmp / "probe.py", tmp / "peak"
    script.write_text(PROBE, encoding="utf-8")
    env = {**os.environ, **case.env, "WALK_PEAK": str(peak), "WALK_SWAP": case.swap}
    result = subprocess.run(
        [sys.executable, str(script), *case.args], capture_output=True, text=True, timeout=TIMEOUT, env=env,
        cwd=tmp, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32)),  # a runaway ends
    )  # fmt: skip
    return result, int(peak.read_text()) // 1024


@pytest.mark.parametrize(("command", "kind"), CASES)
def test_every_command_refuses_hostile_paths_in_one_line_in_bounded_memory(
    tmp_path: Path, command: str, kind: str
) -> None:
    build, _ = COMMANDS[command]
    case = build(tmp_path, kind)
    result, peak = run(tmp_path, case)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and result.returncode != 70, output[-3000:]
    assert result.returncode == case.code, (result.returncode, output[-3000:])
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr[-3000:]
    shown = result.stdout if case.listed == "stdout" else result.stderr
    lines = [line for line in shown.splitlines() if case.name in line and any(words in line for words in SAYS[kind])]
    assert lines, shown[-3000:]  # the refusal: one line, naming the file and why
    assert peak < PEAK_MB, f"{peak} MB"
    figures.record("security", "input_walk_runs")
