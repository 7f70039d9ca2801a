"""How alike two values of a briefing field are: normalisation and similarity in [0, 1].

Every comparison the evaluator makes goes through this module, so that "the same value"
means one thing everywhere:

* **normalisation** — `normalise.plain_key` (case, accents, punctuation, possessives), dotted
  acronyms collapsed ("U.S." → "US"), country aliases expanded word by word ("US" →
  "united states", "UK" → "united kingdom"), titles stripped from people's names
  (`names.strip_titles`: "Treasury Secretary Scott Bessent" → "Scott Bessent");
* **similarity** of list items (people, organisations, places, countries, quotes, themes), which
  the pairing (`pairing.pair`) compares with a threshold;
* **attribute matches** (role, affiliation, speaker): a token-overlap F1 of at least
  `ATTRIBUTE_MATCH`, so that "Minister of Finance" = "Finance Minister" and "President and
  Chairman" ≈ "President", but "Treasury Secretary" ≠ "Secretary of State";
* **scalar keys** (event date, location): exact after normalisation.

Everything here is deterministic and imports nothing of the pipeline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import fuzz

from summariser.text.names import ALIASES, BLOCS, DEMONYMS, country_name, same_person, strip_titles
from summariser.text.normalise import plain_key, stem
from summariser.text.stopwords import LABEL_STOP_WORDS

__all__ = [
    "ATTRIBUTE_MATCH",
    "SIMILARITY",
    "attribute_match",
    "canonical_country",
    "canonical_words",
    "country_similarity",
    "label_similarity",
    "location_key",
    "name_key",
    "name_similarity",
    "place_similarity",
    "quote_similarity",
    "token_f1",
]

#: Token-overlap F1 at or above which two attribute values (role, affiliation, speaker) match.
ATTRIBUTE_MATCH = 0.6
#: Similarity of a list item that is a strict subset of the other's words ("Treasury" ⊂ "US Treasury").
SUBSET_SIMILARITY = 0.9
#: Similarity of a surname-only mention of a person ("Bessent" ≈ "Scott Bessent").
SURNAME_SIMILARITY = 0.9

_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_ALIAS_WORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(plain_key(alias).split()): tuple(plain_key(target).split())
    for alias, target in (*ALIASES.items(), *BLOCS.items())
}
_LONGEST_ALIAS = max(len(key) for key in _ALIAS_WORDS)
_DEMONYM_INDEX = {plain_key(d): country for country, names in DEMONYMS.items() for d in names}
_PLACE_ALIASES = {"washington dc": "washington", "new york city": "new york", "nyc": "new york"}


@lru_cache(maxsize=1 << 14)
def canonical_words(text: str) -> tuple[str, ...]:
    """``text`` folded into words, acronyms collapsed and country aliases expanded.

    "the U.S. Treasury" → ("the", "united", "states", "treasury"); "UK" → ("united", "kingdom").
    """
    words = plain_key(_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST_ALIAS, len(words) - i), 0, -1):
            target = _ALIAS_WORDS.get(tuple(words[i : i + n]))
            if target is not None:
                out.extend(target)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def _content(text: str) -> list[str]:
    """Stemmed content words of a label or attribute value (`LABEL_STOP_WORDS` left out)."""
    return [stem(w) for w in canonical_words(text) if w not in LABEL_STOP_WORDS]


def canonical_country(text: str) -> str | None:
    """The common English short name of the country or bloc ``text`` names (aliases and demonyms too)."""
    return country_name(text) or _DEMONYM_INDEX.get(plain_key(text))


def name_key(name: str) -> str:
    """A person's name as compared: titles and possessives stripped, folded, aliases expanded."""
    return " ".join(canonical_words(strip_titles(name)))


