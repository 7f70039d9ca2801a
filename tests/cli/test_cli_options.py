"""Options the commands share (`summariser.cli.options`): the cache flags, the model option, each flag declared once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers.cli import run

import summariser.cli
from summariser.cli.options import cache_mode
from summariser.config import Settings
from summariser.errors import ConfigError
from summariser.llm.options import DEFAULT_TIMEOUT
from summariser.settings_table import DEFAULT_CONCURRENCY, DEFAULT_SLOTS, MAX_TIMEOUT


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


def test_the_help_shows_the_defaults_where_they_are_defined() -> None:
    """Each default is defined once; the help of every command that shows it reads it from there."""
    assert Settings().timeout == DEFAULT_TIMEOUT
    shown = {
        command: " ".join(run(command, "--help", env={"COLUMNS": "400"}).stdout.split())
        for command in ("brief", "regenerate", "serve")
    }
    timeout = f"(default {DEFAULT_TIMEOUT:g}, at most {MAX_TIMEOUT:g}; env SUMMARISER_TIMEOUT)"
    assert timeout in shown["brief"] and timeout in shown["regenerate"]
    assert f"an HTTP server's slots (default {DEFAULT_CONCURRENCY})" in shown["regenerate"]
    assert f"requests decoded together (default {DEFAULT_SLOTS})" in shown["serve"]


def _declared_flags(path: Path) -> set[str]:
    """The flags (``--x``, ``-x``) the ``typer.Option(...)`` calls of one module declare."""
    flags = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Option":
            flags |= {a.value for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("-")}
    return flags


def test_no_flag_is_declared_in_two_modules() -> None:
    folder = Path(summariser.cli.__file__).parent
    where: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.py")):
        for flag in _declared_flags(path):
            where.setdefault(flag, []).append(path.stem)
    assert {flag: modules for flag, modules in where.items() if len(modules) > 1} == {}
    # the shared ones live in options.py, and the command with most options declares none of its own
    assert {"--model", "-m", "--json", "--force", "--output", "-o", "--html", "--group-by"} <= set(
        _declared_flags(folder / "options.py")
    )
    assert _declared_flags(folder / "regenerate.py") == set()
