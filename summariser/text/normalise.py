"""Normalising text for comparison: folded characters, offset-keeping normalisation, stems, name keys.

One home for the ways two pieces of text are made comparable:

* `strip_accents` — NFKD with the combining marks dropped ("é" → "e");
* `fold_chars` — `strip_accents` after typographic quote marks and dashes are made ASCII
  (`QUOTES`, `DASHES`): the character folding grounding and `stems` share;
* `normalise` → `Normalised` — `fold_chars` plus whitespace runs collapsed and acronym
  periods dropped ("U.S." = "US"), with, for every character, its offset in the original,
  so that a match found in the normalised text maps back to the source;
* `words` / `stem` / `stems` / `numbers` — the words of a text, the one stemmer (Snowball's
  English), the stems of a text's content words (`stopwords.CONTENT_STOP_WORDS` left out), the
  numbers it states without thousands separators;
* `POSSESSIVE`, `POSSESSIVE_END`, `APOSTROPHE_END` — a possessive ("France’s", "France's")
  inside a text, ending a word, and ending a name with the bare apostrophe of a plural
  ("Reuters’"): the one spelling of each for every module that reads or cleans names;
* `whole_word` — the one whole-word matcher: a name or word not inside a longer one, where
  what joins words into one is word characters and `HYPHEN` (the default), `APOSTROPHES`, or
  word characters alone;
* `plain_key` — the plain comparison key of a name or a short label (an organisation, a
  theme, a role, a quote): lower case, no accents, no possessives, no punctuation
  ("François-Philippe Champagne’s" → "francois philippe champagne"). The evaluator builds
  its person-name key on it (`summariser.evaluation.scoring.similarity.name_key`: titles stripped,
  country aliases expanded).

Not here: the prompt-injection guard's own key (`summariser.text.guard.skeleton_key`, which
reads text as the model's tokens would: NFKC, look-alike letters, right-to-left runs).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer

from .stopwords import CONTENT_STOP_WORDS

__all__ = [
    "APOSTROPHES",
    "APOSTROPHE_END",
    "DASHES",
    "HYPHEN",
    "POSSESSIVE",
    "POSSESSIVE_END",
    "QUOTES",
    "Normalised",
    "fold_chars",
    "normalise",
    "numbers",
    "offsets_for",
    "plain_key",
    "stem",
    "stems",
    "strip_accents",
    "whole_word",
    "words",
]

#: Typographic quote marks, primes and accents used as apostrophes, made ASCII (``str.translate`` table).
QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
#: Hyphens, dashes and the minus sign, made ``-`` (``str.translate`` table).
DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
#: What joins word characters into one word besides themselves, for `whole_word`: a hyphen ("Ford-Smith") …
HYPHEN = "-"
#: … or an apostrophe ("it's", "France’s", "O'Neill").
APOSTROPHES = "’'"
#: A possessive "’s" (or "'s") ending a word, wherever it stands ("France’s exports").
POSSESSIVE = re.compile(r"['’]s\b")
#: A word that ends in a possessive ("Australia’s"): the rest of the word is its owner.
POSSESSIVE_END = re.compile(r"['’]s$")
#: What a name as listed is cleaned of at its end: a possessive, or the bare apostrophe of a plural one ("Reuters’").
APOSTROPHE_END = re.compile(r"['’]s?$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def strip_accents(text: str) -> str:
    """``text`` in NFKD with every combining mark dropped ("Müller" → "Muller")."""
    if text.isascii():  # NFKD leaves ASCII as it is, and no ASCII character combines
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold_chars(text: str) -> str:
    """``text`` with quote marks and dashes made ASCII (`QUOTES`, `DASHES`), then `strip_accents`."""
    return strip_accents(text.translate(QUOTES).translate(DASHES))


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, for every character of it, its offset in the original."""

    text: str
    lower: str
    origin: array[int]
    """One machine integer per character (a tuple of ints would cost 36 bytes each: 0.7 GB for 20 MB)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


#: Characters folded into one string at a time by `normalise` (a list of one-character strings costs 8 bytes each).
_BLOCK = 1 << 16
#: What `normalise` does more than copy: a run of white space, a period, a character beyond ASCII
#: (`QUOTES`, `DASHES`, NFKD). A run of other characters is copied in one piece, offsets and all.
_SPECIAL = re.compile(r"\s+|\.|[^\x00-\x7f]")


def offsets_for(text: str) -> array[int]:
    """An empty array for offsets into ``text`` (4 bytes each when they fit, else 8)."""
    return array("i" if len(text) < 2**31 else "q")


def normalise(text: str) -> Normalised:
    """Fold quote marks, dashes, diacritics, whitespace runs and acronym periods; keep offsets.

    Character by character in effect, but a run of ASCII between two `_SPECIAL` characters is
    copied in one go: a 20 MB article is normalised in seconds, not a minute.
    """
    blocks: list[str] = []
    pieces: list[str] = []
    held = 0  # characters in ``pieces``
    origin = offsets_for(text)
    last = ""

    def add(piece: str, start: int) -> None:
        nonlocal held, last
        pieces.append(piece)
        origin.extend(range(start, start + len(piece)))
        held += len(piece)
        last = piece[-1]

    at = 0
    for m in _SPECIAL.finditer(text):
        i = m.start()
        if i > at:
            add(text[at:i].translate(QUOTES), at)  # ASCII: only the backtick is folded (to an apostrophe)
        at = m.end()
        c = m[0]
        if c[0].isspace():
            if last and last != " ":
                add(" ", i)
        elif c == ".":
            if not (i > 0 and text[i - 1].isalpha() and (i < 2 or not text[i - 2].isalnum())):
                add(c, i)  # else "U.S." → "US", "J. Smith" → "J Smith"
        else:
            for d in unicodedata.normalize("NFKD", c.translate(QUOTES).translate(DASHES)):  # `fold_chars`
                if not unicodedata.combining(d):
                    add(d, i)
        if held >= _BLOCK:
            blocks.append("".join(pieces))
            pieces.clear()
            held = 0
    if len(text) > at:
        add(text[at:].translate(QUOTES), at)
    folded = "".join([*blocks, *pieces])
    blocks.clear()  # let the pieces go before the lower-case copy is made
    pieces.clear()
    if last == " ":
        folded = folded[:-1]
        origin.pop()
    return Normalised(folded, "".join(_lowered(folded)), origin)


def _lowered(folded: str) -> Iterator[str]:
    """``folded`` in lower case, one character for one (a character whose lower case is longer stays as it is)."""
    for k in range(0, len(folded), _BLOCK):
        block = folded[k : k + _BLOCK]
        if block.isascii():  # every ASCII character lowers to one; and no final sigma to read in context
            yield block.lower()
        else:
            yield "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in block)


def words(text: str) -> list[str]:
    """The words and numbers of ``text`` in order ("France's" and "1,000" are one word each)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """One word's Snowball (English) stem, memoised: the pure-Python stemmer is the cost of grounding."""
    return str(_stemmer().stemWord(word))


