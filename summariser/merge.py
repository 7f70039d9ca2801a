"""Merge: drafts from one or more articles (or parts of a long article) → one briefing body.

Values from different drafts are de-duplicated: people by name (a name that is a shorter
form of another, "Bessent" / "Scott Bessent", is the same person), organisations and
themes by normalised text, countries through an alias table ("U.S." = "United States"),
summary bullets and quotes by fuzzy similarity (rapidfuzz). Bullets are taken round-robin
so that every article contributes, and the contract's list limits are respected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .schemas import EntitiesDraft, Implication, Organisation, OverviewDraft, Person, Quote, SummaryPoint

COUNTRY_ALIASES = {
    "us": "United States", "u.s.": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "united states of america": "United States", "america": "United States",
    "the united states": "United States", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "britain": "United Kingdom", "great britain": "United Kingdom", "the united kingdom": "United Kingdom",
    "korea": "South Korea", "republic of korea": "South Korea", "rok": "South Korea",
    "eu": "European Union", "the european union": "European Union", "uae": "United Arab Emirates",
    "russian federation": "Russia", "prc": "China", "people's republic of china": "China",
}


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: the key for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[’'`]s\b", "", plain.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def country_name(name: str) -> str:
    """The common English short name of a country (aliases resolved), stripped."""
    clean = name.strip().strip(".")
    return COUNTRY_ALIASES.get(clean.lower(), COUNTRY_ALIASES.get(clean.lower() + ".", clean))


def same_person(a: str, b: str) -> bool:
    """True if two names denote one person: equal, or one's words end the other's."""
    fa, fb = fold(a).split(), fold(b).split()
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return long[-len(short) :] == short


@dataclass
class Draft:
    """The drafts made from one article or one part of it."""

    doc_id: str
    entities: EntitiesDraft
    overview: OverviewDraft


def merge_people(drafts: Iterable[Draft]) -> list[Person]:
    """People from every draft, one entry per person; the first full name and first role win."""
    merged: list[Person] = []
    for draft in drafts:
        for item in draft.entities.people:
            match = next((p for p in merged if same_person(p.name, item.name)), None)
            if match is None:
                merged.append(Person(name=item.name.strip(), role=item.role, affiliation=item.affiliation))
                continue
            if len(match.name.split()) == 1 and len(item.name.split()) > 1:
                match.name = item.name.strip()  # "Bessent" then "Scott Bessent": keep the full name
            match.role = match.role or item.role
            match.affiliation = match.affiliation or item.affiliation
    return merged


def _unique(values: Iterable[str], key: str = "fold") -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        k = fold(value) if key == "fold" else value
        if value.strip() and k not in seen:
            seen.add(k)
            out.append(value.strip())
    return out


def _round_robin(lists: Sequence[Sequence[str]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out.extend(x[i] for x in lists if i < len(x))
    return out


def _distinct(texts: Iterable[str], threshold: float = 80.0) -> list[str]:
    out: list[str] = []
    for text in texts:
        if all(fuzz.token_set_ratio(fold(text), fold(o)) < threshold for o in out):
            out.append(text.strip())
    return out


@dataclass
class Merged:
    """Everything of a briefing that comes from the model, merged over drafts."""

    headline: str
    location: str | None
    summary: list[SummaryPoint]
    people: list[Person]
    organisations: list[Organisation]
    countries: list[str]
    quotes: list[Quote]
    themes: list[str]
    implications: list[Implication]


def merge(drafts: Sequence[Draft]) -> Merged:
    """Merge the drafts of all articles (in the user's order) into one briefing body."""
    overviews = [d.overview for d in drafts]
    all_bullets = _round_robin([o.summary for o in overviews])
    bullets = _distinct(all_bullets)[:6]
    if len(bullets) < 3:  # near-duplicates collapsed too far: keep the model's own bullets
        bullets = _unique(all_bullets, key="exact")[:6]
    themes = _unique(_round_robin([o.themes for o in overviews]))[:6]
    if len(themes) < 2:
        themes = _unique(_round_robin([o.themes for o in overviews]), key="exact")[:6]
    quotes: list[Quote] = []
    for o in overviews:
        for q in o.quotes:
            if all(fuzz.ratio(fold(q.text), fold(k.text)) < 90 for k in quotes):
                quotes.append(Quote(text=q.text, speaker=q.speaker))
    return Merged(
        headline=overviews[0].headline.strip(),
        location=next((o.location for o in overviews if o.location), None),
        summary=[SummaryPoint(text=b) for b in bullets],
        people=merge_people(drafts),
        organisations=[Organisation(name=n) for n in _unique(n for d in drafts for n in d.entities.organisations)],
        countries=_unique(country_name(c) for d in drafts for c in d.entities.countries),
        quotes=quotes,
        themes=themes,
        implications=[Implication(text=t) for t in _distinct(_round_robin([o.implications for o in overviews]))[:6]],
    )
