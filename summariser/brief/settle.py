"""Settled kinds: what each candidate name is, from its shape, spaCy's labels and the model's answer.

The candidates (`summariser.brief.entities`) are numbered for the model, which types each as
person, organisation, place or other. `settle` decides each candidate's kind, evidence first:

1. the name's own shape (`text.kinds.shape_kind`): a country is none of the three (countries
   are read from the text: `mentions.countries_in`), nor is a nationality ("Dutch") or an
   event, prize or law ("Academy Awards", "General Election") or a product ("Mini Skirt"); an organisation word
   ("Survey", "Center", "Terminals") or a place word ("Stadium", "Lake …") settles the kind
   whatever the model said — but the model's "organisation" stands for a place word that also ends
   clubs' and broadcasters' names ("Ross County", "Golf Channel": `kinds.SHARED_PLACE_WORDS`);
2. the text's own word for it: an organisation's common noun right before the name ("German
   magazine Der Spiegel", `kinds.ORGANISATION_DESCRIPTORS`) makes it one, unless the model says place,
   and an animal's ("black cat Rademenes", `kinds.ANIMAL_WORDS`) makes it none of the three;
3. the model's kind — but a one-word "person" that spaCy tags only as a place or an
   organisation, with no title before it in the text, is what spaCy says ("Yauca", "AP"); an
   "organisation" of two or three words that spaCy tags only as a person is a person ("Jim Mann") unless
   its last word is a plural ("Atlanta Braves"); an "organisation" spaCy tags only as a building is a
   place ("St James's Palace"); a party's nickname is an organisation and a member's singular none of
   the three ("Lib Dems", "Tory": `kinds.PARTY_NICKNAMES`, `kinds.PARTY_MEMBERS`);
4. a name the model calls "other" keeps spaCy's kind when spaCy is sure enough to be right:
   an organisation word or an all-capitals acronym for ORG, a place label (GPE, LOC, FAC)
   for places; a person only when spaCy calls it PERSON, it has two words or more and a title
   stands before it in the text ("President Dina Boluarte").

What is no name is dropped whatever its kind: two pieces of text run together ("National.'
Don't Push"), a one-word capital spaCy tags as nothing that the text also writes in lower case
("Coaches") or that is an adjective or a plural in a dictionary ("Glamorous", "Trainers"), a group of
people ("Tory MPs"), another name run into a person's surname by a caption ("Headingley Sinfield"
beside "Kevin Sinfield", "Aintree Treadwell" where the model calls Aintree a place). A headline's word
run onto a name is cut when a name is left ("Hillary Clinton Obsessed", "Syria Asked"), and so are a
client after "for" ("Ipsos Mori for BBC Scotland") and a caption's word before its colon. A person's name
loses a rank, a party's adjective or a common word leading it ("Major Johnnie Cousens", "Tory Ruth
Davidson", "Unpopular Bubba Watson"). Each person and organisation is then listed once (`brief.once`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schemas import EntitiesDraft, EntityKinds, PersonDraft
from ..text import nlp
from ..text.kinds import (
    ANIMAL_WORDS,
    COMMON_ACRONYMS,
    ORGANISATION_DESCRIPTORS,
    PARTY_ADJECTIVES,
    PARTY_MEMBERS,
    PARTY_NICKNAMES,
    SHARED_PLACE_WORDS,
    shape_kind,
)
from ..text.normalise import APOSTROPHES, plain_key, whole_word
from ..text.stopwords import FUNCTION_WORDS
from ..text.titles import RANKS, title_before
from .entities import LABELS, Candidate
from .once import organisations_once, people_once

__all__ = ["settle"]


def _titled(text: str, name: str) -> bool:
    """Whether the text writes a title or role right before ``name`` somewhere ("Minister Micky …")."""
    for match in whole_word(name, joiners="").finditer(text):
        stated = title_before(text, match.start())
        if stated is not None and stated.role:
            return True
    return False


def _words_before(text: str, name: str) -> set[str]:
    """The words the text writes right before ``name``, lower-cased: what it calls it ("magazine" Der Spiegel,
    "cat" Rademenes; `kinds.ORGANISATION_DESCRIPTORS`, `kinds.ANIMAL_WORDS`)."""
    found = set()
    for match in whole_word(name, joiners="").finditer(text):
        before = text[max(0, match.start() - 24) : match.start()].split()
        if before:
            found.add(before[-1].lower())
    return found


def _kind(cand: Candidate, picked: str | None, text: str) -> str | None:
    """What ``cand`` is: "person", "organisation", "place", or None (none of them)."""
    shape, key, words = shape_kind(cand.name), plain_key(cand.name), cand.name.split()
    if shape in ("country", "event", "product"):
        return None
    if key in PARTY_NICKNAMES:
        return "organisation"  # "Lib Dems", "Tories": a party, whatever the tagger reads
    if key in PARTY_MEMBERS:
        return None  # "Tory MP Michael Ellis": a member's adjective
    if shape == "place" and picked == "organisation" and key.split()[-1] in SHARED_PLACE_WORDS:
        return "organisation"  # "Ross County" the club, "Golf Channel" the broadcaster
    if shape is not None:
        return shape
    tagged = cand.tagged
    called = _words_before(text, cand.name)
    if picked != "place" and called & ORGANISATION_DESCRIPTORS:
        return "organisation"  # "German magazine Der Spiegel": the text says what it is
    if called & ANIMAL_WORDS:
        return None  # "black cat Rademenes", "the gorilla Harambe"
    if picked == "person":
        if len(words) == 1 and tagged and "PERSON" not in tagged and not _titled(text, cand.name):
            return LABELS[sorted(tagged)[0]]
        return "person"
    if picked == "organisation" and tagged == {"PERSON"} and 2 <= len(words) <= 3:
        if "plural" not in nlp.word_classes(words[-1]):  # "Atlanta Braves": a plural ends a team's name
            return "person"  # "Jim Mann", "Allan Johnston": spaCy reads a person's name, no word says otherwise
        return "organisation"
    if picked == "organisation" and tagged == {"FAC"}:
        return "place"  # "St James's Palace", "White Hart Lane": spaCy's building, the model's owner of it
    if picked is not None:
        return picked
    if "ORG" in tagged and (cand.name.isupper() and len(cand.name) >= 2):
        return "organisation"
    if tagged & {"GPE", "LOC", "FAC"} and "PERSON" not in tagged and "ORG" not in tagged:
        return "place"
    if "PERSON" in tagged and len(words) > 1 and _titled(text, cand.name):
        return "person"
    return None


def settle(
    answer: EntityKinds | None, found: Sequence[Candidate], text: str, common: frozenset[int] | None = None
) -> EntitiesDraft:
    """The people, organisations and places of ``found``, as the model typed them and the rules settle them.

    ``common`` is `nlp.Analysis.common` of ``text`` (analysed again when not given). People come without a
    role or affiliation: `people.stated_titles` reads those from the text.
    """
    chosen = answer.kinds() if answer is not None else {}
    common = nlp.analyse(text).common if common is None else common
    people: list[PersonDraft] = []
    organisations: list[str] = []
    places: list[str] = []
    for cand in found:
        picked = chosen.get(cand.name)
        if _run_in(cand, found, chosen):
            continue
        cand = _tail_cut(cand, text, common, found)
        kind = _kind(cand, None if picked == "other" else picked, text)
        if kind is None or _run_together(cand.name) or (not cand.tagged and _common_word(cand.name, text)):
            continue
        if kind == "person":
            name = _lead_cut(cand.name, text, common)
            if all(p.name != name for p in people):  # a name cut to one listed already
                people.append(PersonDraft(name=name, role=None, affiliation=None))
        elif kind == "organisation":
            organisations.append(cand.name)
        elif kind == "place":
            places.append(cand.name)
    return EntitiesDraft(
        people=people_once(people), organisations=organisations_once(organisations), places=list(dict.fromkeys(places))
    )


def _run_together(name: str) -> bool:
    """Whether ``name`` is two pieces of text run together, not one name: a sentence ends inside it
    ("National.' Don't Push") or a second "The" opens inside it ("Arc de Triomphe The Togo"). A plural's
    possessive is inside a name ("Torquay Magistrates' Court", "Workers' Party")."""
    return bool(re.search(r"[.!?]['’\"]|(?<!s)['’]\s|\sThe\s", name))


def _common_word(name: str, text: str) -> bool:
    """Whether ``name`` (which spaCy tags as no entity) is a common word, not a name: one word the text also
    writes in lower case ("Coaches" of "the coaches said"), a group of people ending in one ("Tory MPs"), or
    one word that English has only as an adjective ("Glamorous", "Skilful"), as a common noun's plural
    ("Prosecutors", "Trainers": a headline's capitals) or as a function word ("Where") — `nlp.word_classes`.
    Places and people are nouns in a dictionary too ("Athens", "Jones"): a singular noun is not judged."""
    words = name.split()
    if words[-1].lower() in COMMON_ACRONYMS:
        return True
    if len(words) != 1:
        return False
    if name.lower() in FUNCTION_WORDS or whole_word(name.lower(), joiners=APOSTROPHES).search(text) is not None:
        return True
    classes = nlp.word_classes(name)
    return "plural" in classes or ("adj" in classes and "noun" not in classes)


def _tail_cut(cand: Candidate, text: str, common: frozenset[int], found: Sequence[Candidate]) -> Candidate:
    """``cand`` without the words that end it and are no part of it: capitals the tagger reads as common
    words where the name is first written, when what is left is a name of its own — another candidate or
    a country ("Hillary Clinton Obsessed", "Syria Asked": a headline's verb run into the name before it).
    A surname the tagger misreads ("Kenneth More", "Donna Lane") leaves a first name, and stays. So is cut a
    client named after "for" ("a poll by Ipsos Mori for BBC Scotland") and a caption's word run in before its
    colon ("DC Martial Arts Fugitive: The …"), when what is left is another candidate."""
    head, joined, tail = cand.name.partition(" for ")
    if joined and any(o.name == tail for o in found):
        return Candidate(head, cand.labels - cand.tagged, cand.first)  # the tagger's labels were the whole's
    words, at = cand.name.split(), text.find(cand.name)
    if at < 0:
        return cand
    end = at + len(cand.name)
    if text[end : end + 1] == ":" and any(o.name == " ".join(words[:-1]) for o in found):
        return Candidate(" ".join(words[:-1]), cand.labels, cand.first)
    while len(words) > 1 and end - len(words[-1]) in common:
        end -= len(words[-1]) + 1
        words.pop()
        left = " ".join(words)
        if shape_kind(left) == "country" or (len(words) > 1 and any(o.name == left for o in found)):
            return Candidate(left, cand.labels, cand.first)
    return cand


def _run_in(cand: Candidate, found: Sequence[Candidate], chosen: dict[str, str]) -> bool:
    """Whether ``cand`` is another name run into a person's surname: its last word is the surname of
    another person named in full, and what leads it is the end of a longer name ("League Klopp" of
    "Champions League" and "Jurgen Klopp") or a name spaCy tags as a place or organisation only or the
    model types as one ("Aintree Treadwell"): a caption or a headline run into the text. A relative named by first name
    ("Nicole Randock" beside "Brian Randock" and "Nicole") is no such name."""
    words = cand.name.split()
    if len(words) < 2:
        return False
    lead, last = " ".join(words[:-1]), words[-1]
    others = [o for o in found if o is not cand]
    if not any(len(o.name.split()) >= 2 and o.name.split()[-1] == last and not o.name.startswith(lead) for o in others):
        return False
    return any(
        o.name.endswith(f" {lead}")
        or (o.name == lead and o.tagged and not o.tagged & {"PERSON", "NORP"})
        or (o.name == lead and chosen.get(o.name) in ("place", "organisation"))
        for o in others
    )


def _lead_cut(name: str, text: str, common: frozenset[int]) -> str:
    """A person's ``name`` without what leads it and is no part of it: a rank ("Major Johnnie Cousens"), a
    party's adjective ("Tory Ruth Davidson", "Liberal Democrat Willie Rennie": `kinds.PARTY_ADJECTIVES`), or
    a word the tagger reads as a common word where the name is written ("Unpopular Bubba Watson")."""
    words, at = name.split(), text.find(name)
    for size in (2, 1):
        lead = " ".join(words[:size])
        if len(words) > size + 1 and plain_key(lead) in PARTY_ADJECTIVES:
            at, words = at + len(lead) + 1 if at >= 0 else at, words[size:]
            break
    while len(words) > 2 and (words[0].lower().strip(".") in RANKS or (at >= 0 and at in common)):
        at += len(words[0]) + 1
        words.pop(0)
    return " ".join(words)
