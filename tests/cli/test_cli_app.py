"""The ``summariser`` app (`summariser.cli.app`): help, usage errors, Ctrl-C, ``--debug`` and the console script.

The commands run in this process (`helpers.cli.run`); ``python -m summariser`` and the installed
console script are also started as real processes, once each.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import EVENT, assert_clean_failure, run, spawn


@pytest.mark.parametrize(
    "command", [[], ["brief"], ["review"], ["models"], ["schemas"], ["eval"], ["regenerate"], ["serve"]]
)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout
    if command:
        assert "Example" in result.stdout and "summariser " + command[0] in result.stdout.split("Example")[-1]


@pytest.mark.subprocess(reason="`python -m summariser` itself: the package's __main__ in a fresh interpreter")
def test_python_dash_m_summariser_help_lists_every_command() -> None:
    result = spawn("--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "Usage: python -m summariser [OPTIONS] COMMAND" in result.stdout
    for command in ("brief", "review", "models", "schemas", "eval", "regenerate", "serve"):
        assert f"│ {command} " in result.stdout, command


@pytest.mark.parametrize("command", [["brief"], ["eval"], ["regenerate"], []])
def test_help_shows_boolean_flags_as_flags(command: list[str]) -> None:
    out = run(*command, "--help").stdout
    assert "<bool>" not in out and "BOOLEAN" not in out
    flags = {
        "brief": ("--no-cache", "--refresh", "--allow-ungrounded"),
        "eval": ("--no-cache", "--refresh"),
        "regenerate": ("--dry-run", "--force", "--prune", "--json", "--allow-ungrounded", "--batch-api"),
    }.get(command[0] if command else "", ("--debug",))
    for flag in (*flags, "--help"):
        row = next(line for line in out.splitlines() if f" {flag} " in line)
        # A flag's row goes straight from its name to its help text: no value type in between.
        assert re.search(rf"{flag}\s+[A-Z]", row), row
    if command:  # while options that take a value still show its type
        assert re.search(r"--model\s+-m\s+<str>", out)


USAGE_ERRORS = {
    "missing argument": (["brief"], "Usage: python -m summariser brief [OPTIONS]", "Error: Missing argument"),
    "unknown command": (["bogus"], "Usage: python -m summariser [OPTIONS] COMMAND", "Error: No such command 'bogus'."),
    "option missing its value": (
        ["eval", "--gold", "g", "--json"],
        "Usage: python -m summariser eval [OPTIONS]",
        "Error: Option '--json' requires an argument.",
    ),
    "unknown option": (
        ["brief", "--bogus", "a.txt"],
        "Usage: python -m summariser brief [OPTIONS]",
        "Error: No such option: --bogus",
    ),
    "flag given a value": (
        ["models", "--json=yes"],
        "Usage: python -m summariser models [OPTIONS]",
        "Error: Option '--json' does not take a value.",
    ),
    "value of the wrong type": (  # a setting's flag out of range is a one-line ConfigError instead (test_sec_settings)
        ["eval", "--dataset", "d.jsonl", "--limit", "abc"],
        "Usage: python -m summariser eval [OPTIONS]",
        "Error: Invalid value for '--limit': 'abc' is not a valid int.",
    ),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_print_the_usage_line_and_exit_2(case: str) -> None:
    args, usage, error = USAGE_ERRORS[case]
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(usage), lines
    assert lines[1] == f"Try '{usage.split(' [')[0].removeprefix('Usage: ')} --help' for help."
    assert lines[-1].startswith(error), lines
    assert result.stdout == ""


def test_no_command_prints_the_help_and_exits_2() -> None:
    result = run()
    assert result.returncode == 2
    assert "Usage: python -m summariser [OPTIONS] COMMAND" in result.stdout and "regenerate" in result.stdout
    assert "internal error" not in result.stderr and "Error" not in result.stderr


def test_ctrl_c_during_a_briefing_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from summariser.brief import pipeline

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "summarise", interrupted)
    out = tmp_path / "o.json"
    result = run("brief", EVENT[0], "-o", out)
    assert result.returncode == 130
    assert result.stderr.strip().splitlines()[-1] == "interrupted; no file was left half-written"
    assert not out.exists()


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "brief", str(tmp_path / "nope.txt"))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_debug_shows_the_data_a_validation_failure_carries_and_without_it_the_error_is_one_line(
    tmp_path: Path,
) -> None:
    from helpers.fake_server import FakeOpenAI, Reply, completion

    invalid = '{"headline": "Strike'  # cut short: never valid
    env = {"SUMMARISER_CACHE_DIR": str(tmp_path / "cache"), "SUMMARISER_REASKS": "1"}
    with FakeOpenAI(responder=lambda body: Reply(200, completion(invalid, prompt_tokens=10, completion_tokens=5))) as s:
        plain_run = run("brief", EVENT[0], "--model", f"{s.base_url}#m", env=env)
        debug_run = run("--debug", "brief", EVENT[0], "--model", f"{s.base_url}#m", env=env)
    assert_clean_failure(plain_run, "never produced a valid answer in 2 attempts")
    assert plain_run.returncode == 5
    lines = debug_run.stderr.splitlines()
    error = next(i for i, text in enumerate(lines) if text.startswith("error: "))
    assert "never produced a valid answer in 2 attempts" in lines[error]
    assert lines[error + 1 : error + 4] == [
        "  attempts: 2",
        '  usage: {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}',
        '  last_answer: "{\\"headline\\": \\"Strike"',
    ]
    assert debug_run.returncode == 5


@pytest.mark.subprocess(reason="the installed console script is a file of its own, run as the user runs it")
def test_console_script_is_installed() -> None:
    exe = shutil.which("summariser", path=str(Path(sys.executable).parent))
    assert exe is not None
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "brief" in result.stdout
