"""Capitalised phrases of a text that may name something, beside the names spaCy finds.

spaCy's small model misses names ("Hook of Holland", "FNV"); `capitalised_phrases` lists the
runs of capitalised words (joined by "of", "the", "for", "de", "&", …) and acronyms of a text
that do not only open a sentence (`only_at`: a capital that only ever opens a sentence says
nothing). `CALENDAR_WORDS` are capitalised but never a name. Used by `summariser.brief.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .normalise import STOP_WORDS, plain_key

__all__ = ["CALENDAR_WORDS", "capitalised_phrases", "only_at"]

#: Capitalised phrases that may name something (joined by "of", "the", "and", "for", "de", "&"), and
#: acronyms: what spaCy's small model misses ("Hook of Holland", "FNV").
_PHRASE = re.compile(r"(?<![\w’'])[A-Z][\w’'.&-]*(?:\s(?:(?:of|the|for|de|del|da|van|von|&)\s)?[A-Z][\w’'.&-]*)*")
#: Days and months (and their short forms): capitalised, never a name.
CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def capitalised_phrases(text: str, starts: set[int]) -> list[tuple[str, int]]:
    """Capitalised phrases of ``text`` that do not open a sentence (or that run on past its first word), each
    with where it starts; ``starts`` are the offsets where the text's sentences start."""
    out = []
    for line_start, line in _lines(text):
        for match in _PHRASE.finditer(line):
            at, phrase = line_start + match.start(), re.split(r"\.\s", match.group(0))[0].rstrip(".-’'")
            words = phrase.split()
            if "’s " in phrase or "'s " in phrase:  # "Peru's Geophysical Institute": two names
                head, phrase = re.split(r"[’']s\s", phrase, maxsplit=1)
                out.append((head, at))
                at += len(head) + 3
                words = phrase.split()
            if len(words) == 1 and plain_key(phrase) in STOP_WORDS:
                continue  # "We never stopped believing"
            if at in starts and only_at(text, phrase.split()[0], starts):  # "Dock strike …", "Dock workers …": the
                # capital only ever opens a sentence ("Late Okoro goal …"): the rest may still be a name
                rest = re.sub(r"^(?:(?:of|the|for|de|&)\s)+", "", " ".join(words[1:]))
                if not rest:
                    continue
                at, phrase = at + len(phrase) - len(rest), rest
            out.append((phrase, at))
    return out


def only_at(text: str, word: str, offsets: Collection[int]) -> bool:
    """Whether every place ``text`` writes ``word`` (as a whole word) is one of ``offsets``: with the starts
    of the sentences, the capital only ever opens one; with the words the tagger reads as common words
    (`nlp.Analysis.common`), it is only ever a word ("Like many …"). Either way it says nothing of a name."""
    found = [m.start() for m in re.finditer(rf"(?<![\w’']){re.escape(word)}(?![\w’'])", text)]
    return bool(found) and all(at in offsets for at in found)


def _lines(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out
