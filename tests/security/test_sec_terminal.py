"""Untrusted text on the terminal (issue 14, item 13): nothing from outside reaches it as a command.

File names, group names, server error messages and article titles are generated with
hypothesis from terminal escape sequences (CSI, OSC 8 hyperlinks, OSC 52 clipboard writes,
window titles, their 8-bit C1 forms), overprinting (CR, backspace), bidi overrides and rich
markup (``[red]``, ``[/x]``, ``[link=…]``), and run through the real CLI against the echo
model on a loopback server. No byte a terminal would obey may reach stdout or stderr, no
run may end in "internal error", and a briefing whose error message holds markup must not
stop the others. The oracle (`assert_no_controls`) is written from `unicodedata`, not from
the sanitiser's own character class (`helpers.terminal`).
"""

from __future__ import annotations

import ast
import fcntl
import io
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI, Reply, error_body
from helpers.paths import FIXTURES
from helpers.terminal import HOSTILE, MARKUP, SEQUENCES, assert_no_controls, cli, decode, in_process
from helpers.tiers import examples
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.progress import Progress
from rich.table import Table

import summariser.cli
from summariser.cli.sanitise import PlainColumn, SafeConsole, line, plain

#: For subprocess runs: few cases, and no shrinking (a shrink of runs that take seconds each takes minutes).
FEW = settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@pytest.fixture(scope="module")
def echo() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as server:
        yield server


def model(server: FakeOpenAI) -> str:
    return f"{server.base_url}#echo"


def file_name(text: str, index: int) -> str:
    """A unique, non-hidden article file name holding ``text`` (at most 150 bytes)."""
    stem = text.replace("/", "").replace("\x00", "").encode("utf-8", "surrogatepass")[:120]
    return f"a{index}-" + stem.decode("utf-8", "ignore") + ".txt"


ARTICLE = (FIXTURES / "articles" / "port_strike.txt").read_text(encoding="utf-8")
GOLD = Path(__file__).resolve().parents[2] / "gold"

# --------------------------------------------------------------------------- the sanitiser itself


@settings(max_examples=examples(3000), deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=40) | HOSTILE)
def test_plain_leaves_nothing_a_terminal_obeys(text: str) -> None:
    figures.record("security", "terminal_strings")
    shown = plain(text)
    assert_no_controls(shown)
    shown.encode("utf-8")  # strict: lone surrogates are escaped too
    assert "\n" not in plain(text, one_line=True) and "\t" not in plain(text, one_line=True)
    safe = "".join(c for c in text if plain(c) == c)
    assert plain(safe) == safe  # ordinary text is not changed


@settings(max_examples=examples(1000), deadline=None)
@given(HOSTILE, HOSTILE)
def test_the_safe_console_shows_any_string_as_text_in_lines_tables_and_the_bar(name: str, detail: str) -> None:
    figures.record("security", "terminal_strings")
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, width=4000, force_terminal=False)
    console.print(f"pruned {name}: {detail}")
    console.print(line(("failed", "red"), f" {name}: ", (detail, "dim")))
    table = Table(title=name, caption=detail)
    table.add_row(name, detail)
    console.print(table)
    bar = Progress(console=console)
    bar.add_task(name)
    console.print(PlainColumn().render(bar.tasks[0]))
    out = buffer.getvalue()
    assert_no_controls(out)
    assert f"failed {plain(name, one_line=True)}: {plain(detail, one_line=True)}" in out  # markup shown as written


# --------------------------------------------------------------------------- the real CLI


@pytest.mark.subprocess(reason="the bytes a real process writes, an undecodable file name among them")
def test_regenerate_shows_hostile_file_names_as_text_in_a_real_subprocess(echo: FakeOpenAI, tmp_path: Path) -> None:
    names = ["\x1b]52;c;c2VjcmV0\x07[/x]", "\x9b2J[link=http://evil.example]x", "\u202e\r\x08[red]:warning:\\"]
    _regenerate_hostile_names(echo, tmp_path, names, cli)


@settings(FEW, max_examples=examples(25))
@given(st.lists(HOSTILE, min_size=2, max_size=3))
def test_regenerate_shows_hostile_file_names_as_text(echo: FakeOpenAI, tmp_path_factory: Any, names: list[str]) -> None:
    _regenerate_hostile_names(echo, tmp_path_factory.mktemp("names"), names, in_process)


