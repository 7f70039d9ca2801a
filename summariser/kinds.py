"""The kinds of value a setting can have, each with its range: whole numbers, numbers, words, flags, paths.

A `Kind` turns a value into the setting's type or refuses it with `ValueError`. It reads a
value two ways, because settings arrive two ways:

* as **text** (`Kind.from_text`): a ``SUMMARISER_*`` variable or a command-line flag, always a
  string (``"60"``, ``"yes"``, ``"~/cache"``);
* **typed** (`Kind.from_value`): a config-file value (TOML has numbers, booleans and strings)
  or a Python keyword argument, which must already be of the setting's type — ``reasks="2"``,
  ``allow_ungrounded="yes"`` and ``timeout=True`` are refused, not guessed at.

Every kind also checks its range, and `Kind.accepted` says, in words, what it accepts (for the
one-line error `summariser.settings_table` makes of a refusal). Imports nothing of the package.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["Choice", "FilePath", "Flag", "Folder", "Kind", "Number", "Retry", "Text", "Whole"]

T = TypeVar("T")

_DIGITS = re.compile(r"\+?[0-9]{1,19}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Kind(Generic[T]):
    """A type and a range. Subclasses implement `from_value` (typed) and may refine `from_text`."""

    accepted = "a value"
    """What the kind accepts, in words ("a whole number from 0 to 10")."""

    def from_value(self, value: object) -> T:
        """``value``, which must already have the type, checked against the range; else `ValueError`."""
        raise NotImplementedError

    def from_text(self, text: str) -> T:
        """``text`` (an environment variable or a flag) parsed and checked; else `ValueError`."""
        return self.from_value(text.strip())


def _figure(number: float) -> str:
    return f"{number:,}" if isinstance(number, int) else f"{number:,g}"


class Whole(Kind[int]):
    """A whole number from ``lo`` to ``hi`` (both included); ``unit`` names what it counts."""

    def __init__(self, lo: int, hi: int, unit: str = "") -> None:
        self.lo, self.hi = lo, hi
        self.accepted = f"a whole number{f' of {unit}' if unit else ''} from {_figure(lo)} to {_figure(hi)}"

    def from_value(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not self.lo <= value <= self.hi:
            raise ValueError(self.accepted)
        return value

    def from_text(self, text: str) -> int:
        if not _DIGITS.fullmatch(text.strip()):
            raise ValueError(self.accepted)
        return self.from_value(int(text.strip()))


class Number(Kind[float]):
    """A finite number more than ``lo`` (or from ``lo``, with ``closed``) up to ``hi``; ``unit`` names it."""

    def __init__(self, lo: float, hi: float, unit: str = "", *, closed: bool = False) -> None:
        self.lo, self.hi, self.closed = lo, hi, closed
        what = f"a number of {unit}" if unit else "a number"
        low = f"from {_figure(lo)}" if closed else f"more than {_figure(lo)}"
        self.accepted = f"{what} {low} and at most {_figure(hi)}"

    def from_value(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(self.accepted)
        number = float(value) if not isinstance(value, int) or abs(value) < 2**63 else math.inf
        if not math.isfinite(number) or number > self.hi or number < self.lo or (number == self.lo and not self.closed):
            raise ValueError(self.accepted)
        return number

    def from_text(self, text: str) -> float:
        try:
            if "_" in text:  # float() reads "1_000"; a setting should not
                raise ValueError
            number = float(text.strip())
        except ValueError:
            raise ValueError(self.accepted) from None
        return self.from_value(number)


class Choice(Kind[str]):
    """One of ``words``."""

    def __init__(self, *words: str) -> None:
        self.words = words
        self.accepted = f"one of {', '.join(words)}"

    def from_value(self, value: object) -> str:
        if not isinstance(value, str) or value not in self.words:
            raise ValueError(self.accepted)
        return value

    def from_text(self, text: str) -> str:
        return self.from_value(text.strip().lower())


class Flag(Kind[bool]):
    """True or false: a boolean, or as text 1/0, true/false, yes/no, on/off."""

    accepted = "true or false (as text: 1/0, true/false, yes/no, on/off)"

    def from_value(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValueError(self.accepted)
        return value

    def from_text(self, text: str) -> bool:
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError(self.accepted)


class Text(Kind[str]):
    """A non-empty string of at most ``longest`` characters, without control characters.

    ``token``: printable ASCII without spaces (an API key: it travels in an HTTP header).
    ``form``: where the string's form is checked instead of here (a model string: by
    ``summariser.llm.backends.resolve``, whose message says which forms there are).
    """

    def __init__(self, what: str, longest: int = 4096, *, token: bool = False, form: str = "") -> None:
        self.longest, self.token, self.form = longest, token, form
        rule = "printable ASCII without spaces" if token else form or "no control characters"
        self.accepted = f"{what}: 1 to {longest:,} characters, {rule}"

    def from_value(self, value: object) -> str:
        if not isinstance(value, str) or not 0 < len(value) <= self.longest:
            raise ValueError(self.accepted)
        if not self.form and _CONTROL.search(value):
            raise ValueError(self.accepted)
        if self.token and not (value.isascii() and value.isprintable() and " " not in value):
            raise ValueError(self.accepted)
        return value


def _path(value: object, accepted: str) -> Path:
    """``value`` (a str or an ``os.PathLike`` of str) as a `Path` with ``~`` expanded; else `ValueError`."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip() or "\0" in value or _CONTROL.search(value):
        raise ValueError(accepted)
    return Path(value).expanduser()


