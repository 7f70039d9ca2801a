"""The shape of the package, checked rather than hoped for (the layers themselves: import-linter in CI).

* every module has a docstring and stays under `MAX_LINES` lines;
* no module imports a ``_private`` name of another module;
* every subpackage's ``__init__`` says what it owns.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers.paths import ROOT

PACKAGE = ROOT / "summariser"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: The most lines a module of the package may have (DESIGN.md section 6).
MAX_LINES = 300


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_is_documented_and_short(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{_name(path)} has no module docstring"
    lines = source.count("\n")
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines; split it (at most {MAX_LINES})"


def private_imports(source: str) -> list[str]:
    """``module.name (line n)`` for every ``_private`` name ``source`` imports from the package."""
    return [
        f"{'.' * node.level}{node.module or ''}.{alias.name} (line {node.lineno})"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("summariser"))
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_private_names_imported_across_modules(path: Path) -> None:
    private = private_imports(path.read_text(encoding="utf-8"))
    assert not private, f"{_name(path)} imports private names of other modules: {', '.join(private)}"


def test_the_private_import_check_is_not_vacuous() -> None:
    source = '"""x."""\nfrom .other import _helper, public\nfrom summariser.text import _key\nfrom os import _exit\n'
    assert private_imports(source) == [".other._helper (line 2)", "summariser.text._key (line 3)"]


def test_every_subpackage_init_lists_what_it_owns() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc.split()) >= 8, f"{_name(init)}'s docstring does not say what the subpackage owns"