def _regenerate_hostile_names(echo: FakeOpenAI, root: Path, names: list[str], run: Any) -> None:
    """Build, dry-run, orphan and prune a folder of articles named ``names`` (and one not UTF-8)."""
    articles, out = root / "articles", root / "out"
    articles.mkdir()
    files = [file_name(n, i) for i, n in enumerate(names)]
    for f in files:
        (articles / f).write_text(ARTICLE, encoding="utf-8")
    bad = os.fsdecode(b"bad-\xff-byte.txt")  # not UTF-8: refused by the reader, its name printed all the same
    (articles / bad).write_text(ARTICLE, encoding="utf-8")
    runs = [
        run("regenerate", articles, out, "--model", model(echo), "--dry-run"),
        run("regenerate", articles, out, "--model", model(echo), "--json"),
    ]
    (articles / files[0]).unlink()  # an orphan: its name goes into the summary table
    runs.append(run("regenerate", articles, out, "--model", model(echo)))
    runs.append(run("regenerate", articles, out, "--model", model(echo), "--prune"))
    figures.record("security", "terminal_cli_runs", len(runs))
    for (code, stdout, stderr), wanted in zip(runs, (0, 7, 7, 7), strict=True):
        assert code == wanted, stderr
        assert_no_controls(stdout, stderr)
    report = json.loads(runs[1][1])
    assert report["built"] == len(files) and list(report["failed"]) == [Path(bad).stem]
    assert "bad-\\udcff-byte" in runs[1][2]
    for f in files[1:]:
        assert plain(Path(f).stem, one_line=True) in runs[2][2] + runs[1][2]


POISON = "POISONED-ARTICLE"


def _poisoned(message: str) -> Any:
    def answer(body: Any) -> Reply:
        if POISON in json.dumps(body):
            return Reply(400, error_body(message))
        return echo_answer(body)

    return answer


