"""Why a cassette missed: the recorded request closest to the one it was asked, and where they first differ.

A miss that only says "N recorded" leaves the reader to diff two large JSON bodies by hand.
Requests are compared in their canonical form (`exchange.canonical`: endpoint, method, path
and JSON body, as a cassette records them), leaf by leaf: `similarity` is the share of
leaves (by JSON path) two requests agree on, a string leaf counting by how much of it the
two share at its start and end (a prompt edited in one place stays close; an O(n) measure,
for article-sized prompts). `first_difference` walks both in key order and names the first
JSON path where they part (``$.body.messages[1].content``) with an excerpt of each side.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Difference", "closest", "first_difference", "similarity"]

#: Characters shown on each side of where two strings part (before the point, and from it).
EXCERPT = 30


class _Absent:
    """A field one side does not have (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Difference:
    """Where two requests first differ: the JSON path, and what each side has there (shown short)."""

    path: str
    recorded: str
    asked: str

    def line(self) -> str:
        """``$.path: recorded …, now …`` for a one-line message."""
        return f"{self.path}: recorded {self.recorded}, now {self.asked}"


def _step(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _leaves(value: Any, path: str = "$") -> dict[str, Any]:
    """Every leaf of a JSON value by its path (an empty object or list is a leaf)."""
    if isinstance(value, dict) and value:
        return {p: v for key in sorted(value) for p, v in _leaves(value[key], _step(path, str(key))).items()}
    if isinstance(value, list) and value:
        return {p: v for i, item in enumerate(value) for p, v in _leaves(item, f"{path}[{i}]").items()}
    return {path: value}


def _shared_ends(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start and, after that, at their end."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start + end


def similarity(a: Any, b: Any) -> float:
    """How alike two JSON values are, 0 to 1: the share of their leaf paths whose values agree.

    Equal leaves count 1; two strings at one path count the share of the longer that they
    have in common at the start and end; anything else 0.
    """
    left, right = _leaves(a), _leaves(b)
    paths = left.keys() | right.keys()
    score = 0.0
    for path in paths:
        x, y = left.get(path, _ABSENT), right.get(path, _ABSENT)
        if x == y and x is not _ABSENT:
            score += 1.0
        elif isinstance(x, str) and isinstance(y, str):
            score += _shared_ends(x, y) / max(len(x), len(y))
    return score / len(paths)


def closest(asked: Any, recorded: Sequence[Any | None]) -> int | None:
    """The index of the recorded request most like ``asked`` (the first of equals); None if none is there."""
    best: tuple[float, int] | None = None
    for i, candidate in enumerate(recorded):
        if candidate is None:
            continue
        score = similarity(asked, candidate)
        if best is None or score > best[0]:
            best = (score, i)
    return None if best is None else best[1]


def _shown(value: Any, start: int = 0) -> str:
    """``value`` as short JSON; a string from ``start`` (less `EXCERPT` characters of context), cut with "…"."""
    if value is _ABSENT:
        return "nothing"
    if not isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= 2 * EXCERPT else text[: 2 * EXCERPT] + "…"
    begin = max(0, start - EXCERPT)
    before, after = "…" if begin else "", "…" if start + EXCERPT < len(value) else ""
    return before + json.dumps(value[begin : start + EXCERPT], ensure_ascii=False) + after


def first_difference(recorded: Any, asked: Any, path: str = "$") -> Difference | None:
    """The first place, in key order, where ``asked`` differs from ``recorded``; None if they are equal."""
    if isinstance(recorded, dict) and isinstance(asked, dict):
        for key in sorted(recorded.keys() | asked.keys()):
            here = _step(path, str(key))
            found = first_difference(recorded.get(key, _ABSENT), asked.get(key, _ABSENT), here)
            if found is not None:
                return found
        return None
    if isinstance(recorded, list) and isinstance(asked, list):
        for i in range(max(len(recorded), len(asked))):
            a = recorded[i] if i < len(recorded) else _ABSENT
            b = asked[i] if i < len(asked) else _ABSENT
            found = first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        return None
    if recorded == asked and type(recorded) is type(asked):
        return None
    if isinstance(recorded, str) and isinstance(asked, str):
        start = next((i for i, (x, y) in enumerate(zip(recorded, asked, strict=False)) if x != y), None)
        start = min(len(recorded), len(asked)) if start is None else start
        return Difference(path, _shown(recorded, start), _shown(asked, start))
    return Difference(path, _shown(recorded), _shown(asked))
