"""docs/architecture.md's layout, checked against the tree: every module of the package named once, in its room.

The layout block lists each folder of ``summariser/`` as ``  name/`` (a subfolder indented two more) followed
by its modules, ``module (what it does) · module · …``, continued on lines indented past the folder names; the
top-level modules are ``  name.py`` lines. A module added, moved or renamed without the page fails here.
"""

from __future__ import annotations

import re

from helpers.paths import ROOT

PACKAGE = ROOT / "summariser"
DOC = ROOT / "docs" / "architecture.md"
#: Where a folder's continuation lines start (past ``    grounding/``).
CONTINUATION = 17


def _without_parentheses(text: str) -> str:
    while True:
        shorter = re.sub(r"\([^()]*\)", " ", text)
        if shorter == text:
            return text
        text = shorter


def layout_block(doc: str) -> list[str]:
    """The lines of the doc's layout block that describe ``summariser/``, its first line dropped."""
    lines = doc.splitlines()
    start = lines.index("summariser/")
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return block


def documented_modules(doc: str) -> list[str]:
    """Every module the layout names, as a dotted name under ``summariser``, in the order it names them."""
    named: list[str] = []
    folders: list[str] = []
    rooms: list[tuple[str, list[str]]] = []  # each folder and its text, continuation lines joined
    for line in layout_block(doc):
        indent = len(line) - len(line.lstrip(" "))
        words = line.split()
        if not words:
            continue
        if indent >= CONTINUATION:
            if rooms:
                rooms[-1][1].append(line)
            continue
        head, depth = words[0], indent // 2 - 1
        if head.endswith(".py"):
            if head != "__init__.py":
                named.append(".".join(["summariser", *folders[:depth], head.removesuffix(".py")]))
            rooms.append(("", []))  # its description's continuation lines name no module
        elif head.endswith("/"):
            folders = [*folders[:depth], head.removesuffix("/")]
            rooms.append((".".join(["summariser", *folders]), [line.lstrip(" ")[len(head) :]]))
        else:
            raise AssertionError(f"layout line neither a folder nor a module: {line!r}")
    for room, text in rooms:
        if not room:
            continue
        for item in _without_parentheses(" ".join(text)).split("·"):
            name = item.split()[0] if item.split() else ""
            if name and not name.endswith("/"):
                named.append(f"{room}.{name}")
    return named


def package_modules() -> set[str]:
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    }


def doc_problems(doc: str, modules: set[str]) -> list[str]:
    """What the layout of ``doc`` gets wrong about ``modules``: names given twice, missing, or of no module."""
    named = documented_modules(doc)
    problems = [f"named more than once: {m}" for m in sorted({m for m in named if named.count(m) > 1})]
    problems += [f"not listed (in its room): {m}" for m in sorted(modules - set(named))]
    problems += [f"listed but not in the package: {m}" for m in sorted(set(named) - modules)]
    return problems


def test_every_module_is_in_the_architecture_doc_once_in_its_room() -> None:
    problems = doc_problems(DOC.read_text(encoding="utf-8"), package_modules())
    assert not problems, "docs/architecture.md's layout is out of date:\n" + "\n".join(problems)


def test_the_doc_check_is_not_vacuous() -> None:
    doc = """
summariser/
  errors.py      the error tree
                 continued (not a module)
  llm/           (what it owns) client (the client · not a module) · options
                 · secrets
    transport/   cache · retry
                 · templates/
prompts/         not a module
"""
    assert documented_modules(doc) == [
        "summariser.errors",
        "summariser.llm.client",
        "summariser.llm.options",
        "summariser.llm.secrets",
        "summariser.llm.transport.cache",
        "summariser.llm.transport.retry",
    ]
    real = DOC.read_text(encoding="utf-8")
    modules = package_modules()
    assert doc_problems(real.replace("\n    tokens/      max_tokens", "\n    tokens/      ", 1), modules) == [
        "not listed (in its room): summariser.llm.tokens.max_tokens"
    ]
    moved = real.replace("· counting (a prompt", "· run_budget · counting (a prompt", 1)
    assert doc_problems(moved, modules) == ["named more than once: summariser.llm.tokens.run_budget"]
    assert doc_problems(real, modules | {"summariser.llm.gone"}) == ["not listed (in its room): summariser.llm.gone"]
    assert doc_problems(real, modules - {"summariser.errors"}) == ["listed but not in the package: summariser.errors"]
