"""What kind of thing a name names, from its shape alone: an organisation, a place or a country.

A name's own words often settle its kind whatever a tagger or a model says: "U.S. Geological
Survey", "National Emergency Operations Center" and "APM Terminals" are organisations,
"Wembley Stadium" and "Lake Titicaca" are places. This is the one
owner of that rule; the typing of candidate names (`summariser.brief.entities`) and the
grounding of people (`names.not_a_person`) use it.

* `shape_kind` — "country" for a country or bloc (`names.country_name`), "organisation" when
  a word of the name is an organisation word (`ORGANISATION_WORDS`, which extends
  `names.ORG_WORDS` with the endings of company and agency names), "place" when one is a
  place word (`PLACE_WORDS`: river, stadium, airport … at the end, or an opener such as
  "Lake"; `SHARED_PLACE_WORDS` also end clubs' and broadcasters' names), "event" when its last word
  names an event, award or act (`EVENT_WORDS`: "Academy Awards", "General Election", "Kite Festival";
  one word only in the plural: "Olympics", not "Bill"), "product" when its last word names a thing made and
  sold (`PRODUCT_WORDS`: "Mini Skirt", "Space Telescope"); None when the shape does not tell (most names of
  people, and plain names such as "Maersk" or "Lima").
* `ANIMAL_WORDS` — nouns that, right before a name, make it an animal's ("cat Rademenes").
* `ORGANISATION_DESCRIPTORS` — nouns that, right before a name, make it an organisation's ("magazine").
* `PARTY_NICKNAMES` — what the press calls a party ("Tories"), and the words its full name opens with;
  `PARTY_MEMBERS` — a member's singular ("Tory"), an adjective; `PARTY_ADJECTIVES` — those and the
  parties' names a member is called by before a name ("Labour", "Democrat").
* `COMMON_ACRONYMS` — capitals that are words, not names ("TV", "SUV", "MPs").
* `is_demonym` — "Dutch", "Peruvian": an adjective of nationality, no name at all;
  `demonym_country` — the country it stands for, when known ("Dutch" → "Netherlands").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from .names import DEMONYMS, ORG_WORDS, country_name
from .normalise import plain_key

__all__ = [
    "ANIMAL_WORDS",
    "COMMON_ACRONYMS",
    "EVENT_WORDS",
    "ORGANISATION_DESCRIPTORS",
    "ORGANISATION_WORDS",
    "PARTY_ADJECTIVES",
    "PARTY_MEMBERS",
    "PARTY_NICKNAMES",
    "PLACE_OPENERS",
    "PLACE_WORDS",
    "PRODUCT_WORDS",
    "REGIONAL_DEMONYMS",
    "SHARED_PLACE_WORDS",
    "Kind",
    "demonym_country",
    "is_demonym",
    "shape_kind",
]

Kind = Literal["organisation", "place", "country", "event", "product"]

#: Words that make a name an organisation's: `names.ORG_WORDS` and the words that end company,
#: agency and team names.
ORGANISATION_WORDS = ORG_WORDS | frozenset(
    """center centre survey terminals ports airlines airways motors industries systems technologies partners
    capital investments trust service services police army navy force forces guard ministry institute
    academy school college club fc united rovers athletic wanderers society agency press times post journal
    tribune herald gazette broadcasting network networks reuters associated labs laboratories pharmaceuticals
    petroleum mining railways railway utilities telecom communications insurance brands stores
    llp ag nv gmbh spa""".split()
)
#: Common nouns that, written right before a name, say what it names is an organisation, whatever its
#: shape ("German magazine Der Spiegel", "the retailer Zara", "boy band One Direction").
ORGANISATION_DESCRIPTORS = frozenset(
    """magazine newspaper tabloid broadcaster network channel website brand label retailer chain firm company
    club band charity publisher studio airline bank insurer lender supermarket carmaker""".split()
)
#: Animals a name may be written after: "black cat Rademenes", "the gorilla Harambe" — no person.
ANIMAL_WORDS = frozenset(
    """cat kitten dog puppy pup horse mare colt filly gelding stallion pony donkey gorilla chimpanzee elephant
    lion tiger bear panda dolphin whale parrot tortoise""".split()
)
#: Words that make a name a place's when they end it ("Wembley Stadium", "Ring Road") or, for
#: `PLACE_OPENERS`, open it ("Lake Titicaca", "Strait of Hormuz"). Anywhere else
#: they are often a surname ("Park Geun-hye") or part of another name ("Harbour City").
PLACE_WORDS = frozenset(
    """town village county province region district island islands peninsula coast river lake sea ocean
    bay gulf strait channel canal basin valley mountain mountains hill hills desert forest park square
    street avenue road bridge tunnel airport harbour harbor stadium arena station plaza beach delta plain
    plains heights falls""".split()
)
PLACE_OPENERS = frozenset("lake mount cape gulf strait bay port fort isle sea river valley".split())
#: Place words that also end the names of clubs and broadcasters ("Ross County", "Golf Channel"): the
#: shape says place, and a judge that read the text (the model's "organisation") may overrule it.
SHARED_PLACE_WORDS = frozenset({"county", "channel"})
#: Words that, ending a name, make it an event, a prize or a law — none of the three kinds, whatever
#: other word it holds ("Recording Artists' Coalition Award", "Wulong International Kite Festival").
EVENT_WORDS = frozenset(
    """award awards medal prize prizes trophy election elections festival record championship championships
    olympics games tournament cup marathon final finals summit ministerial tax act bill treaty accord""".split()
)
#: What a country's press calls its parties, plural or short, and the words that open the party's full name:
#: "the Tories" is the Conservative Party, and listed beside it is the same organisation named twice. A
#: member's singular ("Tory MP") is an adjective, like a nationality's. Compared as `plain_key`s.
PARTY_NICKNAMES = {
    "tories": "conservative", "conservatives": "conservative", "lib dems": "liberal democrat",
    "libdems": "liberal democrat", "gop": "republican", "republicans": "republican", "democrats": "democratic",
    "dems": "democratic", "nats": "scottish national",
}  # fmt: skip
#: A party member's singular, an adjective ("Tory MP", "a Lib Dem councillor"): no organisation of its own.
PARTY_MEMBERS = frozenset({"tory", "lib dem", "libdem", "nat"})
#: The words a party's member is called by before the name ("Tory Ruth Davidson", "Democrat Nancy Pelosi").
PARTY_ADJECTIVES = PARTY_MEMBERS | frozenset(
    {"conservative", "labour", "liberal democrat", "democrat", "republican", "snp", "ukip", "green"}
)
#: Words that, ending a name of two words or more, make it a product's — none of the three kinds: clothes,
#: vehicles, devices ("Nicole Miller Bold Stripe Mini Skirt", "Hubble Space Telescope", "Galaxy Phone").
PRODUCT_WORDS = frozenset(
    """skirt dress shirt blouse jacket coat boots shoes sandals trainers sneakers jeans trousers sweater jumper
    handbag bag scarf hat cap necklace bracelet earrings perfume lipstick car sedan suv truck motorcycle bike
    jet airliner drone rifle pistol telescope phone smartphone tablet laptop console camera""".split()
)
#: Acronyms and capitalised abbreviations that are common nouns or titles, not names of anything
#: (compared lower-cased, as written: "R&B" → "r&b").
COMMON_ACRONYMS = frozenset(
    """tv suv sat dna gps ceo cfo coo mp mps pm ok r&b flotus potus vip hiv gdp atm pc cctv diy id iq pr hr ai
    ivf mri am fm usb led lcd dvd cd""".split()
)


#: Adjectives of peoples and regions that name no one country (`names.DEMONYMS` holds the countries' own).
REGIONAL_DEMONYMS = frozenset(
    "scottish scot welsh english brit european african asian arab latino hispanic palestinian kurdish".split()
)


#: The countries' adjectives of `names.DEMONYMS` (its bloc entry lists names, "EU", not adjectives).
_ADJECTIVES = {country: forms for country, forms in DEMONYMS.items() if country != "European Union"}


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    return frozenset({plain_key(d) for forms in _ADJECTIVES.values() for d in forms} | REGIONAL_DEMONYMS)


def demonym_country(name: str) -> str | None:
    """The country an adjective of nationality stands for ("Dutch" → "Netherlands"), if `names.DEMONYMS` knows it."""
    key = plain_key(name)
    return next((c for c, forms in _ADJECTIVES.items() if key in {plain_key(f) for f in forms}), None)


def is_demonym(name: str) -> bool:
    """Whether ``name`` is an adjective of nationality ("Dutch", "Peruvian"), plural or not, or the men and
    women of a people or a place ("Frenchmen", "Yorkshiremen": no surname is such a plural)."""
    key = plain_key(name)
    return (
        key in _demonyms() or (key.endswith("s") and key[:-1] in _demonyms())
        or re.fullmatch(r"[a-z]{4,}(?:wo)?men", key) is not None
    )  # fmt: skip


def shape_kind(name: str) -> Kind | None:
    """The kind of thing ``name`` names by its words alone (module docstring), or None."""
    if country_name(name) is not None:
        return "country"
    words = [w.strip(".,") for w in plain_key(name).split()]
    if words and words[-1] in EVENT_WORDS and (len(words) > 1 or words[0].endswith("s")):
        return "event"  # "Olympics", "General Election"; not "Bill" (a first name) or "Cup" alone
    if len(words) > 1 and words[-1] in PRODUCT_WORDS:
        return "product"
    if any(w in ORGANISATION_WORDS for w in words):
        return "organisation"
    if len(words) > 1 and (words[-1] in PLACE_WORDS or words[0] in PLACE_OPENERS):
        return "place"
    return None
