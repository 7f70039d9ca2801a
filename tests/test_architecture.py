"""The shape of the package, checked rather than hoped for (the layers themselves: import-linter in CI).

* every module has a docstring and stays under `MAX_LINES` lines;
* no module imports a ``_private`` name of another module;
* every subpackage's ``__init__`` says what it owns;
* no module imports itself through others (an import circle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest
from helpers.paths import ROOT

PACKAGE = ROOT / "summariser"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: The most lines a module of the package may have (docs/architecture.md, "Layout").
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


def import_circles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules of ``imports`` (module → the modules it imports) that import each other in a circle."""
    reach: dict[str, set[str]] = {}
    for start in imports:
        seen: set[str] = set()
        todo = list(imports[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(imports.get(module, ()))
        reach[start] = seen
    circles = {tuple(sorted(n for n in reach[m] if m in reach[n])) for m in imports if m in reach[m]}
    return sorted(list(c) for c in circles)


def test_no_module_imports_itself_through_others() -> None:
    """A circle of imports means two modules own one concept between them (or import order decides what works).

    Type-checking imports count; a package's ``__init__`` does not, as it re-exports the modules it
    holds and a module may use a sibling's name through it.
    """
    graph = grimp.build_graph("summariser", cache_dir=None)
    modules = {m for m in graph.modules if not (PACKAGE.parent / m.replace(".", "/") / "__init__.py").exists()}
    imports = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    assert import_circles(imports) == []


def test_the_circle_check_is_not_vacuous() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}, "f": {"f"}}
    assert import_circles(imports) == [["a", "b", "c"], ["f"]]