def stems(text: str) -> frozenset[str]:
    """Snowball stems of the content words of ``text`` (`CONTENT_STOP_WORDS` and numbers left out)."""
    found = [w.lower().replace("’", "'") for w in words(fold_chars(text))]
    found = [w.split("'")[0] for w in found if w not in CONTENT_STOP_WORDS and not w[0].isdigit()]
    return frozenset(stem(w) for w in found if len(w) > 1 and w not in CONTENT_STOP_WORDS)


def numbers(text: str) -> set[str]:
    """The numbers a text states, without thousands separators ("1,000" → "1000")."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def plain_key(text: str) -> str:
    """The plain comparison key of a name or label: lower case, `strip_accents`, no possessives or punctuation."""
    plain = strip_accents(text).lower().replace("`", "'")  # a backtick typed for an apostrophe is one
    plain = POSSESSIVE.sub("", plain)
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def whole_word(needle: str, flags: int = 0, *, joiners: str = HYPHEN) -> re.Pattern[str]:
    """``needle`` as a whole word: not inside a longer run of word characters and ``joiners``.

    With `HYPHEN` (the default) a hyphenated name is one word ("Ford" is not in "Ford-Smith"); with
    `APOSTROPHES` a contraction or possessive is ("it" is not in "it's"); with "" only word
    characters join ("Ford" is in "Ford-Smith" and in "Ford's").
    """
    edge = rf"[\w{re.escape(joiners)}]"
    return re.compile(rf"(?<!{edge}){re.escape(needle)}(?!{edge})", flags)
