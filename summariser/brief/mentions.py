"""Mentions: what the text itself states, found without the model — countries and quotations.

Small models miss items in long lists (the 1.5B model listed 3 of seed 000's 12 countries)
and rarely copy quotations character for character. Both are properties of the text, so
they are read from it:

* `countries_in` — every country or bloc named (ISO 3166 names, common aliases such as "U.S.",
  blocs such as "European Union"), in order of first mention. Adjectives ("Chinese") are not
  mentions of a country. Names that are also common first names or US states ("Jordan",
  "Georgia", "Chad", "Jersey") are skipped when they sit in a longer capitalised name
  ("Michael Jordan", "Georgia Tech"), as is "Mexico" in "New Mexico".
* `quotes_in` — passages inside quotation marks, verbatim by construction, with a speaker
  attributed from the people the model found: the person named closest to the quote in its
  sentence as the subject or agent of a speech verb ("Carney framed …", "said Reeves"), or,
  for "he said", the last one named before it; otherwise no speaker (a phrase the article
  only quotes, "a key theme was “derisking rather than decoupling”", is nobody's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text.names import ALIASES, BLOCS, country_name, country_variants
from ..text.normalise import plain_key, whole_word
from ..text.sentences import sentence_around

#: Country names that are also people's names or US states: need care in context.
AMBIGUOUS = frozenset({"Jordan", "Georgia", "Chad", "Turkey", "Guinea", "Niger", "Mali", "Israel", "Lebanon", "Jersey"})
#: Quotations shorter than this many words are scare quotes or titles, not quotes.
MIN_QUOTE_WORDS = 3
QUOTE_MAX_CHARS = 400

#: Names of a bloc's institutions that mention the bloc itself.
EXTRA = {"European Commission": "European Union"}

_CAP_WORD = re.compile(r"[A-Z][\w'’.-]*")


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    import pycountry

    displays = {country_name(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}
    displays |= set(ALIASES.values()) | set(BLOCS.values())
    variants: set[str] = set()
    for display in filter(None, displays):
        for variant, kind in country_variants(display):
            if kind == "name" and "," not in variant and "(" not in variant:
                variants.add(_title(variant) if variant.islower() else variant)
    variants |= {"U.S.", "U.K.", "US", "UK", "EU", "USA", *EXTRA}
    ordered = sorted(variants, key=len, reverse=True)  # longest first: "South Korea" before "Korea"
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(v) for v in ordered) + r")(?![\w])")


def _title(alias: str) -> str:
    """A lower-case alias as it is written in text ("north korea" → "North Korea")."""
    return " ".join(w if w in {"of", "the", "and"} else w.capitalize() for w in alias.split())


def _in_longer_name(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start].rstrip()
    after = text[end : end + 40].lstrip()
    prev_word = before.split()[-1] if before.split() else ""
    next_word = after.split()[0] if after.split() else ""
    return bool(_CAP_WORD.fullmatch(prev_word.strip(",;:")) and not before.endswith((".", ",", ";", ":"))) or bool(
        _CAP_WORD.match(next_word) and text[end : end + 1] == " "
    )


def countries_in(text: str, limit: int = 16) -> list[str]:
    """Countries and blocs named in ``text`` (common English short names), first mention first."""
    found: dict[str, None] = {}
    for match in _country_pattern().finditer(text):
        variant = match.group(0)
        if variant in AMBIGUOUS and _in_longer_name(text, match.start(), match.end()):
            continue
        if variant == "Mexico" and text[max(0, match.start() - 4) : match.start()] == "New ":
            continue
        name = EXTRA.get(variant) or country_name(variant)
        if name is not None:
            found.setdefault(name, None)
        if len(found) >= limit:
            break
    return list(found)


@dataclass(frozen=True)
class FoundQuote:
    """A quotation found in the text (whitespace collapsed), the span inside its marks, its speaker."""

    text: str
    start: int
    end: int
    speaker: str | None


_QUOTE = re.compile(r"“((?:[^“”\n]|\n(?!\s*\n)){3,}?)”|\"((?:[^\"\n]|\n(?!\s*\n)){3,}?)\"")
_SPEECH = (
    r"(?:said|says|say|told|tells|tell|added|adds|stated|states|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|"
    r"argued|argues|warned|warns|framed|frames|called|calls|described|describes|insisted|insists|noted|notes|"
    r"wrote|writes|asked|asks|explained|explains|declared|declares|urged|urges|claimed|claims|announced|"
    r"announces|replied|replies|according\s+to)"
)
_SPEECH_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?{_SPEECH}\b", re.IGNORECASE)
_SPEECH_BEFORE = re.compile(rf"\b{_SPEECH}\W+(?:\w+\W+){{0,2}}$", re.IGNORECASE)
_PRONOUN_SAID = re.compile(r"\b(?:he|she|they)\s+(?:said|says|added|told|wrote|stated)\b", re.IGNORECASE)


def _fit(quote: str) -> str:
    if len(quote) <= QUOTE_MAX_CHARS:
        return quote
    cut = quote[:QUOTE_MAX_CHARS]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > 40 else ""


def _mentions(text: str, people: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, person)`` wherever a person is named (full name or surname), sorted."""
    out: list[tuple[int, int, str]] = []
    for name in people:
        words = name.split()
        forms = {name, words[-1]} if len(words) > 1 and len(words[-1]) > 2 else {name}
        for form in forms:
            for m in whole_word(form, joiners="").finditer(text):
                out.append((m.start(), m.end(), name))
    return sorted(out)


