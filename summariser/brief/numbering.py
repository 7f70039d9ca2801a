"""Numbered sentences: the article as the model reads it, and the sentences its answers point at.

The model answers the overview with sentence *numbers* (`OverviewDraft.summary`,
``.implications``), not with copied text: the bullets and implications are then the
article's own sentences — verbatim by construction (a claim cannot reverse who did what to
whom, and commentary such as "the article highlights…" cannot be written at all) — and the
answer is a few tokens instead of a hundred.

`number` cuts a text into units (`summariser.text.nlp`: sentences that know abbreviations,
and a line break ends one) and writes one line each; only the units that are sentences get
a number (`is_sentence`: headings, list items and date lines are shown but cannot be picked).
A unit that holds text addressed to the model (`summariser.text.guard.spans`) is shown with
that text replaced by `guard.MARKER` and gets no number; special tokens are defused. A wire
dateline that opens a sentence ("ROTTERDAM, March 4 (Reuters) -": `text.datelines`) is shown on
a line of its own, without a number: the sentence, and so every claim picked from it, starts
after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text import guard, nlp, sentences
from ..text.datelines import dateline

__all__ = ["PICK_MIN_WORDS", "UNMARKED_MIN_WORDS", "Numbered", "is_sentence", "number"]


#: A unit of text with fewer words than this is no sentence to pick ("GENEVA (Reuters)", a date line).
PICK_MIN_WORDS = 4
#: A unit without a final mark is a sentence only from this many words (a caption run into the text),
#: else it is a heading, a list item or a menu line ("US convenes allies to strengthen …", "• Focus on …").
UNMARKED_MIN_WORDS = 12


@dataclass(frozen=True)
class Numbered:
    """A text cut into units, the sentences among them numbered 1, 2, … in order."""

    source: str
    """The text the offsets point into."""
    spans: tuple[tuple[int, int], ...]
    """``[start, end)`` of sentence n at index n − 1 (only the numbered units)."""
    prompt: str
    """What the model reads: ``[n] sentence`` lines, other units (headings, list items, text
    addressed to the model as `guard.MARKER`) as lines without a number."""

    def sentence(self, n: int) -> str | None:
        """The text of sentence ``n`` (1-based), its spaces collapsed, or None when there is no such sentence."""
        if not 1 <= n <= len(self.spans):
            return None
        start, end = self.spans[n - 1]
        return " ".join(self.source[start:end].split())  # a wrapped sentence (`nlp.WRAP_WIDTH`) on one line

    def picked(self, numbers: Iterable[int]) -> list[str]:
        """The sentences ``numbers`` point at, in the order given, each once; bad numbers left out."""
        out: list[str] = []
        seen: set[int] = set()
        for n in numbers:
            text = self.sentence(n)
            if text is not None and n not in seen:
                seen.add(n)
                out.append(text)
        return out


def is_sentence(unit: str) -> bool:
    """Whether a unit of text is a sentence that can be picked (see `PICK_MIN_WORDS`, `UNMARKED_MIN_WORDS`)."""
    count = len(unit.split())
    if count < PICK_MIN_WORDS or (not unit[:1].isalnum() and unit[:1] not in "\"'“‘("):
        return False
    return sentences.ends_like_sentence(unit) or count >= UNMARKED_MIN_WORDS


def _units(text: str) -> list[tuple[int, int]]:
    """The sentence spans of ``text``, each wire dateline cut off its sentence as a unit of its own."""
    units = []
    for start, end in nlp.analyse(text).sentences:
        found = dateline(text[start:end])
        if found is not None and text[start + found.end : end].strip():
            units.append((start, start + len(text[start : start + found.end].rstrip())))
            start += found.end
        units.append((start, end))
    return units


def number(text: str, hidden: list[tuple[int, int]] | None = None) -> Numbered:
    """``text`` as numbered sentences (see the module docstring); ``hidden``: its `guard.spans`, if found already."""
    hidden = guard.spans(text) if hidden is None else hidden
    lines, spans = [], []
    for start, end in _units(text):
        inside = [(max(s, start), min(e, end)) for s, e in hidden if s < end and e > start]
        pieces, last = [], start
        for s, e in inside:
            pieces += [text[last:s], guard.MARKER]
            last = e
        pieces.append(text[last:end])
        shown = guard.defuse(" ".join("".join(pieces).split()))
        if not inside and is_sentence(text[start:end]):
            spans.append((start, end))
            lines.append(f"[{len(spans)}] {shown}")
        else:
            lines.append(shown)
    return Numbered(text, tuple(spans), "\n".join(lines))
