"""Options the commands share (`summariser.cli.options`): the cache flags, the model option, each flag declared once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers.cli import run

import summariser.cli
from summariser.cli.options import cache_mode
from summariser.errors import ConfigError


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
