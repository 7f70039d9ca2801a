"""How a text is shown to spaCy (`summariser.text.nlp`): in pieces, long runs broken, wrapped lines found.

Pieces keep every offset: `line_pieces` cuts a long text at line breaks (and a line longer than
`PIECE_CHARS` at a space), `breakable` makes a space of every `LONG_RUN`-th character of a longer
run without one (same length), and `soft_breaks` finds the line breaks that only wrap a paragraph
(`WRAP_WIDTH`), which end no sentence.
"""

from __future__ import annotations

import re

from .sentences import ends_like_sentence

__all__ = ["LONG_RUN", "PIECE_CHARS", "WRAP_SLACK", "WRAP_WIDTH", "breakable", "line_pieces", "soft_breaks"]

#: Longest text given to spaCy at once (its own limit is 1,000,000 characters): a longer one is
#: parsed line by line, and a line longer than this — no news text has one — is cut at a space.
PIECE_CHARS = 100_000


def line_pieces(text: str) -> list[tuple[int, str]]:
    """``text`` as (offset, line) pieces: a line break ends a sentence anyway, so lines are parsed apart."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        while len(line) - start > PIECE_CHARS:
            cut = line.rfind(" ", start, start + PIECE_CHARS)
            cut = cut if cut > start else start + PIECE_CHARS
            out.append((offset + start, line[start:cut]))
            start = cut
        if line[start:].strip():
            out.append((offset + start, line[start:]))
        offset += len(line) + 1
    return out


#: Longest run of characters without a space given to spaCy as it is. Its tokenizer strips one
#: prefix at a time from a word, so a longer run ("[[[[…", a base64 blob) would cost time in the
#: square of its length (16,000 "[" took 35 s); such a run is shown to it with a space every
#: `LONG_RUN` characters, or as spaces when it holds no letter or digit (same length, so every
#: offset still points into the text as given).
LONG_RUN = 100
_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def breakable(text: str) -> str:
    """``text`` with every `LONG_RUN`-th character of each longer run without a space made a space."""

    def broken(run: str) -> str:
        if not any(c.isalnum() for c in run):
            return " " * len(run)  # punctuation only ("[[[[…", "-----"): no word, no sentence, one token per mark
        return "".join(" " if (i + 1) % LONG_RUN == 0 else c for i, c in enumerate(run))

    return _RUN.sub(lambda m: broken(m[0]), text)


#: Widths at which a text is hard-wrapped (an e-mail, a plain-text wire, a terminal paste): a block
#: whose lines but the last are within `WRAP_SLACK` characters of its longest one, in this range.
WRAP_WIDTH = (50, 100)
WRAP_SLACK = 25
_BLOCK = re.compile(r"[^\n](?:[^\n]|\n(?!\s*\n))*")


def soft_breaks(text: str) -> set[int]:
    """Offsets of the line breaks that only wrap a paragraph (they end no sentence).

    A block of lines (between blank lines) is wrapped when it has at least two, every line but
    the last is within `WRAP_SLACK` characters of the longest, that is `WRAP_WIDTH` wide, no
    line opens as a list item does, and some line but the last does not end as a sentence.
    """
    soft: set[int] = set()
    for block in _BLOCK.finditer(text):
        lines = block[0].split("\n")
        widths = [len(line.rstrip()) for line in lines[:-1]]
        if not widths or not WRAP_WIDTH[0] <= max(widths) <= WRAP_WIDTH[1]:
            continue
        if min(widths) < max(widths) - WRAP_SLACK or any(not line[:1].isalnum() for line in lines[1:]):
            continue
        if all(ends_like_sentence(line) for line in lines[:-1]):
            continue
        at = block.start()
        for line in lines[:-1]:
            at += len(line)
            soft.add(at)
            at += 1
    return soft
