"""Titles and affiliations as the sources state them next to a person's name.

`near` checks a role is written next to a mention of the person (a title before the name,
or an apposition after it); `beside` checks an affiliation is named in a sentence that names
the person. Both read the texts a `search.Grounder` indexed; `rules.check` applies them.
"""

from __future__ import annotations

import re

from ...text.names import country_variants, strip_titles
from ...text.normalise import POSSESSIVE_END, stems, whole_word, words
from .search import Grounder

__all__ = ["ROLE_GAP_AFTER", "ROLE_GAP_BEFORE", "ROLE_SUPPORT", "beside", "near"]

#: Share of a role's content words that must be stated next to the person's name.
ROLE_SUPPORT = 0.66
#: Words allowed between a role and the name it belongs to: before it ("Canada's Minister of
#: Finance X"), and after it in an apposition ("X, managing director of Y").
ROLE_GAP_BEFORE = 2
ROLE_GAP_AFTER = 4
#: Text right after a name that opens an apposition (", managing director of …", ", who is the …"), not
#: another clause (", who holds a multi-ministry brief …": no title).
_APPOSITION = re.compile(
    r"\s*[,(–—-](?!\s*(?:who|whose|which|that|where|when)\b(?!\s+(?:is|was|serves as|served as|became)\b))",
    re.IGNORECASE,
)
#: A "sentence" the splitter ended after an abbreviation ("… by U.S."): it runs on into the next one.
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")


def beside(grounder: Grounder, name: str, value: str) -> bool:
    """Whether ``value`` (an affiliation) is named in a sentence that names ``name`` (or its surname).

    "the article says the person represents" it: in their title, or in the sentence that
    mentions them ("Prime Minister Mark Carney said Canada will not …"), not anywhere in
    the article (a 1.5B model gives every official the first organisation it read).
    """
    surname = strip_titles(name).split()[-1] if strip_titles(name).split() else name
    wanted = [value, *(v for v, _ in country_variants(value))] if value else []
    pattern = whole_word(surname)
    for src in grounder.sources:
        for i, (start, end) in enumerate(src.sentences):
            if i and _ABBREVIATION_END.search(src.text[src.sentences[i - 1][0] : src.sentences[i - 1][1]]):
                start = src.sentences[i - 1][0]  # "U.S. Treasury Secretary X …" is one sentence
            sentence = src.text[start:end]
            if pattern.search(sentence) and any(whole_word(w, re.IGNORECASE).search(sentence) for w in wanted if w):
                return True
    return False


def near(grounder: Grounder, name: str, phrase: str) -> bool:
    """Whether ``phrase`` (a role) is written next to a mention of ``name``, as titles are.

    Before the name ("Canada's Minister of Finance François-Philippe Champagne") with at
    most `ROLE_GAP_BEFORE` other words between, or after it as an apposition ("Jay Horine,
    managing director of JP Morgan") with at most `ROLE_GAP_AFTER`; in the same sentence.
    Stems match when one is a prefix of the other ("commissioner" / "Commission's"), and
    two thirds of the phrase's content words must be there (`ROLE_SUPPORT`). A role the
    model inferred from further away ("finance ministries were represented by France's
    Roland Lescure" → "Minister of Finance") is not stated, so it is not supported; nor is
    one read off a possessive ("the European Commission's Valdis Dombrovskis" names his
    affiliation, not a title). After the name only an apposition counts ("X, managing director
    of Y", "X, who is …"): "Ashwini Vaishnaw, who holds a multi-ministry brief" states no role.
    """
    want = stems(phrase)
    if not want:
        return True
    size = len(words(phrase))
    for ev in grounder.person(name):
        src = next(s for s in grounder.sources if s.doc_id == ev.doc_id)
        start, end = next(((s, e) for s, e in src.sentences if s <= ev.start < e), (0, len(src.text)))
        before = words(src.text[start : ev.start])[-(size + ROLE_GAP_BEFORE) :]
        owners = [k for k, w in enumerate(before) if POSSESSIVE_END.search(w)]
        before = before[owners[-1] + 1 :] if owners else before  # "France's" is whose, not what
        tail = src.text[ev.end : max(end, ev.end)]
        after = words(tail)[: size + ROLE_GAP_AFTER] if _APPOSITION.match(tail) else []
        for side in (before, after):
            window = stems(" ".join(side))
            hits = sum(1 for w in want if any(h.startswith(w) or w.startswith(h) for h in window if len(h) > 3))
            if hits / len(want) >= ROLE_SUPPORT:
                return True
    return False
