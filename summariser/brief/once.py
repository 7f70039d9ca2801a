"""Each person and each organisation listed once, however often and however differently the text names it.

* `people_once` — a person named once in full and again by one name ("Julia Louis-Dreyfus" … "Julia",
  "Mr Cousens"), by a surname with a typo ("Mike Tindall" … "Tindal") or in full with a typo ("Zara Phillips"
  … "Zara Philipps") is listed once, under the full name first written.
* `organisations_once` — an organisation is listed once: a party's nickname goes when its full name is
  listed ("Tories" beside the "Conservative Party"), and a pair written with a slash when each of the two
  is named apart ("EU/IMF").
"""

from __future__ import annotations

from ..schemas import PersonDraft
from ..text.kinds import PARTY_NICKNAMES, shape_kind
from ..text.names import TITLE_WORDS, is_acronym_of
from ..text.normalise import plain_key
from ..text.titles import RANKS

__all__ = ["organisations_once", "people_once"]


def organisations_once(organisations: list[str]) -> list[str]:
    """``organisations`` once each: without a party's nickname when its full name is listed ("Tories" beside the
    "Conservative Party": `kinds.PARTY_NICKNAMES`), nor a pair written with a slash when each of the two is
    listed, a country or a bloc, or the initials of one listed ("EU/IMF" beside the International Monetary Fund).
    """
    listed = list(dict.fromkeys(organisations))
    keys = [plain_key(o) for o in listed]

    def named_apart(part: str) -> bool:
        return part in listed or shape_kind(part) == "country" or any(is_acronym_of(part, o) for o in listed)

    return [
        o for o, key in zip(listed, keys, strict=True)
        if not (key in PARTY_NICKNAMES and any(k != key and k.startswith(PARTY_NICKNAMES[key]) for k in keys))
        and not ("/" in o and all(named_apart(part.strip()) for part in o.split("/")))
    ]  # fmt: skip


def people_once(people: list[PersonDraft]) -> list[PersonDraft]:
    """``people`` without a name that is, titles aside, one word that is the first or last word of
    another's full name ("Julia" of "Julia Louis-Dreyfus", "Mr Wright" of "Ian Wright"): the same person,
    named again."""

    def bare(name: str) -> list[str]:
        words = plain_key(name).split()
        while len(words) > 1 and (words[0] in TITLE_WORDS or words[0] in RANKS):
            words.pop(0)
        return words

    bares = [bare(p.name) for p in people]
    ends = {w for words in bares if len(words) > 1 for w in (words[0], words[-1])}
    kept: list[tuple[PersonDraft, list[str]]] = []
    for p, words in zip(people, bares, strict=True):
        if len(words) == 1 and (words[0] in ends or any(_typo(words[0], end) for end in ends)):
            continue  # "Julia" of "Julia Louis-Dreyfus"; "Tindal" of "Mike Tindall"
        if not any(_misspelt(words, listed) for _, listed in kept):
            kept.append((p, words))
    return [p for p, _ in kept]


def _misspelt(name: list[str], listed: list[str]) -> bool:
    """Whether ``name`` is ``listed`` written again with a typo in one long word ("Zara Philipps" after "Zara
    Phillips"): the same words but one, of five letters or more, which differs from its counterpart by one
    letter added, dropped or changed (two from seven letters). Shorter words differ by a letter too often
    between two people ("Jon", "John")."""
    if len(name) != len(listed) or len(name) < 2:
        return False
    differ = [(a, b) for a, b in zip(name, listed, strict=True) if a != b]
    return len(differ) == 1 and _typo(*differ[0])


def _typo(a: str, b: str) -> bool:
    """Whether the word ``a`` is ``b`` with a typo: both of five letters or more, one letter added, dropped or
    changed (two from seven letters)."""
    shorter = min(len(a), len(b))
    return a != b and shorter >= 5 and _edits(a, b) <= (2 if shorter >= 7 else 1)


def _edits(a: str, b: str) -> int:
    """The letters to add, drop or change to turn ``a`` into ``b`` (Levenshtein's distance)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]
