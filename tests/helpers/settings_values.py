"""Generated setting values, bad by construction, for every kind of `summariser.settings_table.TABLE`.

`bad_text(kind, place)` draws text a ``SUMMARISER_*`` variable or a flag could hold that the
kind must refuse; `bad_typed(kind, place)` draws a config-file or keyword value of the wrong type
or out of range; `good_typed(kind, place)` draws one it must accept. They are written from
the kinds' stated ranges (``lo``, ``hi``, ``words``), not from their code: a value here is bad
because of what it is (a word where a number goes, a number past the end of the range, a
device where a folder goes), so a validator that lets it through fails the test.
``place`` is a temporary folder holding the hostile paths the path kinds draw from
(`hostile_paths`: a regular file, a FIFO, a path under a file; ``/dev/null`` and ``/dev/zero``).
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from summariser.kinds import Choice, FilePath, Flag, Folder, Kind, Number, Retry, Text, Whole
from summariser.llm.transport.retry import RetryPolicy

__all__ = ["bad_text", "bad_typed", "good_typed", "hostile_paths"]

#: Characters an environment variable can hold (no NUL, no lone surrogate).
_ENV_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_WORDS = ["abc", "1.5", "1e3", "nan", "inf", "-inf", "0x10", "1_000", "١٢", "²", "10 20", "--", "true", "[]"]
_ASCII_WHOLE = re.compile(r"\s*\+?[0-9]+\s*")
_TRUE_FALSE = {"1", "0", "true", "false", "yes", "no", "on", "off"}


def hostile_paths(place: Path) -> dict[str, str]:
    """Paths that are not what a folder or a file setting needs, made under ``place``."""
    regular = place / "regular.txt"
    regular.write_text("x", encoding="utf-8")
    fifo = place / "fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    folder = place / "folder"
    folder.mkdir(exist_ok=True)
    return {"file": str(regular), "fifo": str(fifo), "under-file": str(regular / "sub"), "folder": str(folder),
            "null": os.devnull, "zero": "/dev/zero", "missing": str(place / "missing" / "x")}  # fmt: skip


def _text(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(_ENV_CHARS, min_size=min_size, max_size=12).filter(lambda t: bool(t.strip()))


def _outside(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not lo <= x <= hi)


def bad_text(kind: Kind[Any], place: Path) -> st.SearchStrategy[str]:
    """Text the kind must refuse (never blank: a blank variable means "unset")."""
    if isinstance(kind, Whole):
        return st.one_of(
            st.integers().filter(lambda n: not kind.lo <= n <= kind.hi).map(str),
            st.sampled_from(_WORDS),
            _text().filter(lambda t: not _ASCII_WHOLE.fullmatch(t)),
        )
    if isinstance(kind, Number):
        low = [repr(float(kind.lo))] if not kind.closed else []
        return st.one_of(
            _outside(kind.lo, kind.hi).map(repr), st.sampled_from(["abc", "nan", "inf", "-inf", "1e999", "1_0", *low])
        )
    if isinstance(kind, Choice):
        return _text().filter(lambda t: t.strip().lower() not in kind.words)
    if isinstance(kind, Flag):
        return _text().filter(lambda t: t.strip().lower() not in _TRUE_FALSE)
    if isinstance(kind, Folder):
        paths = hostile_paths(place)
        keys = ["file", "fifo", "under-file", "null", "zero"] + (["missing"] if kind.existing else [])
        return st.sampled_from([paths[k] for k in keys])
    if isinstance(kind, FilePath):
        paths = hostile_paths(place)
        return st.sampled_from([paths["fifo"], paths["zero"], paths["folder"]] + ([] if kind.none else [paths["null"]]))
    if isinstance(kind, Text):
        extra = [st.just("sk key with spaces"), st.just("sk-ключ")] if kind.token else []
        controls = st.text(st.sampled_from("\x01\x07\x1b\x7f\x85\x9b"), min_size=1, max_size=3)
        return st.one_of(
            *([] if kind.form else [controls.map(lambda c: f"ab{c}cd")]),  # a model string's form: resolve's check
            st.just("m" * (kind.longest + 1)),
            *extra,
        )
    assert isinstance(kind, Retry)
    return _text()


def bad_typed(kind: Kind[Any], place: Path) -> st.SearchStrategy[Any]:
    """A config-file or keyword value the kind must refuse: wrong type, or out of range (never None)."""
    others = st.one_of(st.binary(max_size=4), st.lists(st.integers(), max_size=2),
                       st.dictionaries(st.text(_ENV_CHARS, max_size=2), st.integers(), max_size=1))  # fmt: skip
    if isinstance(kind, Whole):
        return st.one_of(
            st.integers().filter(lambda n: not kind.lo <= n <= kind.hi), st.booleans(), st.floats(), _text(), others
        )
    if isinstance(kind, Number):
        low = [kind.lo] if not kind.closed else []
        return st.one_of(
            _outside(kind.lo, kind.hi), st.sampled_from([math.nan, math.inf, -math.inf, *low]), st.booleans(),
            st.integers(min_value=int(kind.hi) + 1), _text(), others,
        )  # fmt: skip
    if isinstance(kind, Choice):
        return st.one_of(_text().filter(lambda t: t not in kind.words), st.integers(), st.booleans(), others)
    if isinstance(kind, Flag):
        return st.one_of(st.sampled_from(["yes", "no", "true", "1", "on", ""]), st.integers(), st.floats(), others)
    if isinstance(kind, Folder | FilePath):
        return st.one_of(bad_text(kind, place), st.integers(), st.just(""), st.booleans(), others)
    if isinstance(kind, Text):
        return st.one_of(bad_text(kind, place), st.just(""), st.integers(), st.booleans(), others)
    assert isinstance(kind, Retry)
    return st.one_of(
        st.integers(), _text(), others,
        st.sampled_from([RetryPolicy(attempts=0), RetryPolicy(attempts=100_000), RetryPolicy(initial=-1.0),
                         RetryPolicy(max_backoff=math.inf), RetryPolicy(max_retry_after=math.nan)]),
    )  # fmt: skip


def good_typed(kind: Kind[Any], place: Path) -> st.SearchStrategy[Any]:
    """A config-file or keyword value the kind must accept."""
    if isinstance(kind, Whole):
        return st.integers(kind.lo, kind.hi)
    if isinstance(kind, Number):
        return st.floats(kind.lo, kind.hi, exclude_min=not kind.closed)
    if isinstance(kind, Choice):
        return st.sampled_from(kind.words)
    if isinstance(kind, Flag):
        return st.booleans()
    if isinstance(kind, Folder):
        return st.just(hostile_paths(place)["folder"])
    if isinstance(kind, FilePath):
        return st.just(str(place / "not-yet.json"))
    if isinstance(kind, Text):
        return st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20)
    return st.just(RetryPolicy())
