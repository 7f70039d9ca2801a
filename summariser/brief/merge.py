"""Merge: drafts from one or more articles (or parts of a long article) → one briefing body.

Values from different drafts are de-duplicated: people by name (a name that is a shorter
form of another, "Bessent" / "Scott Bessent", is the same person), organisations and
themes by normalised text, countries through an alias table ("U.S." = "United States"),
summary bullets and quotes by fuzzy similarity (rapidfuzz). A "country" that names no
country or bloc, an organisation that is really a person or a country, and a "person" that
is really a country are dropped; a "person" that another person's affiliation names is
moved to the organisations (`names.not_a_person` decides; grounding moves and reports the
"persons" whose own name shows an organisation). Bullets are taken round-robin so that
every article contributes; grounding later drops unsupported ones and applies the
contract's list limits. Roles that articles give one person and that cannot both be true
are kept as `Conflict` entries instead of being silently resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from ..schemas import (
    BULLET_MAX_WORDS,
    HEADLINE_MAX_WORDS,
    THEMES_MAX,
    THEMES_MIN,
    Conflict,
    ConflictValue,
    Implication,
    Organisation,
    Person,
    Place,
    Quote,
    SummaryPoint,
)
from ..text import sentences
from ..text.names import country_name, fullest, not_a_person, same_person
from ..text.normalise import plain_key
from .body import Body
from .draft import Draft, distinct, same_fact

__all__ = ["SAME_QUOTE", "compatible", "fit_words", "merge", "merge_people", "nullish"]

#: rapidfuzz ratio (0–100) from which two quotes of different drafts are one quote.
SAME_QUOTE = 90.0


def fit_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` words, at a sentence end where possible."""
    text = " ".join(text.split())
    if len(text.split()) <= limit:
        return text
    kept = ""
    for sentence in sentences.pieces(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate.split()) > limit:
            break
        kept = candidate
    if kept:
        return kept
    clause = " ".join(text.split()[:limit])
    cut = max(clause.rfind(", "), clause.rfind("; "))
    return (clause[:cut] if cut > len(clause) // 2 else clause).rstrip(",;") + "…"


_NULLISH = frozenset({"", "null", "none", "n/a", "na", "unknown", "not stated", "not mentioned", "-"})


def nullish(value: str | None) -> str | None:
    """None for the strings small models write instead of JSON null ("null", "N/A", …)."""
    if value is None or value.strip().lower() in _NULLISH:
        return None
    return value.strip()


def compatible(a: str, b: str) -> bool:
    """Whether two roles can both be true ("Treasury Secretary" / "U.S. Treasury Secretary")."""
    sa, sb = set(plain_key(a).split()) - _FILLER, set(plain_key(b).split()) - _FILLER
    return sa <= sb or sb <= sa


_FILLER = frozenset({"the", "of", "and", "for", "us", "u", "s", "uk"})


def merge_people(drafts: Iterable[Draft], conflicts: list[Conflict] | None = None) -> list[Person]:
    """People from every draft, one entry per person; the first full name and first role win.

    When articles give one person roles that cannot both be true, a `Conflict` is appended
    to ``conflicts`` (the first role is kept; the conflict lists every role with its articles).
    """
    merged: list[Person] = []
    roles: dict[int, dict[str, list[str]]] = {}  # id(person) → role → doc ids
    for draft in drafts:
        for item in draft.entities.people:
            match = next((p for p in merged if same_person(p.name, item.name)), None)
            role, affiliation = nullish(item.role), nullish(item.affiliation)
            if match is None:
                match = Person(name=item.name.strip(), role=role, affiliation=affiliation)
                merged.append(match)
            else:
                if len(match.name.split()) == 1 and len(item.name.split()) > 1:
                    match.name = item.name.strip()  # "Bessent" then "Scott Bessent": keep the full name
                match.role = match.role or role
                match.affiliation = match.affiliation or affiliation
            if role:
                docs = roles.setdefault(id(match), {})
                key = next((r for r in docs if compatible(r, role)), role)
                if draft.doc_id not in docs.setdefault(key, []):
                    docs[key].append(draft.doc_id)
    for person in merged:
        by_role = roles.get(id(person), {})
        doc_sets = [set(d) for d in by_role.values()]
        if conflicts is not None and len(by_role) > 1 and len(set().union(*doc_sets)) > 1:
            values = [ConflictValue(value=r, doc_ids=d) for r, d in by_role.items()]
            conflicts.append(Conflict(field="people.role", subject=person.name, values=values))
    return merged


def _unique(values: Iterable[str], key: str = "fold") -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        k = plain_key(value) if key == "fold" else value
        if value.strip() and k not in seen:
            seen.add(k)
            out.append(value.strip())
    return out


def _round_robin(lists: Sequence[Sequence[str]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out.extend(x[i] for x in lists if i < len(x))
    return out


def merge(drafts: Sequence[Draft]) -> Body:
    """Merge the drafts of all articles (in the user's order) into one briefing body."""
    overviews = [d.overview for d in drafts]
    all_bullets = [fit_words(b, BULLET_MAX_WORDS) for b in _round_robin([d.summary for d in drafts])]
    bullets = distinct(all_bullets)  # one bullet per fact: the pipeline requires as many as there are distinct facts
    quotes: list[Quote] = []
    for d in drafts:
        for q in d.quotes:
            if all(fuzz.ratio(plain_key(q.text), plain_key(k.text)) < SAME_QUOTE for k in quotes):
                quotes.append(Quote(text=q.text, speaker=nullish(q.speaker)))
    conflicts: list[Conflict] = []
    people = merge_people(drafts, conflicts)
    countries = _unique(c for c in (country_name(x) for d in drafts for x in d.countries) if c)
    orgs = [
        n
        for n in _unique(n for d in drafts for n in d.entities.organisations)
        if country_name(n) is None and not any(same_person(n, p.name) for p in people)
    ]
    affiliations = [p.affiliation for p in people if p.affiliation]
    org_keys = {plain_key(o) for o in orgs}
    for p in people:  # a "person" that is another person's affiliation is that organisation
        if not_a_person(p.name, affiliations=affiliations) == "affiliation" and plain_key(p.name) not in org_keys:
            orgs.append(p.name)
            org_keys.add(plain_key(p.name))
    people = [p for p in people if plain_key(p.name) not in org_keys and country_name(p.name) is None]
    orgs = fullest(orgs)
    location = next((loc for loc in (nullish(o.location) for o in overviews) if loc), None)
    places = _unique((n for d in drafts for n in d.entities.places), key="fold")
    themes = _unique(_round_robin([o.themes for o in overviews]))[:THEMES_MAX]
    if len(themes) < THEMES_MIN:  # blank or repeated labels: the place, organisations, countries stand in
        themes = _unique([*themes, *(x for x in [location, *orgs, *countries] if x)])[:THEMES_MIN]
    return Body(
        headline=fit_words(overviews[0].headline, HEADLINE_MAX_WORDS).rstrip("."),
        location=location,
        summary=[SummaryPoint(text=b) for b in bullets],
        people=people,
        organisations=[Organisation(name=n) for n in orgs],
        places=[Place(name=n) for n in places],
        countries=countries,
        quotes=quotes,
        themes=themes,
        implications=[
            Implication(text=fit_words(t, BULLET_MAX_WORDS))
            for t in distinct(_round_robin([d.implications for d in drafts]))
            if not any(same_fact(t, b) for b in bullets)
        ],
        conflicts=conflicts,
    )
