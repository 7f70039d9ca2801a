"""Settled kinds: what each candidate name is, from its shape, spaCy's labels and the model's answer.

The candidates (`summariser.brief.entities`) are numbered for the model, which types each as
person, organisation, place or other. `settle` decides each candidate's kind, evidence first:

1. the name's own shape (`text.kinds.shape_kind`): a country is none of the three (countries
   are read from the text: `mentions.countries_in`), nor is a nationality ("Dutch") or an
   event, prize or law ("Academy Awards", "General Election"); an organisation word
   ("Survey", "Center", "Terminals") or a place word ("Stadium", "Lake …") settles the kind
   whatever the model said — but the model's "organisation" stands for a place word that also ends
   clubs' and broadcasters' names ("Ross County", "Golf Channel": `kinds.SHARED_PLACE_WORDS`);
2. the text's own word for it: an organisation's common noun right before the name ("German
   magazine Der Spiegel", `kinds.ORGANISATION_DESCRIPTORS`) makes it one, unless the model says place,
   and an animal's ("black cat Rademenes", `kinds.ANIMAL_WORDS`) makes it none of the three;
3. the model's kind — but a one-word "person" that spaCy tags only as a place or an
   organisation, with no title before it in the text, is what spaCy says ("Yauca", "AP"), and
   an "organisation" of two or three words that spaCy tags only as a person is a person ("Jim
   Mann");
4. a name the model calls "other" keeps spaCy's kind when spaCy is sure enough to be right:
   an organisation word or an all-capitals acronym for ORG, a place label (GPE, LOC, FAC)
   for places; a person only when spaCy calls it PERSON, it has two words or more and a title
   stands before it in the text ("President Dina Boluarte").

What is no name is dropped whatever its kind: two pieces of text run together ("National.'
Don't Push"), a one-word capital spaCy tags as nothing that the text also writes in lower case
("Coaches") or that is an adjective or a plural in a dictionary ("Glamorous", "Trainers"), a group of
people ("Tory MPs"), another name run into a person's surname by a caption ("Headingley Sinfield"
beside "Kevin Sinfield"). A headline's word run onto a name is cut when a name is left ("Hillary
Clinton Obsessed", "Syria Asked"). A person's name loses a rank or a common word leading it ("Major Johnnie
Cousens", "Unpopular Bubba Watson"), and a person named once in full and again by one name
("Julia Louis-Dreyfus" … "Julia", "Mr Cousens") or with a typo ("Zara Phillips" … "Zara Philipps") is
listed once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schemas import EntitiesDraft, EntityKinds, PersonDraft
from ..text import nlp
from ..text.kinds import ANIMAL_WORDS, COMMON_ACRONYMS, ORGANISATION_DESCRIPTORS, SHARED_PLACE_WORDS, shape_kind
from ..text.names import TITLE_WORDS
from ..text.normalise import APOSTROPHES, plain_key, whole_word
from ..text.stopwords import FUNCTION_WORDS
from ..text.titles import title_before
from .entities import LABELS, Candidate

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
    shape = shape_kind(cand.name)
    if shape in ("country", "event"):
        return None
    if shape == "place" and picked == "organisation" and plain_key(cand.name).split()[-1] in SHARED_PLACE_WORDS:
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
        single = len(cand.name.split()) == 1
        if single and tagged and "PERSON" not in tagged and not _titled(text, cand.name):
            return LABELS[sorted(tagged)[0]]
        return "person"
    if picked == "organisation" and tagged == {"PERSON"} and 2 <= len(cand.name.split()) <= 3:
        return "person"  # "Jim Mann", "Allan Johnston": spaCy reads a person's name, no word says otherwise
    if picked is not None:
        return picked
    if "ORG" in tagged and (cand.name.isupper() and len(cand.name) >= 2):
        return "organisation"
    if tagged & {"GPE", "LOC", "FAC"} and "PERSON" not in tagged and "ORG" not in tagged:
        return "place"
    if "PERSON" in tagged and len(cand.name.split()) > 1 and _titled(text, cand.name):
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
        if _run_in(cand, found):
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
        people=_named_once(people), organisations=list(dict.fromkeys(organisations)), places=list(dict.fromkeys(places))
    )


#: Ranks that stand before a name (and are not in `names.TITLE_WORDS`: "Major" is a word too).
_RANKS = frozenset("major colonel col lieutenant lt sergeant sgt corporal cpl private pte fusilier admiral brigadier "
                   "commander rev reverend".split())  # fmt: skip


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
    A surname the tagger misreads ("Kenneth More", "Donna Lane") leaves a first name, and stays."""
    words, at = cand.name.split(), text.find(cand.name)
    if at < 0:
        return cand
    end = at + len(cand.name)
    while len(words) > 1 and end - len(words[-1]) in common:
        end -= len(words[-1]) + 1
        words.pop()
        left = " ".join(words)
        if shape_kind(left) == "country" or (len(words) > 1 and any(o.name == left for o in found)):
            return Candidate(left, cand.labels, cand.first)
    return cand


