"""Capitalised phrases of a text that may name something, beside the names spaCy finds.

spaCy's small model misses names ("Hook of Holland", "FNV"); `capitalised_phrases` lists the
runs of capitalised words (joined by "of", "the", "for", "de", "&", …) and acronyms of a text
that do not only open a sentence (`only_at`: a capital that only ever opens a sentence says
nothing). `CALENDAR_WORDS` are capitalised but never a name. Used by `summariser.brief.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .normalise import APOSTROPHES, POSSESSIVE, plain_key, whole_word
from .stopwords import CONTENT_STOP_WORDS

__all__ = ["CALENDAR_WORDS", "MONTH_WORDS", "Words", "capitalised_phrases", "only_at"]

#: Capitalised phrases that may name something (joined by "of", "the", "and", "for", "de", "&"), and
#: acronyms: what spaCy's small model misses ("Hook of Holland", "FNV").
#: A possessive between two names, with the space after it ("Peru's Geophysical Institute").
_BETWEEN_NAMES = re.compile(rf"{POSSESSIVE.pattern}\s")
_PHRASE = re.compile(r"(?<![\w’'])[A-Z][\w’'.&-]*(?:\s(?:(?:of|the|for|de|del|da|van|von|&)\s)?[A-Z][\w’'.&-]*)*")
#: Days and months (and their short forms): capitalised, never a name.
#: The months' names and abbreviations (lower case): a number beside one is a date (`text.quantities`).
MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec".split()
)
CALENDAR_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split()) | MONTH_WORDS


def capitalised_phrases(text: str, starts: set[int], index: Words | None = None) -> list[tuple[str, int]]:
    """Capitalised phrases of ``text`` that do not open a sentence (or that run on past its first word), each
    with where it starts; ``starts`` are the offsets where the text's sentences start, ``index`` the text's
    `Words` when the caller has them."""
    words_at = index if index is not None else Words(text)
    out = []
    for line_start, line in _lines(text):
        for match in _PHRASE.finditer(line):
            at, phrase = line_start + match.start(), re.split(r"\.\s", match.group(0))[0].rstrip(".-’'")
            words = phrase.split()
            if "’s " in phrase or "'s " in phrase:  # "Peru's Geophysical Institute": two names
                head, phrase = _BETWEEN_NAMES.split(phrase, maxsplit=1)
                out.append((head, at))
                at += len(head) + 3
                words = phrase.split()
            if len(words) == 1 and plain_key(phrase) in CONTENT_STOP_WORDS:
                continue  # "We never stopped believing"
            if at in starts and only_at(words_at, phrase.split()[0], starts):  # "Dock strike …", "Dock workers …": the
                # capital only ever opens a sentence ("Late Okoro goal …"): the rest may still be a name
                rest = re.sub(r"^(?:(?:of|the|for|de|&)\s)+", "", " ".join(words[1:]))
                if not rest:
                    continue
                at, phrase = at + len(phrase) - len(rest), rest
            out.append((phrase, at))
    return out


class Words:
    """Where a text writes each of its words, found in one pass over it.

    A text's every capital is asked about (`only_at`): a scan of the text per question would be
    quadratic in its length (a 20 MB article). A word is a run of word characters and apostrophes
    (`_RUN`), bounded as `only_at` bounds it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._at: dict[str, list[int]] | None = None

    def offsets(self, word: str) -> list[int]:
        """Where ``text`` writes ``word`` as a whole word (not inside a longer run of word characters)."""
        if self._at is None:
            self._at = {}
            for match in _RUN.finditer(self.text):
                self._at.setdefault(match.group(), []).append(match.start())
        head = _RUN.match(word)
        if head is None:  # a word that does not start with a word character: rare, scanned for
            return [m.start() for m in whole_word(word, joiners=APOSTROPHES).finditer(self.text)]
        if head.end() == len(word):
            return list(self._at.get(word, ()))
        # "U.S.", "Geo-Tech": where its first run starts a whole word, the rest must follow and end there
        text, end = self.text, len(word)
        return [
            at for at in self._at.get(head.group(), ())
            if text.startswith(word, at) and not (at + end < len(text) and _RUN.match(text[at + end]))
        ]  # fmt: skip


#: A run of word characters and apostrophes: the unit `Words` indexes and `only_at` bounds a word by.
_RUN = re.compile(rf"[\w{APOSTROPHES}]+")


def only_at(words: Words, word: str, offsets: Collection[int]) -> bool:
    """Whether every place the text of ``words`` writes ``word`` (as a whole word) is one of ``offsets``: with
    the starts of the sentences, the capital only ever opens one; with the words the tagger reads as common
    words (`nlp.Analysis.common`), it is only ever a word ("Like many …"). Either way it says nothing of a name."""
    found = words.offsets(word)
    return bool(found) and all(at in offsets for at in found)


def _lines(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out
