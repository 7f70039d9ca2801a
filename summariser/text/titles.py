"""The title a text writes right before a name: whose (possessor), which organisation, what role.

News names people with a title in front: "Australia’s Treasurer Jim Chalmers", "Export-Import
Bank of the United States President and Chairman John Jovanovic", "WHO Director-General
Tedros Adhanomi Ghebreyesus", "Ontario Premier Doug Ford". `title_before` reads that phrase
back from the name — capitalised words and the connectors "of", "and", "the", "for" — up to
the first word or mark that cannot belong to a title, and splits it:

* a possessive ("Australia’s", "the European Commission’s") names the **affiliation**;
* the **role** is the run of title words (`names.TITLE_WORDS`, `names.TITLE_QUALIFIERS`: "First
  Minister") that ends the phrase, and it must hold one that is a title on its own ("Trade" or
  "Finance" alone is none; "Yesterday Smith said" has none);
* two or more words before it that do not name a country are the **organisation**
  ("Export-Import Bank of the United States", "JP Morgan"), and so is one word in capitals
  ("WHO"); one other word belongs to the role ("Treasury Secretary", "Ontario Premier"), and
  a leading country stays in the role and is the affiliation ("US Trade Representative").

`title_after` reads the other way news writes it, an apposition: "Marta Kessel, the union's
chief negotiator, said …", "Priya Raman, chief executive of Harwell Water, …": the role is a
short phrase after the comma whose last word names a role (a title word, or a noun of a doer:
"negotiator", "analyst"), with the possessor before it or the organisation after "of", "at"
or "for".

It reads what the text states; it never guesses. `summariser.brief.people` applies it to
the people of a briefing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import CONNECTORS, ROLE_WORDS, TITLE_QUALIFIERS, TITLE_WORDS, country_name
from .normalise import POSSESSIVE_END
from .stopwords import CONTENT_STOP_WORDS

__all__ = ["RANKS", "StatedTitle", "role_before_comma", "title_after", "title_before"]

#: Ranks that stand before a name (and are not in `names.TITLE_WORDS`: "Major" is a word too).
RANKS = frozenset("major colonel col lieutenant lt sergeant sgt corporal cpl private pte fusilier admiral brigadier "
                  "commander rev reverend".split())  # fmt: skip

#: How far before a name a title may start (characters).
TITLE_REACH = 160
_WORD = re.compile(r"[\w][\w.&'’-]*$")
#: A word that ends a sentence: a full stop after a word that is not an abbreviation ("U.S.", "J.").
_SENTENCE_END = re.compile(r"^(?![A-Za-z]\.$)(?!(?:[A-Za-z]\.){2,}$)[\w'’-]{2,}\.$")
#: Title words that only make a title next to another one ("Trade", "Finance"): not a head alone.
_NOT_A_HEAD = frozenset({"the", "of", "and", "us", "u.s.", "uk", "u.k.", "eu", "trade", "finance", "foreign",
                         "state", "economy", "economic", "public", "credit", "interior", "health", "party",
                         "former", "acting", "senior", "junior", "opposition", "labor", "labour",
                         *TITLE_QUALIFIERS})  # fmt: skip


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
    bare = word.lower().strip(".,")
    return bare in ROLE_WORDS or bare.startswith("director-") or _doer(word.strip(".,"))


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
        if not (_capital(token) or token.lower() in CONNECTORS or _title_word(token)):
            break
        words.insert(0, token)
    while words and words[0].lower() in CONNECTORS:
        words.pop(0)
    return words


def title_before(text: str, start: int) -> StatedTitle | None:
    """The title written right before the name that starts at ``start`` in ``text`` (None: none)."""
    words = _phrase(text, start)
    if not words:
        return None
    possessor = None
    owners = [i for i, w in enumerate(words) if len(w) > 2 and POSSESSIVE_END.search(w)]  # "’s" alone owns nothing
    if owners:
        k = owners[-1]
        owner_words = [*words[:k], words[k][:-2]]
        ands = [i for i, w in enumerate(owner_words) if w.lower() in {"and", "&"}]
        owner_words = owner_words[ands[-1] + 1 :] if ands else owner_words  # "X’s Y and India’s": India
        while owner_words and owner_words[0].lower() in CONNECTORS:
            owner_words.pop(0)
        possessor = " ".join(owner_words) or None
        words = words[k + 1 :]
    first = len(words)  # the role: the longest run of title words that ends the phrase
    while first > 0 and _title_word(words[first - 1]):
        first -= 1
    while first < len(words) and words[first].lower() in CONNECTORS:
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
    if role and not prefix and not possessor:
        role = _with_noun(text, start, words, role)
    return StatedTitle(role, organisation, possessor)


def _with_noun(text: str, start: int, words: list[str], role: str) -> str:
    """``role`` with the lower-case noun written right before the phrase ("union leader", "team doctor")."""
    before = text[max(0, start - TITLE_REACH) : start].rsplit(" ".join(words), 1)[0].split()
    noun = before[-1] if before else ""
    plain = noun.isalpha() and noun.islower() and len(noun) > 2 and not noun.endswith(("ed", "ing", "ly"))
    return f"{noun} {role}" if plain and noun not in CONTENT_STOP_WORDS | _NOT_ROLES else role


_ORG = r"[A-Z][\w.&'’-]*(?:\s+(?:(?:of|the|and|for|&)\s+)?[A-Z][\w.&'’-]*)*"
_APPOSITION = re.compile(
    rf",\s+(?:(?:the|a|an)\s+)?(?:(?P<owner>{_ORG}|the\s+[a-z]+)['’]s\s+)?"
    r"(?P<role>(?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*?)"
    rf"(?:\s+(?:of|at|for)\s+(?:the\s+)?(?P<org>{_ORG}))?\s*(?=[,.;)—–]|\s+(?:said|says|told)\b)"
)
#: Endings of nouns that name a doer, so a role ("negotiator", "analyst", "spokesman").
_DOER = re.compile(r"(?:\w{3,}er|\w{2,}or|ist|ent|ant|man|woman|person|ian|eer|ive)$")
_NOT_ROLES = frozenset({"who", "which", "whose", "whom", "said", "says", "told", "and", "but", "however", "after",
                        "other", "together", "another", "member", "number", "order", "water", "weather", "later",
                        "under", "never", "whether", "rather", "further", "power", "winter", "summer", "over",
                        "ever", "its", "his", "her", "their", "the", "event", "recent", "current",
                        "percent"})  # fmt: skip


def _doer(word: str) -> bool:
    """Whether a lower-case word names a doer, so may be a role ("negotiator", "analyst")."""
    return word.islower() and word not in _NOT_ROLES and bool(_DOER.search(word))


def title_after(text: str, end: int) -> StatedTitle | None:
    """The role an apposition states right after the name that ends at ``end`` (None: none)."""
    match = _APPOSITION.match(text, end)
    if match is None:
        return None
    words = match["role"].split()
    last = words[-1].lower()
    if any(w.lower() in _NOT_ROLES for w in words) or not (last in TITLE_WORDS or _doer(last)):
        return None
    if any(w[:1].isupper() and w.lower() not in TITLE_WORDS for w in words[1:]):
        return None  # "Jane Doe, Acme Corp director of …": not a plain role
    owner = match["owner"]
    possessor = None if owner is None or owner.startswith("the ") else owner
    return StatedTitle(match["role"], match["org"], possessor)


_ROLE_COMMA = re.compile(
    r"(?:(?P<owner>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)['’]s\s+|(?<![\w’'])(?i:its|his|her|their|whose|the)\s+)?"
    r"(?<![\w’'])(?P<role>(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*),\s*$"
)


def role_before_comma(text: str, start: int) -> StatedTitle | None:
    """The role written before a comma and the name that starts at ``start``: "Its chief executive, Priya Raman"."""
    match = _ROLE_COMMA.search(text[max(0, start - 80) : start])
    if match is None:
        return None
    words = match["role"].split()
    last = words[-1].lower()
    if any(w in _NOT_ROLES for w in words) or not (last in TITLE_WORDS or _doer(last)):
        return None
    return StatedTitle(match["role"], None, match["owner"])