def _run_in(cand: Candidate, found: Sequence[Candidate]) -> bool:
    """Whether ``cand`` is another name run into a person's surname: its last word is the surname of
    another person named in full, and what leads it is the end of a longer name ("League Klopp" of
    "Champions League" and "Jurgen Klopp") or a name spaCy tags as a place or organisation only
    ("Aintree Treadwell"): a caption or a headline run into the text. A relative named by first name
    ("Nicole Randock" beside "Brian Randock" and "Nicole") is no such name."""
    words = cand.name.split()
    if len(words) < 2:
        return False
    lead, last = " ".join(words[:-1]), words[-1]
    others = [o for o in found if o is not cand]
    if not any(len(o.name.split()) >= 2 and o.name.split()[-1] == last and not o.name.startswith(lead) for o in others):
        return False
    return any(
        o.name.endswith(f" {lead}") or (o.name == lead and o.tagged and not o.tagged & {"PERSON", "NORP"})
        for o in others
    )


def _lead_cut(name: str, text: str, common: frozenset[int]) -> str:
    """A person's ``name`` without what leads it and is no part of it: a rank ("Major Johnnie Cousens"), or
    a word the tagger reads as a common word where the name is written ("Unpopular Bubba Watson")."""
    words, at = name.split(), text.find(name)
    while len(words) > 2 and (words[0].lower().strip(".") in _RANKS or (at >= 0 and at in common)):
        at += len(words[0]) + 1
        words.pop(0)
    return " ".join(words)


def _named_once(people: list[PersonDraft]) -> list[PersonDraft]:
    """``people`` without a name that is, titles aside, one word that is the first or last word of
    another's full name ("Julia" of "Julia Louis-Dreyfus", "Mr Wright" of "Ian Wright"): the same person,
    named again."""

    def bare(name: str) -> list[str]:
        words = plain_key(name).split()
        while len(words) > 1 and (words[0] in TITLE_WORDS or words[0] in _RANKS):
            words.pop(0)
        return words

    bares = [bare(p.name) for p in people]
    ends = {w for words in bares if len(words) > 1 for w in (words[0], words[-1])}
    kept: list[tuple[PersonDraft, list[str]]] = []
    for p, words in zip(people, bares, strict=True):
        if (len(words) > 1 or words[0] not in ends) and not any(_misspelt(words, listed) for _, listed in kept):
            kept.append((p, words))
    return [p for p, _ in kept]


def _misspelt(name: list[str], listed: list[str]) -> bool:
    """Whether ``name`` is ``listed`` written again with a typo in one long word ("Zara Philipps" after "Zara
    Phillips"): the same words but one, of five letters or more, which differs from its counterpart by one
    letter added, dropped or changed (two from seven letters). Shorter words differ by a letter too often
    between two people ("Jon", "John")."""
    if len(name) != len(listed) or len(name) < 2:
        return False
    differ = [(a, b) for a, b in zip(name, listed, strict=True) if a != b]
    if len(differ) != 1 or min(map(len, differ[0])) < 5:
        return False
    return _edits(*differ[0]) <= (2 if min(map(len, differ[0])) >= 7 else 1)


def _edits(a: str, b: str) -> int:
    """The letters to add, drop or change to turn ``a`` into ``b`` (Levenshtein's distance)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]
