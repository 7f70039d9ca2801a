"""Typed candidates: the names an article mentions, numbered for the model to sort, then settled.

A small model is better at choosing among given options than at writing lists, and a name it
copies may be half a name or a place. So the names come from the text — spaCy's entities
(PERSON, ORG, GPE, LOC, FAC, NORP: `summariser.text.nlp`) and the capitalised phrases it
misses or mislabels (`summariser.text.phrases`: "Hook of Holland"; "Lars Klingbeil", whom
spaCy calls a place) — cleaned (no "the", possessive or title), each once under its fullest form, in the
order of the text. The model answers with the kind of each — person, organisation, place or
other (`schemas.EntityKinds`: the names are the keys of its answer, written by the grammar);
it cannot name what the text does not, and one answer costs a few tokens per name.

`settle` then decides each candidate's kind, evidence first:

1. the name's own shape (`text.kinds.shape_kind`): a country is none of the three (countries
   are read from the text: `mentions.countries_in`), nor is a nationality ("Dutch"); an
   organisation word ("Survey", "Center", "Terminals") or a place word ("Stadium", "Lake …")
   settles the kind whatever the model said;
2. the model's kind — but a one-word "person" that spaCy tags only as a place or an
   organisation, with no title before it in the text, is what spaCy says ("Yauca", "AP");
3. a name the model calls "other" keeps spaCy's kind when spaCy is sure enough to be right:
   an organisation word or an all-capitals acronym for ORG, a place label (GPE, LOC, FAC)
   for places; a person only when spaCy calls it PERSON, it has two words or more and a title
   stands before it in the text ("President Dina Boluarte").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schemas import DRAFT_MAX_NAMES, NAME_MAX_CHARS, EntitiesDraft, EntityKinds, PersonDraft, kinds_model
from ..text import nlp
from ..text.datelines import dateline
from ..text.kinds import Kind, is_demonym, shape_kind
from ..text.names import TITLE_WORDS, TOPIC_WORDS
from ..text.normalise import plain_key
from ..text.phrases import CALENDAR_WORDS, capitalised_phrases, opens_only
from ..text.titles import title_before

__all__ = ["MAX_CANDIDATES", "Candidate", "ask_model", "candidates", "settle"]

#: Most names the model is asked to type (the rest, in text order, are left out).
MAX_CANDIDATES = DRAFT_MAX_NAMES
#: spaCy labels whose names are candidates, and the kind each label suggests.
LABELS: dict[str, Kind | None] = {
    "PERSON": None,
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "organisation",
    "PRODUCT": None,
}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_CONNECTORS = frozenset({"of", "the", "and", "for", "&"})
_PARTIES = frozenset({"labour", "labor"})  # title words ("Labour Minister") that also name a party
#: What a name may hold: it is a key of the model's answer, written by a grammar made from the schema,
#: so nothing a JSON string or a grammar rule would have to escape (quotes, backslashes, controls).
_SAFE = re.compile(r"[^\W\d_a-z][\w .,&'’/-]*")
_CAPS = "CAPS"  # a capitalised phrase of the text (`text.phrases`), not a spaCy entity


@dataclass
class Candidate:
    """A name of the text: its fullest form, the spaCy labels it was given, where it is first named."""

    name: str
    labels: set[str] = field(default_factory=set)
    first: int = 0

    @property
    def tagged(self) -> set[str]:
        """spaCy's labels only (not the capitalised-phrase mark)."""
        return self.labels - {_CAPS}


def _titled_person(raw: str) -> tuple[str, str, str]:
    """``raw`` cut at the last title word that is followed by a name of two or more words:
    ``(before, title, name)``; ``("", "", "")`` when there is none ("General Motors" stays whole)."""
    words = raw.split()
    for i in range(len(words) - 2, 0, -1):
        if words[i].lower().strip(".,") in TITLE_WORDS - _CONNECTORS and len(words) - i - 1 >= 2:
            rest = words[i + 1 :]
            if all(w[:1].isupper() for w in rest):
                head = words[:i]
                while head and head[-1].lower().strip(".,") in TITLE_WORDS:  # "… President and Chairman"
                    head.pop()
                return " ".join(head), words[i], " ".join(rest)
    return "", "", ""


