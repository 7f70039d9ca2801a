"""Name normalisation shared by merge (and later grounding and evaluation).

* `fold` — the comparison key of a name: lower case, no accents, no punctuation;
* `country_name` — the common English short name of a country or bloc ("U.S." → "United
  States", "UK" → "United Kingdom", "Korea, Republic of" → "South Korea"), or None if the
  text names no country (ISO 3166 data from pycountry, plus common aliases);
* `same_person` — whether two names denote one person ("Bessent" ≈ "Scott Bessent").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    us u.s. uk u.k. eu king queen prince princess mayor judge justice officer head leader the of and
    senior junior attorney opposition party labor labour""".split()
)

#: Adjectives of nationality: grounding accepts "Japanese officials" as naming Japan.
DEMONYMS = {
    "United States": ("American",),
    "United Kingdom": ("British",),
    "China": ("Chinese",),
    "Japan": ("Japanese",),
    "South Korea": ("South Korean", "Korean"),
    "North Korea": ("North Korean",),
    "India": ("Indian",),
    "Germany": ("German",),
    "France": ("French",),
    "Italy": ("Italian",),
    "Spain": ("Spanish",),
    "Russia": ("Russian",),
    "Ukraine": ("Ukrainian",),
    "Canada": ("Canadian",),
    "Mexico": ("Mexican",),
    "Brazil": ("Brazilian",),
    "Australia": ("Australian",),
    "Israel": ("Israeli",),
    "Iran": ("Iranian",),
    "Saudi Arabia": ("Saudi",),
    "Turkey": ("Turkish",),
    "Poland": ("Polish",),
    "Netherlands": ("Dutch",),
    "Sweden": ("Swedish",),
    "Finland": ("Finnish",),
    "Norway": ("Norwegian",),
    "Denmark": ("Danish",),
    "Switzerland": ("Swiss",),
    "Ireland": ("Irish",),
    "Greece": ("Greek",),
    "Egypt": ("Egyptian",),
    "Pakistan": ("Pakistani",),
    "Indonesia": ("Indonesian",),
    "Vietnam": ("Vietnamese",),
    "Taiwan": ("Taiwanese",),
    "Argentina": ("Argentine", "Argentinian"),
    "South Africa": ("South African",),
    "Nigeria": ("Nigerian",),
    "European Union": ("EU", "European Commission"),
}
_OVERRIDES = {"Russian Federation": "Russia", "Türkiye": "Turkey", "Korea, Republic of": "South Korea"}


def fold(text: str) -> str:
    """Lower-case, strip accents, possessives and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[’'`]s\b", "", plain)
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


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
                index.setdefault(fold(value), display)
    for alias, display in ALIASES.items():
        index[fold(alias)] = display
    return index


def country_name(text: str) -> str | None:
    """The common English short name of the country or bloc ``text`` names, else None."""
    key = fold(text)
    key = key[4:] if key.startswith("the ") else key
    if not key:
        return None
    if key in BLOCS:
        return BLOCS[key]
    return _country_index().get(key)


def strip_titles(name: str) -> str:
    """``name`` without leading titles and possessives ("Treasury Secretary Scott Bessent" → "Scott Bessent")."""
    words = re.split(r"[’']s\b", name)[-1].strip(" .-'’").split()
    titles = [i for i, w in enumerate(words) if w.lower().strip(".,") in TITLE_WORDS]
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
#: Words that make a name a subject or portfolio ("Information Technology", "Railways").
TOPIC_WORDS = frozenset(
    """technology technologies information broadcasting railways electronics economy productivity
    implementation simplification security energy trade finance affairs resources development infrastructure
    industry commerce agriculture education transport environment defence defense health""".split()
)


def not_a_person(name: str) -> str | None:
    """``"organisation"`` or ``"topic"`` when ``name`` cannot be a person's name, else None."""
    words = set(fold(name).split())
    if words & ORG_WORDS:
        return "organisation"
    if words and words <= TOPIC_WORDS | {"and", "of", "the", "for"}:
        return "topic"
    return None


def same_person(a: str, b: str) -> bool:
    """True if two names denote one person: equal after folding, or one ends the other."""
    fa, fb = fold(a).split(), fold(b).split()
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return long[-len(short) :] == short
