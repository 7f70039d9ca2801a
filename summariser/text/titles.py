"""The title a text writes right before a name: whose (possessor), which organisation, what role.

News names people with a title in front: "Australia’s Treasurer Jim Chalmers", "Export-Import
Bank of the United States President and Chairman John Jovanovic", "WHO Director-General
Tedros Adhanomi Ghebreyesus", "Ontario Premier Doug Ford". `title_before` reads that phrase
back from the name — capitalised words and the connectors "of", "and", "the", "for" — up to
the first word or mark that cannot belong to a title, and splits it:

* a possessive ("Australia’s", "the European Commission’s") names the **affiliation**;
* the **role** is the run of title words (`names.TITLE_WORDS`) that ends the phrase, and it
  must hold one that is a title on its own ("Trade" or "Finance" alone is none; "Yesterday
  Smith said" has none);
* two or more words before it that do not name a country are the **organisation**
  ("Export-Import Bank of the United States", "JP Morgan"), and so is one word in capitals
  ("WHO"); one other word belongs to the role ("Treasury Secretary", "Ontario Premier"), and
  a leading country stays in the role and is the affiliation ("US Trade Representative").

It reads what the text states; it never guesses. `summariser.brief.people` applies it to
the model's people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import TITLE_WORDS, country_name

__all__ = ["StatedTitle", "title_before"]

#: How far before a name a title may start (characters).
TITLE_REACH = 160
_CONNECTORS = frozenset({"of", "and", "the", "for", "&"})
_WORD = re.compile(r"[\w][\w.&'’-]*$")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s$")
#: A word that ends a sentence: a full stop after a word that is not an abbreviation ("U.S.", "J.").
_SENTENCE_END = re.compile(r"^(?![A-Za-z]\.$)(?!(?:[A-Za-z]\.){2,}$)[\w'’-]{2,}\.$")
#: Title words that only make a title next to another one ("Trade", "Finance"): not a head alone.
_NOT_A_HEAD = frozenset({"the", "of", "and", "us", "u.s.", "uk", "u.k.", "eu", "trade", "finance", "foreign",
                         "state", "economy", "economic", "public", "credit", "interior", "health", "party",
                         "former", "acting", "senior", "junior", "opposition", "labor", "labour"})  # fmt: skip


@dataclass(frozen=True)
class StatedTitle:
    """What the phrase before a name states (each part None when it states none)."""

    role: str | None
    organisation: str | None
    possessor: str | None

    @property
    def affiliation(self) -> str | None:
        """Whom the person represents: the possessor, the organisation, or a name or country leading the role."""
        if self.possessor:
            return self.possessor
        if self.organisation:
            return self.organisation
        first = (self.role or "").split(" ")[0]
        if first and first[:1].isupper() and first.lower().strip(".,") not in TITLE_WORDS:
            return first  # "Ontario Premier", "Barcelona coach": the place or club the title names
        return first if first and country_name(first) else None  # "US Trade Representative"


def _title_word(word: str) -> bool:
    return word.lower().strip(".,") in TITLE_WORDS or word.lower().startswith("director-")


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _phrase(text: str, start: int) -> list[str]:
    """The words right before ``start`` that may form a title (capitalised words and connectors)."""
    before = text[max(0, start - TITLE_REACH) : start]
    words: list[str] = []
    for token in reversed(re.split(r"(\s+)", before)):
        if not token:
            continue
        if token.isspace():
            if "\n" in token and words:
                break
            continue
        if not _WORD.match(token) or token[-1] in ",;:)!?" or _SENTENCE_END.search(token):
            break
        if not (_capital(token) or token.lower() in _CONNECTORS or _title_word(token)):
            break
        words.insert(0, token)
    while words and words[0].lower() in _CONNECTORS:
        words.pop(0)
    return words


def title_before(text: str, start: int) -> StatedTitle | None:
    """The title written right before the name that starts at ``start`` in ``text`` (None: none)."""
    words = _phrase(text, start)
    if not words:
        return None
    possessor = None
    owners = [i for i, w in enumerate(words) if _POSSESSIVE.match(w)]
    if owners:
        k = owners[-1]
        owner_words = [*words[:k], _POSSESSIVE.match(words[k]).group("owner")]  # type: ignore[union-attr]
        ands = [i for i, w in enumerate(owner_words) if w.lower() in {"and", "&"}]
        owner_words = owner_words[ands[-1] + 1 :] if ands else owner_words  # "X’s Y and India’s": India
        while owner_words and owner_words[0].lower() in _CONNECTORS:
            owner_words.pop(0)
        possessor = " ".join(owner_words) or None
        words = words[k + 1 :]
    first = len(words)  # the role: the longest run of title words that ends the phrase
    while first > 0 and _title_word(words[first - 1]):
        first -= 1
    while first < len(words) and words[first].lower() in _CONNECTORS:
        first += 1
    prefix, rest = words[:first], words[first:]
    if not any(w.lower().strip(".,") not in _NOT_A_HEAD for w in rest):  # "Trade", "Finance": no title alone
        return StatedTitle(None, None, possessor) if possessor else None
    organisation = None
    named = " ".join(prefix)
    if len(prefix) == 1 and not (prefix[0].isupper() and len(prefix[0]) > 1 and country_name(named) is None):
        rest = [*prefix, *rest]  # "Treasury Secretary", "Ontario Premier": one word belongs to the title
    elif prefix and country_name(named) is not None:
        rest = [*prefix, *rest]  # "United States Trade Representative": the country leads the role
    elif prefix:
        organisation = named  # "WHO", "JP Morgan", "Export-Import Bank of the United States"
    role = " ".join(rest).strip(" ,") or None
    return StatedTitle(role, organisation, possessor)