def name_similarity(a: str, b: str) -> float:
    """Similarity of two people's names: 1 when equal once normalised, 0.9 for a surname-only form.

    Otherwise rapidfuzz's token-sort ratio, so word order ("Koo Yun-Cheol") and small spelling
    differences cost little.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    score = fuzz.token_sort_ratio(ka, kb) / 100
    if same_person(ka, kb):
        score = max(score, SURNAME_SIMILARITY)
    return score


def label_similarity(a: str, b: str) -> float:
    """Similarity of two organisation names or theme labels.

    1 when their stemmed content words are the same (in any order); 0.9 when one's words are
    a subset of the other's ("Export-Import Bank" ⊂ "Export-Import Bank of the United States");
    otherwise rapidfuzz's token-set ratio.
    """
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return 0.0
    if sorted(wa) == sorted(wb):
        return 1.0
    return min(SUBSET_SIMILARITY, fuzz.token_set_ratio(" ".join(wa), " ".join(wb)) / 100)


def country_similarity(a: str, b: str) -> float:
    """1 when both name the same country or bloc ("U.S." = "United States"), 0 for two different ones.

    A value that names no known country is compared by rapidfuzz ratio of the folded text.
    """
    ca, cb = canonical_country(a), canonical_country(b)
    if ca is not None and cb is not None:
        return 1.0 if ca == cb else 0.0
    fa, fb = plain_key(a), plain_key(b)
    if not fa or not fb:
        return 0.0
    return 1.0 if fa == fb else fuzz.ratio(fa, fb) / 100


def quote_similarity(a: str, b: str) -> float:
    """Character-level similarity of two quotes once folded (quotes are verbatim, so no word games)."""
    fa, fb = plain_key(a), plain_key(b)
    if not fa or not fb:
        return 0.0
    return 1.0 if fa == fb else fuzz.ratio(fa, fb) / 100


def token_f1(a: str, b: str) -> float:
    """F1 of the stemmed content words two values share (a multiset overlap, as in SQuAD)."""
    ca, cb = Counter(_content(a)), Counter(_content(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(cb.values()), common / sum(ca.values())
    return 2 * precision * recall / (precision + recall)


def _affiliation_key(value: str) -> str:
    country = canonical_country(value)
    return country if country is not None else value


def attribute_match(gold: str | None, pred: str | None, kind: str) -> bool:
    """Whether a predicted attribute (``kind`` = role, affiliation or speaker) matches the gold one.

    Both null is a match (the source states none and the prediction invents none); one null
    is a mismatch. Otherwise: token-overlap F1 ≥ `ATTRIBUTE_MATCH`, after mapping countries to
    one name for affiliations ("UK" = "United Kingdom") and stripping titles for speakers
    (a surname-only speaker matches the full name).
    """
    if gold is None or pred is None or not gold.strip() or not pred.strip():
        return (gold is None or not gold.strip()) and (pred is None or not pred.strip())
    if kind == "affiliation":
        gold, pred = _affiliation_key(gold), _affiliation_key(pred)
    elif kind == "speaker":
        if same_person(name_key(gold), name_key(pred)):
            return True
        gold, pred = name_key(gold), name_key(pred)
    return token_f1(gold, pred) >= ATTRIBUTE_MATCH


def location_key(value: str | None) -> str | None:
    """A location as compared: its most specific part (before the first comma), folded.

    Countries map to one name ("the UK" → "united kingdom") and a few city aliases to one form
    ("Washington, D.C." → "washington").
    """
    if value is None or not value.strip():
        return None
    first = value.split(",")[0]
    country = canonical_country(first)
    if country is not None:
        return plain_key(country)
    key = " ".join(canonical_words(first))
    key = key[4:] if key.startswith("the ") else key
    return _PLACE_ALIASES.get(key, key) or None


def place_similarity(a: str, b: str) -> float:
    """1 when two places are one as `location_key` compares them ("Lima" = "Lima, Peru"), else as labels."""
    ka, kb = location_key(a), location_key(b)
    if ka is not None and ka == kb:
        return 1.0
    return label_similarity(a, b)


#: The similarity of each list field's items (the value compared is the item's text or name).
SIMILARITY: dict[str, Callable[[str, str], float]] = {
    "people": name_similarity,
    "organisations": label_similarity,
    "places": place_similarity,
    "countries": country_similarity,
    "quotes": quote_similarity,
    "themes": label_similarity,
}
