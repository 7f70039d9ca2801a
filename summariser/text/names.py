"""Names: countries and blocs, titles, people and organisations, shared by brief and evaluation.

Names are compared by `summariser.text.normalise.plain_key` (lower case, no accents,
possessives or punctuation).

* `country_name` — the common English short name of a country or bloc ("U.S." → "United
  States", "UK" → "United Kingdom", "Korea, Republic of" → "South Korea"), or None if the
  text names no country (ISO 3166 data from pycountry, plus common aliases);
* `country_variants` — every way a text may name a country (names, aliases, demonyms);
* `CONNECTORS`, `LEADING_ARTICLE`, `after_possessive` — the small words inside a name, the
  article before one, the words after a possessive: what cleaning a name written in a text reads;
* `strip_titles` — a name without its leading titles ("Treasury Secretary Scott Bessent");
* `not_a_person` — whether a "person" is an organisation's name or a topic;
* `same_person` — whether two names denote one person ("Bessent" ≈ "Scott Bessent").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal

from .demonyms import DEMONYMS
from .normalise import POSSESSIVE, plain_key

__all__ = [
    "ALIASES",
    "BLOCS",
    "CONNECTORS",
    "DEMONYMS",
    "LEADING_ARTICLE",
    "ORG_WORDS",
    "REGIONS",
    "ROLE_WORDS",
    "TITLE_QUALIFIERS",
    "TITLE_WORDS",
    "TOPIC_WORDS",
    "after_possessive",
    "country_name",
    "country_variants",
    "fullest",
    "initials",
    "is_acronym_of",
    "is_region",
    "not_a_person",
    "same_person",
    "strip_titles",
]

#: Names people use that ISO 3166 does not list, and preferred short forms.
ALIASES = {
    "us": "United States",
    "u s": "United States",
    "usa": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u k": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "england": "United Kingdom",
    "korea": "South Korea",
    "republic of korea": "South Korea",
    "rok": "South Korea",
    "north korea": "North Korea",
    "dprk": "North Korea",
    "russia": "Russia",
    "russian federation": "Russia",
    "turkey": "Turkey",
    "turkiye": "Turkey",
    "prc": "China",
    "mainland china": "China",
    "uae": "United Arab Emirates",
    "emirates": "United Arab Emirates",
    "palestine": "Palestine",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "czech republic": "Czechia",
    "ivory coast": "Côte d'Ivoire",
    "macedonia": "North Macedonia",
    "vatican": "Holy See",
}
#: Blocs the contract allows in ``countries``.
BLOCS = {
    "eu": "European Union",
    "european union": "European Union",
    "asean": "ASEAN",
    "african union": "African Union",
    "g7": "G7",
    "g20": "G20",
    "nato": "NATO",
    "opec": "OPEC",
    "brics": "BRICS",
    "gulf cooperation council": "Gulf Cooperation Council",
}
#: Words that open a capitalised phrase without being part of a name ("Treasury Secretary …").
TITLE_WORDS = frozenset(
    """mr mrs ms dr sir dame lord lady president vice chairman chairwoman chair chief executive director
    managing minister ministers secretary deputy prime treasurer chancellor exchequer premier governor
    senator representative ambassador commissioner spokesperson spokesman spokeswoman general trade finance
    foreign defence defense state economy economic public credit interior justice health former acting
    us u.s. uk u.k. eu king queen prince princess duke duchess countess baroness mayor judge justice officer
    head leader the of and senior junior attorney opposition party labor labour manager coach captain striker
    goalkeeper midfielder defender forward founder owner ceo cfo coo boss professor inspector detective sergeant
    commander colonel lieutenant spokesperson correspondent editor director-general secretary-general mp qc sgt
    spc pc cpl pte lt capt col gen cmdr insp det supt""".split()
)
#: Words that qualify a title and are never a name alone: "District Judge Kevin Grey", "Scottish First
#: Minister Nicola Sturgeon", "Shadow Chancellor". A candidate that is only one is no name, and one
#: that leads a title is the title's, not an organisation.
TITLE_QUALIFIERS = frozenset("first district circuit shadow interim".split())
#: The words a stated role is made of: `TITLE_WORDS` and `TITLE_QUALIFIERS` ("District Judge").
ROLE_WORDS = TITLE_WORDS | TITLE_QUALIFIERS

_OVERRIDES = {"Russian Federation": "Russia", "Türkiye": "Turkey", "Korea, Republic of": "South Korea"}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        display = getattr(country, "common_name", None) or country.name
        display = _OVERRIDES.get(country.name, _OVERRIDES.get(display, display))
        for attr in ("name", "common_name", "official_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(plain_key(value), display)
    for alias, display in ALIASES.items():
        index[plain_key(alias)] = display
    return index


def country_name(text: str) -> str | None:
    """The common English short name of the country or bloc ``text`` names, else None."""
    key = plain_key(text)
    key = key[4:] if key.startswith("the ") else key
    if not key:
        return None
    if key in BLOCS:
        return BLOCS[key]
    return _country_index().get(key)


def after_possessive(text: str) -> list[str]:
    """The words of ``text`` after its last possessive ("Australia’s Treasurer Jim Chalmers" → Treasurer, Jim,
    Chalmers), without the dots, hyphens and apostrophes left at either end."""
    return POSSESSIVE.split(text)[-1].strip(" .-'’").split()


def strip_titles(name: str) -> str:
    """``name`` without leading titles and possessives ("Treasury Secretary Scott Bessent" → "Scott Bessent").

    One word after a last "of" is the title's territory, not the name: "Princess Eugenie of York" is
    "Eugenie", and "Duchess of Cambridge", a title with no name in it, stays whole (not "Cambridge")."""
    words = after_possessive(name)
    titles = [i for i, w in enumerate(words) if w.lower().strip(".,") in TITLE_WORDS]
    if titles and titles[-1] == len(words) - 2 and words[-2].lower() == "of":
        named = [w for w in words[:-2] if w.lower().strip(".,") not in TITLE_WORDS]
        return " ".join(named) if named else " ".join(words)
    if titles and titles[-1] + 1 < len(words):
        words = words[titles[-1] + 1 :]
    return " ".join(words)


@lru_cache(maxsize=256)
def country_variants(display: str) -> tuple[tuple[str, str], ...]:
    """Every way a text may name the country ``display``: ``(variant, "name"|"demonym")`` pairs.

    Names first (the display name, ISO 3166 names, aliases such as "U.S." for the United States),
    then adjectives of nationality.
    """
    import pycountry

    key = country_name(display) or display
    names: dict[str, None] = {key: None}
    for country in pycountry.countries:
        common = getattr(country, "common_name", None) or country.name
        if _OVERRIDES.get(country.name, _OVERRIDES.get(common, common)) == key:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    names.setdefault(value, None)
    for alias, target in (*ALIASES.items(), *BLOCS.items()):
        if target == key and "u s" not in alias and "u k" not in alias:
            names.setdefault(alias.upper() if len(alias) <= 4 else alias, None)
    pairs = [(n, "name") for n in names] + [(d, "demonym") for d in DEMONYMS.get(key, ())]
    return tuple(sorted(pairs, key=lambda p: (p[1] != "name", -len(p[0]))))


#: Words that make a name an organisation's, not a person's.
ORG_WORDS = frozenset(
    """bank ministry department office agency commission council committee fund group inc corp corporation
    company co ltd llc plc association university institute reserve union party bureau authority board court
    parliament congress senate government administration exchange organisation organization foundation
    federation alliance coalition network news media holdings securities
    treasury""".split()
)
#: The small words that join the words of one name or title ("Bank of England", "Procter & Gamble",
#: "Minister for the Economy"): part of a name between its words, never at its ends.
CONNECTORS = frozenset({"of", "and", "the", "for", "&"})
#: An article before a name as a text writes it ("the European Commission"): no part of the name.
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
#: Words that make a name a subject or portfolio ("Information Technology", "Railways").
TOPIC_WORDS = frozenset(
    """technology technologies information broadcasting railways electronics economy productivity
    implementation simplification security energy trade finance affairs resources development infrastructure
    industry commerce agriculture education transport environment defence defense health""".split()
)


def not_a_person(
    name: str, *, organisations: Iterable[str] = (), affiliations: Iterable[str] = ()
) -> Literal["affiliation", "organisation", "topic"] | None:
    """Why a "person" called ``name`` is not one, or None when it may be a person's name.

    The one decision on a "person" that is really an organisation or a subject, first match wins:

    * ``"affiliation"`` — the name is one of ``affiliations``, the organisations the other
      people are said to belong to ("Baltic Cereals", listed as a person and as Tomas
      Rinne's employer): the drafts say themselves what it is, so `merge` moves it to the
      organisations while merging (before the themes fall back on organisations);
    * ``"organisation"`` — the name has an organisation word (`ORG_WORDS`: "Export-Import
      Bank") or is one of ``organisations``; ``"topic"`` — it names a subject or portfolio
      (`TOPIC_WORDS`: "Information Technology"). Grounding moves the first to the
      organisations and drops the second, and reports both.
    """
    key = plain_key(name)
    if key in {plain_key(a) for a in affiliations}:
        return "affiliation"
    words = set(key.split())
    if words & ORG_WORDS or key in {plain_key(o) for o in organisations}:
        return "organisation"
    if words and words <= TOPIC_WORDS | {"and", "of", "the", "for"}:
        return "topic"
    return None


def same_person(a: str, b: str) -> bool:
    """True if two names denote one person: equal after folding, or one ends the other."""
    fa, fb = plain_key(a).split(), plain_key(b).split()
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return long[-len(short) :] == short


def fullest(names: Sequence[str]) -> list[str]:
    """``names`` without any that is a shorter form of another ("Treasury" beside "US Treasury"), in order.

    Two names that differ only in full stops ("U.S. Treasury", "US Treasury") are one: the first is kept.
    """
    keys = {n: f" {plain_key(n.replace('.', ''))} " for n in names}  # "U.S. Treasury" = "US Treasury"
    kept: list[str] = []
    for n in names:
        longer = any(keys[o] != keys[n] and keys[n] in keys[o] for o in names)
        if not longer and all(keys[k] != keys[n] for k in kept):
            kept.append(n)
    return kept


#: World regions: named like organisations ("the Indo-Pacific"), but no one's organisation.
REGIONS = frozenset(
    {"indo-pacific", "asia-pacific", "asia pacific", "north america", "south america", "latin america", "europe",
     "asia", "africa", "middle east", "the middle east", "the west", "global south", "the global south", "arctic",
     "the arctic", "caribbean", "the caribbean", "balkans", "the balkans", "sahel", "the sahel", "gulf", "the gulf",
     "east asia", "southeast asia", "south asia", "central asia", "western europe", "eastern europe", "oceania",
     "sub-saharan africa", "north africa", "west africa", "east africa", "scandinavia", "nordics", "the nordics"}
)  # fmt: skip


def is_region(name: str) -> bool:
    """Whether ``name`` is a world region (`REGIONS`), not an organisation."""
    return " ".join(name.lower().split()).strip(" .,") in REGIONS


def initials(name: str) -> str:
    """The first letters of ``name``'s capitalised words ("CPS" of "Crown Prosecution Service")."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'&-]*", name))


def is_acronym_of(short: str, full: str) -> bool:
    """Whether ``short`` is written in capitals as the initials of ``full``'s capitalised words ("CPS" of
    "Crown Prosecution Service", "SNP" of "Scottish National Party"): one organisation, named twice."""
    return short.isupper() and len(short) >= 2 and short == initials(full) and short != full