def _speaks(text: str, pos: int, end: int) -> bool:
    """Whether the name mentioned at ``text[pos:end]`` is the subject or agent of a speech verb."""
    after = re.split(r"[.!?\n]", text[end : end + 60], maxsplit=1)[0]
    before = re.split(r"[.!?\n]", text[max(0, pos - 40) : pos])[-1]
    return bool(_SPEECH_AFTER.search(after) or _SPEECH_BEFORE.search(before))


def _speaker(text: str, start: int, end: int, mentions: list[tuple[int, int, str]]) -> str | None:
    """The person named nearest the quote in its sentence; for "he said", the last one named before."""
    # from the quote's last character inside its closing mark: a quote ending "….”" ends its sentence
    sentence_start, sentence_end = sentence_around(text, start, max(start, end - 2))
    nearby = [
        (start - pos if pos < start else pos - end, name)
        for pos, stop, name in mentions
        if sentence_start <= pos < sentence_end and not start <= pos < end and _speaks(text, pos, stop)
    ]
    if nearby:
        return min(nearby)[1]
    if _PRONOUN_SAID.search(text[end:sentence_end]) or _PRONOUN_SAID.search(text[sentence_start:start]):
        earlier = [name for pos, _, name in mentions if pos < sentence_start]
        return earlier[-1] if earlier else None
    return None


def quotes_in(text: str, people: Sequence[str] = (), limit: int = 6) -> list[FoundQuote]:
    """Quotations of at least three words, verbatim, with a speaker where one can be attributed.

    Attributed quotes are preferred to unattributed ones when there are more than ``limit``;
    the result is in the order of the text.
    """
    mentions = _mentions(text, [p for p in people if p.strip()])
    found: list[FoundQuote] = []
    seen: set[str] = set()
    for match in _QUOTE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        raw = match.group(group).strip().rstrip(",;:")
        quote = _fit(" ".join(raw.split()))
        if len(quote.split()) < MIN_QUOTE_WORDS or plain_key(quote) in seen:
            continue
        seen.add(plain_key(quote))
        speaker = _speaker(text, match.start(), match.end(), mentions)
        found.append(FoundQuote(quote, match.start(group), match.end(group), speaker))
    if len(found) > limit:
        keep = sorted(found, key=lambda q: (q.speaker is None, q.start))[:limit]
        found = sorted(keep, key=lambda q: q.start)
    return found
