"""Hostile text for the terminal tests, an independent oracle of what a terminal must never get, and CLI runners.

`HOSTILE` draws strings from terminal escape sequences (CSI, OSC 8 hyperlinks, OSC 52
clipboard writes, window titles, DCS, their 8-bit C1 forms), overprinting (CR, backspace),
bidi overrides and rich markup, mixed with arbitrary words. `assert_no_controls` is written
from `unicodedata`, not from the sanitiser's own character class. `cli` runs the command as
a real subprocess, `in_process` through the same entry point in this process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from hypothesis import strategies as st

from helpers.cli import run

__all__ = ["HOSTILE", "MARKUP", "SEQUENCES", "assert_no_controls", "cli", "decode", "in_process"]

#: Sequences a terminal obeys: colours, clear screen, hyperlink, clipboard write, window title, C1 forms …
SEQUENCES = [
    "\x1b[31m", "\x1b[2J\x1b[H", "\x1b]8;;http://evil.example/\x1b\\", "\x1b]52;c;c2VjcmV0\x07",
    "\x1b]0;pwned\x07", "\x9b2J", "\x9d0;title\x9c", "\x1bP+q\x1b\\", "\r", "\x08\x08", "\x07", "\x7f",
    "\u202e", "\u2066", "\u200f", "\u2028", "\x05", "\x0b", "\x0c",
]  # fmt: skip
#: Rich markup (and what escaping it gets wrong): tags, a stray closing tag, links, emoji codes, backslashes.
MARKUP = ["[red]", "[/]", "[/red]", "[/x]", "[link=http://evil.example]", "[bold", "]", "\\", "[", ":warning:", "\\[b]"]
_WORD = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"), max_size=6)
#: Hostile text: payloads and markup mixed with arbitrary words.
HOSTILE = st.lists(st.one_of(st.sampled_from(SEQUENCES + MARKUP), _WORD), min_size=1, max_size=6).map("".join)
_BIDI = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def assert_no_controls(*outputs: str, debug: bool = False) -> None:
    """No control character (but newline and tab), bidi control, separator or undecodable byte in any output.

    Nor "internal error" or a traceback (unless ``debug``: ``--debug`` shows tracebacks on purpose).
    """
    for out in outputs:
        for i, char in enumerate(out):
            category = unicodedata.category(char)
            bad = (category == "Cc" and char not in "\n\t") or category in {"Cs", "Zl", "Zp"}
            bad = bad or unicodedata.bidirectional(char) in _BIDI or char in "\u200e\u200f\u061c"
            assert not bad, f"{char!r} reached the terminal: …{out[max(0, i - 80) : i + 40]!r}…"
        assert "internal error" not in out and (debug or "Traceback" not in out), out[-2000:]


def decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")  # an undecodable byte shows up as a surrogate: caught


def cli(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``python -m summariser *args`` as a real subprocess: exit code, stdout, stderr (bytes decoded)."""
    full = {**os.environ, "COLUMNS": "4000", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "summariser", *map(str, args)], capture_output=True, env=full, timeout=180
    )
    return done.returncode, decode(done.stdout), decode(done.stderr)


def in_process(*args: str | Path) -> tuple[int, str, str]:
    """The same entry point in this process (faster, for many generated cases): `helpers.cli.run`."""
    result = run(*args)
    return result.returncode, result.stdout, result.stderr
