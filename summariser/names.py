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


def same_person(a: str, b: str) -> bool:
    """True if two names denote one person: equal after folding, or one ends the other."""
    fa, fb = fold(a).split(), fold(b).split()
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return long[-len(short) :] == short
