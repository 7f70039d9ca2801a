"""The ``summariser`` command, run as a real subprocess: help, output, and bad input.

Every bad input must give one line on stderr naming the problem and the fix, a non-zero
exit code, no traceback, no output file and no cache entry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASSETTES, FIXTURES

from summariser.cli import main
from summariser.cli.options import cache_mode
from summariser.errors import ConfigError

EVENT = [str(FIXTURES / "event" / "strike_report.txt"), str(FIXTURES / "event" / "strike_talks.html")]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "summariser", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {err!r}"
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])
    assert result.stdout == ""


@pytest.mark.parametrize("command", [[], ["brief"], ["review"], ["models"], ["schemas"], ["eval"], ["regenerate"]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout
    if command:
        assert "Example" in result.stdout and "summariser " + command[0] in result.stdout.split("Example")[-1]


def test_python_dash_m_summariser_help_lists_every_command() -> None:
    result = run("--help")  # run() is ``python -m summariser``
    assert result.returncode == 0 and result.stderr == ""
    assert "Usage: python -m summariser [OPTIONS] COMMAND" in result.stdout
    for command in ("brief", "review", "models", "schemas", "eval", "regenerate"):
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


def test_brief_help_shows_no_cache_as_a_plain_flag() -> None:
    out = run("brief", "--help").stdout
    row = next(line for line in out.splitlines() if "--no-cache" in line)
    assert "<bool>" not in row and re.search(r"--no-cache\s+Neither read nor write the", row), row
    assert re.search(r"--output\s+-o\s+<path>", out)


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
    "value out of range": (
        ["regenerate", "a", "b", "--concurrency", "0"],
        "Usage: python -m summariser regenerate [OPTIONS]",
        "Error: Invalid value for '--concurrency' / '-j': 0 is not in the range 1<=x<=64.",
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


def test_cache_mode_turns_the_two_flags_into_the_cache_setting() -> None:
    assert cache_mode(no_cache=False, refresh=False) is None  # unset: env and config file decide
    assert cache_mode(no_cache=True, refresh=False) == "off"
    assert cache_mode(no_cache=False, refresh=True) == "refresh"
    with pytest.raises(ConfigError, match="--no-cache and --refresh exclude each other"):
        cache_mode(no_cache=True, refresh=True)


def test_the_shared_model_option_lists_the_valid_forms_in_every_command() -> None:
    for command in ("brief", "eval", "regenerate"):
        out = " ".join(run(command, "--help").stdout.split())
        assert "--model -m" in out and "local:qwen2.5-1.5b" in out and "openai:<model>" in out, command


def test_ctrl_c_during_a_briefing_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from summariser.brief import pipeline

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "summarise", interrupted)
    out = tmp_path / "o.json"
    monkeypatch.setattr(sys, "argv", ["summariser", "brief", EVENT[0], "-o", str(out)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted; no file was left half-written"
    assert not out.exists()


def test_brief_writes_json_and_markdown_from_the_recorded_model(tmp_path: Path) -> None:
    env = {"SUMMARISER_CASSETTE": str(CASSETTES / "test_pipeline__event_pair.json")}
    out = tmp_path / "briefing.json"
    page = tmp_path / "review.html"
    result = run("brief", *EVENT, "-o", str(out), "--html", str(page), env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["schema_version"] == "1" and len(data["sources"]) == 2
    assert data["event_date"] == "2026-03-09"
    html = page.read_text(encoding="utf-8")
    assert data["headline"] in html and html.count('class="source"') == 2 and 'class="ev"' in html
    md = run("brief", *EVENT, "--format", "markdown", env=env)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# ") and "## People" in md.stdout and "**Date:** 2026-03-09" in md.stdout


def test_models_json_lists_the_embedded_models() -> None:
    result = run("models", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert {r["model"] for r in rows} == {"local:qwen2.5-1.5b", "local:qwen2.5-0.5b"}
    assert sum(r["default"] for r in rows) == 1


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    empty = tmp / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    latin = tmp / "latin.txt"
    latin.write_bytes("Caf\xe9 owners protest new rules in Z\xfcrich on Monday.".encode("latin-1"))
    folder = tmp / "folder"
    folder.mkdir()
    return {
        "empty": ([str(empty)], ("empty",)),
        "binary": ([str(binary)], ("binary",)),
        "non-utf8": ([str(latin)], ("UTF-8", "iconv")),
        "directory": ([str(folder)], ("directory",)),
        "missing": ([str(tmp / "nope.txt")], ("no such file",)),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "non-utf8", "directory", "missing"])
def test_bad_input_gives_one_line_and_no_output_file(case: str, tmp_path: Path) -> None:
    args, needles = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.json"
    cache = tmp_path / "cache"
    result = run("brief", *args, "-o", str(out), env={"SUMMARISER_CACHE_DIR": str(cache)})
    assert_clean_failure(result, *needles)
    assert result.returncode == 3
    assert not out.exists()
    assert not list(tmp_path.glob(".out.json.*")), "temporary file left behind"


def test_unknown_model_lists_the_valid_ones(tmp_path: Path) -> None:
    result = run("brief", EVENT[0], "--model", "gpt5:turbo", "-o", str(tmp_path / "o.json"))
    assert_clean_failure(result, "unknown model", "local:qwen2.5-1.5b", "openai:")
    assert result.returncode == 2


def test_unreachable_endpoint_fails_cleanly_and_caches_nothing(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = tmp_path / "cache"
    out = tmp_path / "o.json"
    result = run(
        "brief", EVENT[0], "--model", f"http://127.0.0.1:{port}/v1#m", "-o", str(out),
        env={"SUMMARISER_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert_clean_failure(result, "cannot reach", f"127.0.0.1:{port}")
    assert result.returncode == 4 and not out.exists()
    db = cache / "responses" / "cache.db"
    if db.exists():
        import diskcache

        with diskcache.Cache(str(cache / "responses")) as c:
            assert len(c) == 0


def test_missing_cassette_entry_says_how_to_record(tmp_path: Path) -> None:
    empty = tmp_path / "c.json"
    empty.write_text(json.dumps({"version": 1, "interactions": []}))
    result = run("brief", EVENT[0], env={"SUMMARISER_CASSETTE": str(empty)})
    assert_clean_failure(result, "SUMMARISER_RECORD=1")


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "brief", str(tmp_path / "nope.txt"))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_no_cache_and_refresh_exclude_each_other() -> None:
    result = run("brief", EVENT[0], "--no-cache", "--refresh")
    assert_clean_failure(result, "--no-cache", "--refresh")


def test_console_script_is_installed() -> None:
    exe = shutil.which("summariser", path=str(Path(sys.executable).parent))
    assert exe is not None
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "brief" in result.stdout


def test_wrong_api_key_is_one_line_and_not_retried(tmp_path: Path) -> None:
    from helpers.fake_server import FakeOpenAI, Reply, error_body

    out = tmp_path / "o.json"
    with FakeOpenAI() as server:
        server.push(Reply(401, error_body("Incorrect API key provided", "invalid_api_key")))
        result = run(
            "brief", EVENT[0], "--model", f"{server.base_url}#m", "--api-key", "sk-wrong-KEY-123", "-o", str(out),
            env={"SUMMARISER_CACHE_DIR": str(tmp_path / "cache")},
        )  # fmt: skip
        assert len(server.requests) == 1, "a 401 must not be retried"
        assert server.requests[0].headers.get("authorization") == "Bearer sk-wrong-KEY-123"
    assert_clean_failure(result, "rejected the API key", "SUMMARISER_API_KEY")
    assert "sk-wrong-KEY-123" not in result.stderr
    assert result.returncode == 4 and not out.exists()