def _untitled(name: str) -> str:
    """``name`` without the titles that lead it ("Economy Minister Micky Adriaansens" → "Micky Adriaansens"),
    when what is left may be a person's name (two words or more: "Finance Ministerial" stays whole)."""
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(".,") in TITLE_WORDS - _CONNECTORS:
        words.pop(0)
    return " ".join(words) if len(words) > 1 or len(name.split()) == 1 else name


def _clean(text: str) -> str:
    """A name as listed: no leading article, possessive, title or trailing title word."""
    name = _POSSESSIVE.sub("", _LEADING.sub("", " ".join(text.split()).strip("•·*-–—,;:()\"“”' ")))
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in TITLE_WORDS:  # "JP Morgan Managing"
        words.pop()
    return " ".join(words)


def candidates(text: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """The names of ``text`` to number for the model (module docstring), in order of first mention."""
    found: dict[str, Candidate] = {}
    analysis = nlp.analyse(text)
    starts = {s for s, _ in analysis.sentences}

    def add(raw: str, label: str, at: int) -> None:
        head, _, person = _titled_person(raw)
        if person:  # "Cottonwood Police Sgt Jeremy Daniels": an organisation, a title, a person
            add(head, label, at) if head else None
            add(person, _CAPS, at + raw.index(person))
            return
        name = _clean(raw)
        if label in ("PERSON", _CAPS):
            name = _untitled(name)
        key = plain_key(name)
        if not 2 <= len(name) <= NAME_MAX_CHARS or not _SAFE.fullmatch(name) or not key or key in CALENDAR_WORDS:
            return
        if key in TITLE_WORDS - _PARTIES:  # "Minister", "Exchequer", "Finance"; but "Labour" the party
            return
        if all(w in TOPIC_WORDS | _CONNECTORS for w in key.split()):
            return  # a portfolio: "Railways, Information and Broadcasting"
        if shape_kind(name) == "country" or is_demonym(name) or name not in text:
            return
        entry = found.get(key)
        if entry is None:
            entry = found[key] = Candidate(name, set(), at)
        elif entry.name.isupper() and not name.isupper():  # "LIMA" in the dateline, "Lima" in the text
            entry.name = name
        entry.labels.add(label)
        entry.first = min(entry.first, at)

    for s, e in analysis.sentences:  # a sentence after a wire dateline starts where the dateline ends
        lead = re.match(r"[\W_]*", text[s:e])  # "• Focus on …": a list item's first word opens it
        starts.add(s + (lead.end() if lead else 0))
        line = dateline(text[s:e])
        if line is not None:
            starts.add(s + line.end)
            if line.place:
                add(line.place, "GPE", s)
    for entity in analysis.entities:
        inner = entity.text.split()[1:]
        if any(w[:1].islower() and w not in _CONNECTORS for w in inner):
            continue  # "Arsenal at Wembley Stadium": two names and a word; the phrases give each
        bare = _clean(entity.text)
        if bare and " " not in bare and opens_only(text, bare, starts):
            continue  # "Attendees included …": a capital that only ever opens a sentence
        if entity.label in LABELS:
            offset = 0
            for piece in entity.text.split("\n"):  # an entity run across a line break is two
                add(piece, entity.label, entity.start + offset)
                offset += len(piece) + 1
    for phrase, at in capitalised_phrases(text, starts):
        add(phrase, _CAPS, at)
    ordered = sorted(found.values(), key=lambda c: c.first)
    return _fullest(ordered)[:limit]


def _fullest(found: Sequence[Candidate]) -> list[Candidate]:
    """``found`` without a shorter form of a person's name ("Stam" beside "Niek Stam"), its labels kept.

    Only a person's surname is folded into the full name: "Rotterdam" beside "Port of Rotterdam"
    is another thing, and stays.
    """
    out: list[Candidate] = []
    keys = {id(c): f" {plain_key(c.name)} " for c in found}
    for cand in found:
        if not cand.tagged and any(o is not cand and keys[id(cand)] in keys[id(o)] for o in found):
            continue  # "Geological Survey" inside "U.S. Geological Survey"
        longer = next(
            (o for o in found if o is not cand and o.first == cand.first and keys[id(o)].startswith(keys[id(cand)])
             and len(o.name) > len(cand.name)),
            None,
        )  # fmt: skip
        if longer is not None:  # "Hook" of spaCy's "Hook of" beside the phrase "Hook of Holland"
            longer.labels |= cand.labels
            continue
        full = next((o for o in found if o is not cand and _short_form(cand, o)), None)
        if full is not None:
            full.labels |= cand.labels
            continue
        out.append(cand)
    return out


def _short_form(short: Candidate, full: Candidate) -> bool:
    """Whether the one-word ``short`` is a short form of ``full``: a person's surname ("Stam" of
    "Niek Stam"), or the first word of an organisation's name ("Nordvik" of "Nordvik Motors")."""
    word, words = plain_key(short.name).split(), plain_key(full.name).split()
    if len(word) != 1 or len(words) < 2:
        return False
    if words[-1] == word[0] and len(words) <= 3 and shape_kind(full.name) is None:
        return "PERSON" in full.labels or ("PERSON" in short.labels and _CAPS in full.labels)
    return words[0] == word[0] and ("ORG" in full.labels or shape_kind(full.name) == "organisation")


def _titled(text: str, name: str) -> bool:
    """Whether the text writes a title or role right before ``name`` somewhere ("Minister Micky …")."""
    for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
        stated = title_before(text, match.start())
        if stated is not None and stated.role:
            return True
    return False


def _kind(cand: Candidate, picked: str | None, text: str) -> str | None:
    """What ``cand`` is: "person", "organisation", "place", or None (none of them)."""
    shape = shape_kind(cand.name)
    if shape == "country":
        return None
    if shape is not None:
        return shape
    tagged = cand.tagged
    if picked == "person":
        single = len(cand.name.split()) == 1
        if single and tagged and "PERSON" not in tagged and not _titled(text, cand.name):
            return LABELS[sorted(tagged)[0]]
        return "person"
    if picked is not None:
        return picked
    if "ORG" in tagged and (cand.name.isupper() and len(cand.name) >= 2):
        return "organisation"
    if tagged & {"GPE", "LOC", "FAC"} and "PERSON" not in tagged and "ORG" not in tagged:
        return "place"
    if "PERSON" in tagged and len(cand.name.split()) > 1 and _titled(text, cand.name):
        return "person"
    return None


def ask_model(found: Sequence[Candidate]) -> type[EntityKinds]:
    """The response model of the kinds request about ``found``: one field per name (`schemas.kinds_model`)."""
    return kinds_model(tuple(c.name for c in found))


def settle(answer: EntityKinds | None, found: Sequence[Candidate], text: str) -> EntitiesDraft:
    """The people, organisations and places of ``found``, as the model typed them and the rules settle them.

    People come without a role or affiliation: `people.stated_titles` reads those from the text.
    """
    chosen = answer.kinds() if answer is not None else {}
    people: list[PersonDraft] = []
    organisations: list[str] = []
    places: list[str] = []
    for cand in found:
        picked = chosen.get(cand.name)
        kind = _kind(cand, None if picked == "other" else picked, text)
        if kind == "person":
            people.append(PersonDraft(name=cand.name, role=None, affiliation=None))
        elif kind == "organisation":
            organisations.append(cand.name)
        elif kind == "place":
            places.append(cand.name)
    return EntitiesDraft(people=people, organisations=organisations, places=places)