@settings(FEW, max_examples=examples(15))
@given(HOSTILE)
def test_a_failed_briefing_whose_message_holds_markup_does_not_stop_the_others(
    tmp_path_factory: Any, message: str
) -> None:
    message = f"[/red] bad request [/x] {message} [link=http://evil.example]click"
    root = tmp_path_factory.mktemp("poison")
    articles, out = root / "articles", root / "out"
    articles.mkdir()
    for i in range(3):
        (articles / f"ok{i}.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "poisoned.txt").write_text(f"{ARTICLE}\n\n{POISON} stays in the text.", encoding="utf-8")
    with FakeOpenAI(responder=_poisoned(message)) as server:
        code, stdout, stderr = in_process("regenerate", articles, out, "--model", model(server), "--json", "-j", "1")
    figures.record("security", "terminal_cli_runs")
    assert_no_controls(stdout, stderr)
    assert code == 7, stderr  # PartialRun: the others are built
    report = json.loads(stdout)
    assert report["built"] == 3 and list(report["failed"]) == ["poisoned"]
    assert sorted(p.name for p in out.glob("ok*.json")) == ["ok0.json", "ok1.json", "ok2.json"]
    assert "[/x]" in stderr and "failed poisoned" in stderr


def test_the_markup_crash_of_a_failed_briefing_is_closed_at_the_source(tmp_path: Path) -> None:
    """The example of the issue: ``[/…]`` in a server's message was a MarkupError, "internal error", exit 70."""
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    (articles / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "poisoned.txt").write_text(f"{ARTICLE}\n{POISON}", encoding="utf-8")
    with FakeOpenAI(responder=_poisoned("quota exceeded [/quota] \x1b]52;c;c2VjcmV0\x07")) as server:
        code, stdout, stderr = in_process("regenerate", articles, out, "--model", model(server), "--json")
    assert_no_controls(stdout, stderr)
    assert code == 7 and (out / "ok.json").exists()
    assert "quota exceeded [/quota] \\x1b]52;c;c2VjcmV0\\x07" in stderr  # on the terminal: shown, not obeyed
    assert "quota exceeded [/quota] \x1b]52;c;c2VjcmV0\x07" in json.loads(stdout)["failed"]["poisoned"]  # data: exact


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(HOSTILE)
def test_brief_shows_a_hostile_server_message_as_one_line_of_text(message: str) -> None:
    article = FIXTURES / "articles" / "port_strike.txt"
    with FakeOpenAI(responder=lambda body: Reply(400, error_body(message))) as server:
        code, stdout, stderr = in_process("brief", article, "--model", model(server), "--no-cache")
    figures.record("security", "terminal_cli_runs")
    assert_no_controls(stdout, stderr)
    assert code == 4 and stdout == "" and len(stderr.strip().splitlines()) == 1 and stderr.startswith("error: ")


@pytest.mark.subprocess(reason="--debug logs: a fresh process sets up their handler on stderr")
def test_debug_logs_and_tracebacks_show_a_hostile_server_message_as_text(tmp_path: Path) -> None:
    message = "denied [/x] \x1b]52;c;c2VjcmV0\x07 \x9b2J \u202e"
    article = FIXTURES / "articles" / "port_strike.txt"
    with FakeOpenAI(responder=lambda body: Reply(400, error_body(message))) as server:
        code, stdout, stderr = cli("--debug", "brief", article, "--model", model(server), "--no-cache")
    figures.record("security", "terminal_cli_runs")
    assert_no_controls(stdout, stderr, debug=True)
    assert code == 4 and "Traceback" in stderr and "denied [/x] \\x1b]52;c;c2VjcmV0\\x07" in stderr


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(HOSTILE, min_size=1, max_size=3), HOSTILE)
def test_eval_tables_show_hostile_briefing_names_and_metrics_as_text(
    tmp_path_factory: Any, names: list[str], metric: str
) -> None:
    root = tmp_path_factory.mktemp("eval")
    gold, pred = root / "gold", root / "pred"
    gold.mkdir()
    for i, name in enumerate(names):
        shutil.copy(GOLD / "seed_000.json", gold / (file_name(name, i)[:-4] + ".json"))
    shutil.copytree(gold, pred)
    baseline = root / "baseline.json"
    code, _, stderr = in_process("eval", "--gold", gold, "--pred", pred, "--save-baseline", baseline)
    assert code == 0, stderr
    stored = json.loads(baseline.read_text(encoding="utf-8"))
    stored["metrics"] = {f"{metric}.f1": 0.9, **stored["metrics"]}  # a hostile metric name in the comparison table
    baseline.write_text(json.dumps(stored), encoding="utf-8")
    runs = [
        in_process("eval", "--gold", gold, "--pred", pred, "--baseline", baseline, "--max-drop", "1"),
        in_process("eval", "--gold", gold, "--pred", pred, "--json", "-"),
    ]
    figures.record("security", "terminal_cli_runs", 3)
    for code, stdout, stderr in runs:
        assert code == 0, stderr
        assert_no_controls(stdout, stderr)
    stems = sorted(p.stem for p in gold.glob("*.json"))
    assert sorted(b["name"] for b in json.loads(runs[1][1])["briefings"]) == stems  # the JSON is data, exact


@settings(FEW, max_examples=examples(15))
@given(st.dictionaries(HOSTILE, st.just(None), min_size=1, max_size=3))
def test_group_names_are_shown_as_text(echo: FakeOpenAI, tmp_path_factory: Any, groups: dict[str, None]) -> None:
    root = tmp_path_factory.mktemp("groups")
    articles, out = root / "articles", root / "out"
    articles.mkdir()
    mapping = {}
    for i, name in enumerate(groups):
        (articles / f"g{i}.txt").write_text(ARTICLE, encoding="utf-8")
        mapping[name] = [f"g{i}.txt"]
    spec = root / "groups.json"
    spec.write_text(json.dumps(mapping), encoding="utf-8")
    args = ("regenerate", articles, out, "--model", model(echo), "--group-by", "event", "--groups", spec)
    runs = [in_process(*args, "--dry-run"), in_process(*args)]
    figures.record("security", "terminal_cli_runs", len(runs))
    for code, stdout, stderr in runs:
        assert code in (0, 2, 3), stderr  # built, or refused as a bad groups file: either way as text
        assert_no_controls(stdout, stderr)


# --------------------------------------------------------------------------- on a real terminal (a pty)

#: The tests of a real terminal: the command's stdin, stdout and stderr are a pseudo-terminal.
ON_A_TERMINAL = pytest.mark.subprocess(reason="the command runs on a pseudo-terminal, as a user's shell runs it")
#: What rich itself writes to a terminal: colours, hide/show the cursor, erase the line, move up or to a column.
_RICH_OWN = re.compile(r"\x1b\[(?:\?25[lh]|2K|\d*[ABCDG]|[\d;]*m)")