def _kind_of(path: Path) -> str | None:
    """What is at ``path`` ("a directory", "a character device", …), None if nothing is."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISREG, "a regular file"), (stat.S_ISFIFO, "a FIFO"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):  # fmt: skip
        if test(mode):
            return words
    return "a special file"


class _PathKind(Kind[Path]):
    """A path: read as given (a name may end in a space), only ``~`` expanded."""

    def from_text(self, text: str) -> Path:
        return self.from_value(text)


class Folder(_PathKind):
    """A directory: one that exists, or (unless ``existing``) a path under a directory where one can be made."""

    def __init__(self, what: str, *, existing: bool = False) -> None:
        self.existing = existing
        where = "an existing directory" if existing else "a directory, or a path where one can be made"
        self.accepted = f"{what}: {where}"

    def from_value(self, value: object) -> Path:
        path = _path(value, self.accepted)
        here = _kind_of(path)
        if here is not None and here != "a directory":
            raise ValueError(f"{self.accepted} ({path} is {here})")
        if here is None:
            if self.existing:
                raise ValueError(f"{self.accepted} ({path} does not exist)")
            parent = next((p for p in path.absolute().parents if _kind_of(p) is not None), None)
            if parent is not None and _kind_of(parent) != "a directory":
                raise ValueError(f"{self.accepted} ({parent} is {_kind_of(parent)})")
        return path


class FilePath(_PathKind):
    """A path to a file; if something is there already, it must be a regular file (``none``: or ``/dev/null``)."""

    def __init__(self, what: str, *, none: bool = False) -> None:
        self.none = none
        self.accepted = f"{what}: a path to a regular file{f', or {os.devnull} for none' if none else ''}"

    def from_value(self, value: object) -> Path:
        path = _path(value, self.accepted)
        if self.none and path == Path(os.devnull):
            return path
        here = _kind_of(path)
        if here is not None and here != "a regular file":
            raise ValueError(f"{self.accepted} ({path} is {here})")
        return path


class Retry(Kind[Any]):
    """A retry policy (`llm.transport.retry.RetryPolicy`, read by its fields): attempts and waits in range."""

    FIELDS = (
        ("attempts", Whole(1, 10)),
        ("initial", Number(0, 60, "seconds", closed=True)),
        ("max_backoff", Number(0, 600, "seconds", closed=True)),
        ("max_retry_after", Number(0, 3600, "seconds", closed=True)),
    )
    accepted = "a RetryPolicy with attempts from 1 to 10 and waits from 0 to 600 s (Retry-After: 3,600 s)"

    def from_value(self, value: object) -> Any:
        if type(value).__name__ != "RetryPolicy":  # the class lives above this module, in summariser.llm
            raise ValueError(self.accepted)
        try:
            for name, kind in self.FIELDS:
                kind.from_value(getattr(value, name, None))
        except ValueError:
            raise ValueError(self.accepted) from None
        return value

    def from_text(self, text: str) -> Any:
        raise ValueError(self.accepted)