def in_a_terminal(*args: str | Path, timeout: float = 240) -> tuple[int, str]:
    """``python -m summariser *args`` with stdin, stdout and stderr on a pseudo-terminal: exit code, output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 400, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "summariser", *map(str, args)], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, decode(b"".join(chunks))


def assert_terminal_clean(out: str) -> None:
    """Only rich's own sequences on the terminal: no OSC, no other CSI, no C1, no bell, backspace or bidi control."""
    rest = _RICH_OWN.sub("", out).replace("\r", "")  # rich moves the cursor back with CR; the pty adds CR to LF
    assert_no_controls(rest)


@ON_A_TERMINAL
def test_status_line_shows_a_title_with_markup_as_text_on_a_terminal(echo: FakeOpenAI, tmp_path: Path) -> None:
    """The status line of ``brief`` showed the article's title as markup: ``[/x]`` in a title was "internal error"."""
    page = tmp_path / "hostile.html"
    title = "[/x] [link=http://evil.example]click[/link] :warning: [red]"
    page.write_text(f"<html><head><title>{title}</title></head><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    code, out = in_a_terminal("brief", page, "--model", model(echo), "--no-cache")
    figures.record("security", "terminal_cli_runs")
    assert_terminal_clean(out)
    assert code == 0, out
    assert '"headline"' in out  # the briefing itself, on the terminal as JSON
    assert f"summary: {title}" in out  # the status line showed the title, as written


@ON_A_TERMINAL
def test_progress_bar_and_lines_show_hostile_names_as_text_on_a_terminal(echo: FakeOpenAI, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    for i, payload in enumerate(SEQUENCES + MARKUP):
        (articles / file_name(f"{payload}[/x]{payload}", i)).write_text(ARTICLE, encoding="utf-8")
    code, shown = in_a_terminal("regenerate", articles, out, "--model", model(echo), "-j", "2")
    figures.record("security", "terminal_cli_runs")
    assert_terminal_clean(shown)
    assert code == 0, shown
    assert len(list(out.glob("a*.json"))) == len(SEQUENCES + MARKUP)


# --------------------------------------------------------------------------- every printer goes through the sanitiser

CLI = Path(summariser.cli.__file__).parent
_SANITISERS = {"plain", "_clean", "data"}


def _through_sanitiser(node: ast.expr) -> bool:
    """A constant, a call of a sanitiser, or a ``+`` of those."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _through_sanitiser(node.left) and _through_sanitiser(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SANITISERS


def printing_outside_the_sanitiser(source: str) -> list[str]:
    """Where a CLI module could print outside text unsanitised (``line n: what``)."""
    tree = ast.parse(source)
    status_lines = {
        item.optional_vars.id
        for node in ast.walk(tree)
        if isinstance(node, ast.With)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name)
        and isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr == "status"
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        if func in {"Console", "rich.console.Console", "Text", "Text.assemble", "Text.from_markup", "TextColumn"}:
            if not (
                func == "TextColumn" and all(isinstance(a, ast.Constant) and "{" not in str(a.value) for a in node.args)
            ):
                found.append(f"line {node.lineno}: {func}(…) outside summariser.cli.sanitise")
        elif func in {"typer.echo", "sys.stdout.write", "sys.stderr.write"}:
            if not all(_through_sanitiser(a) for a in node.args):
                found.append(f"line {node.lineno}: {func}({ast.unparse(node.args[0])})")
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            owner = ast.unparse(node.func.value)
            if owner in status_lines and not all(
                isinstance(a, ast.Call) and ast.unparse(a.func) == "status" for a in node.args
            ):
                found.append(f"line {node.lineno}: {owner}.update without sanitise.status")
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in CLI.glob("*.py") if p.name != "sanitise.py"))
def test_every_cli_printer_goes_through_the_one_sanitiser(module: str) -> None:
    found = printing_outside_the_sanitiser((CLI / module).read_text(encoding="utf-8"))
    assert not found, f"summariser/cli/{module}: " + "; ".join(found)


def test_the_printer_check_is_not_vacuous() -> None:
    source = (
        "import sys, typer\nfrom rich.console import Console\nc = Console()\ntyper.echo(name)\n"
        "sys.stderr.write(f'error: {x}')\nsys.stdout.write(plain(x) + '\\n')\n"
        "with c.status('x') as s:\n    s.update(event)\n    s.update(status(event))\n"
    )
    assert [f.split(":")[0] for f in printing_outside_the_sanitiser(source)] == ["line 3", "line 4", "line 5", "line 8"]
