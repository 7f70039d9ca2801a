"""Typed candidates: the names an article mentions, numbered for the model to sort.

A small model is better at choosing among given options than at writing lists, and a name it copies
may be half a name or a place. So the names come from the text — spaCy's entities (PERSON, ORG, GPE,
LOC, FAC, NORP: `summariser.text.nlp`), the capitalised phrases it misses or mislabels
(`summariser.text.phrases`: "Hook of Holland"; "Lars Klingbeil", whom spaCy calls a place), a
title's office ("the U.S. Trade Representative’s office") and the dateline's place and agency —
cleaned (no "the", small word, possessive or title at either end; no word of the calendar before:
"Saturday Wright" is a caption run into the text), each once under its fullest form (a surname, a
first word or an acronym of a longer name folds into it: "CPS" of "Crown Prosecution Service"), in
the order of the text. What only looks like a name is left out: a contraction ("I'd"), a common
acronym (`kinds.COMMON_ACRONYMS`: "TV", "MPs") and a one-word capital the tagger reads as a common
word wherever it stands ("Like many …", "Paramedics arrived"). The model answers with the kind of
each — person, organisation, place or other (`schemas.EntityKinds`: the names are the keys of its
answer, written by the grammar); it cannot name what the text does not, and one answer costs a few
tokens per name.

`summariser.brief.settle` then decides each candidate's kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schemas import DRAFT_MAX_NAMES, NAME_MAX_CHARS, EntityKinds, kinds_model
from ..text import nlp
from ..text.datelines import dateline
from ..text.kinds import COMMON_ACRONYMS, ORGANISATION_WORDS, Kind, is_demonym, shape_kind
from ..text.names import (
    CONNECTORS,
    LEADING_ARTICLE,
    ROLE_WORDS,
    TITLE_WORDS,
    TOPIC_WORDS,
    initials,
    is_acronym_of,
)
from ..text.normalise import APOSTROPHE_END, plain_key
from ..text.phrases import CALENDAR_WORDS, Words, capitalised_phrases, only_at

__all__ = ["LABELS", "MAX_CANDIDATES", "Candidate", "ask_model", "candidates"]

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
        if words[i].lower().strip(".,") in TITLE_WORDS - CONNECTORS and len(words) - i - 1 >= 2:
            rest = words[i + 1 :]
            if all(w[:1].isupper() for w in rest):
                head = words[:i]
                while head and head[-1].lower().strip(".,") in ROLE_WORDS:  # "… President and Chairman"
                    head.pop()
                return " ".join(head), words[i], " ".join(rest)
    return "", "", ""


def _untitled(name: str) -> str:
    """``name`` without the titles that lead it ("Economy Minister Micky Adriaansens" → "Micky Adriaansens"),
    when what is left may be a person's name (two words or more: "Finance Ministerial" stays whole)."""
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(".,") in TITLE_WORDS - CONNECTORS:
        words.pop(0)
    return " ".join(words) if len(words) > 1 or len(name.split()) == 1 else name


def _clean(text: str) -> str:
    """A name as listed: no leading article, word of the calendar ("Saturday Wright", a caption run into
    the text) or other small word ("In India"), no possessive, hyphenated suffix ("Washington D.C.-based"),
    title, small word or score at the end ("Rihanna and", "JP Morgan Managing", "Ross County 2-1")."""
    name = APOSTROPHE_END.sub("", LEADING_ARTICLE.sub("", " ".join(text.split()).strip("•·*-–—,;:()\"“”' ")))
    name = _SUFFIX.sub("", name)
    words = name.split()
    # a calendar word can hide an article from the first cut: "November The German boss"
    while len(words) > 1 and (_small(words[0], CALENDAR_WORDS) or LEADING_ARTICLE.fullmatch(f"{words[0]} ")):
        words.pop(0)
    while len(words) > 1 and (words[-1].lower().strip(".,") in _TITLE_ENDS or _small(words[-1])
                              or _SCORE.fullmatch(words[-1])):  # fmt: skip
        words.pop()
    return " ".join(words)


#: Words that end no name: titles ("JP Morgan Managing"), but not "Party", which ends parties' names.
_TITLE_ENDS = ROLE_WORDS - ORGANISATION_WORDS
#: A role's words that are no name alone ("Minister", "District"); but "Labour" names the party too.
_ROLE_ONLY = ROLE_WORDS - _PARTIES
_SUFFIX = re.compile(r"(?<=[\w.])-[a-z]+$")
_SCORE = re.compile(r"\d+[-–]\d+[.,]?")  # "Ross County 2-1": a result, no part of the name
#: Small words that never open or end a name, nor are one: prepositions ("According to" run onto "Arizona
#: DPS" where a full stop is missing), conjunctions, determiners, pronouns, "Let" (of "Let's Move": "'s" is
#: no possessive there); not "Will" or "Can", which are names too.
_SMALL = frozenset(
    """in on at as if but or and nor so by for from after before when while with during since to of into
    under over about against this that these those it its his her our their my your we he she they i you
    like unlike according including despite via let""".split()
)


def _small(word: str, more: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` is a small word (`_SMALL`) or one of ``more``, capitalised or not ("On", "and");
    not an acronym ("US", "IS")."""
    key = word.lower().strip(".,")
    return not word.isupper() and (key in _SMALL or key in more)


#: What looks like a name and is not: a contraction ("I'd", "Ma'am") or a US party and state ("R-Va").
_NOT_A_NAME = re.compile(r"^(?:[A-Z][a-z]?['’][a-z]{1,2}|[RDI]-[A-Z][\w.]*)$")


#: A title's office, named by the title: "the U.S. Trade Representative’s office", "Maricopa County Sheriff's
#: Office" (one of `_OFFICE_HOLDERS`, a title or an officer, before the possessive; "Riva's office" is a person's).
_TITLE_OFFICE = re.compile(r"(?<![\w.])(?:[A-Z][\w.&-]*\s){0,5}(?P<title>[A-Z][\w.&-]*)['’]s [Oo]ffice\b")
_OFFICE_HOLDERS = TITLE_WORDS | frozenset(
    "sheriff marshal marshall coroner prosecutor auditor comptroller ombudsman".split()
)


def candidates(text: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """The names of ``text`` to number for the model (module docstring), in order of first mention."""
    found: dict[str, Candidate] = {}
    analysis = nlp.analyse(text)
    starts = {s for s, _ in analysis.sentences}

    words = Words(text)  # one index of the text's words for every `only_at`

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
        if key in _ROLE_ONLY or _small(name):
            return  # "Minister", "Exchequer", "Finance", "District", "Let" (of "Let's"); but "Labour" the party
        if all(w in TOPIC_WORDS | CONNECTORS for w in key.split()):
            return  # a portfolio: "Railways, Information and Broadcasting"
        if shape_kind(name) == "country" or is_demonym(name) or name not in text:
            return
        if _NOT_A_NAME.match(name) or name.lower() in COMMON_ACRONYMS:
            return  # "I'd", "Ma'am", "R-Va."; "TV", "MPs"
        if " " not in name and not name.isupper() and only_at(words, name, analysis.common):
            return  # "Like many …", "Paramedics arrived": the capital is the sentence's
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
            if line.agency:
                add(line.agency, "ORG", s)  # "(CNN)", "(Reuters)": who filed the story
    for entity in analysis.entities:
        inner = entity.text.split()[1:]
        if any(w[:1].islower() and w not in CONNECTORS for w in inner):
            continue  # "Arsenal at Wembley Stadium": two names and a word; the phrases give each
        bare = _clean(entity.text)
        if bare and " " not in bare and only_at(words, bare, starts):
            continue  # "Attendees included …": a capital that only ever opens a sentence
        if entity.label in LABELS:
            offset = 0
            for piece in entity.text.split("\n"):  # an entity run across a line break is two
                add(piece, entity.label, entity.start + offset)
                offset += len(piece) + 1
    for phrase, at in capitalised_phrases(text, starts, words):
        add(phrase, _CAPS, at)
    for match in _TITLE_OFFICE.finditer(text):  # "the U.S. Trade Representative’s office": an organisation
        if match["title"].lower().strip(".") in _OFFICE_HOLDERS:
            add(match.group(), "ORG", match.start())
    ordered = sorted(found.values(), key=lambda c: c.first)
    return _fullest(ordered)[:limit]


def _fullest(found: Sequence[Candidate]) -> list[Candidate]:
    """``found`` without a shorter form of a person's name ("Stam" beside "Niek Stam"), its labels kept.

    Only a person's surname is folded into the full name: "Rotterdam" beside "Port of Rotterdam"
    is another thing, and stays. Each candidate is compared only with those an index says may be
    its longer form (same first offset, same first or last word, matching initials): comparing
    every pair would be quadratic in the candidates of a long text.
    """
    order = {id(c): i for i, c in enumerate(found)}
    keys = {id(c): plain_key(c.name) for c in found}
    inside: dict[str, int] = {}  # a run of a key's words → how many candidates' keys hold it
    by_first: dict[int, list[Candidate]] = {}
    by_word: dict[str, list[Candidate]] = {}  # a key's first word and last word → candidates
    by_initials: dict[str, list[Candidate]] = {}
    for cand in found:
        words = keys[id(cand)].split()
        for run in {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}:
            inside[run] = inside.get(run, 0) + 1
        by_first.setdefault(cand.first, []).append(cand)
        for word in dict.fromkeys(words[:1] + words[-1:]):
            by_word.setdefault(word, []).append(cand)
        by_initials.setdefault(initials(cand.name), []).append(cand)
    out: list[Candidate] = []
    for cand in found:
        key = keys[id(cand)]
        if not cand.tagged and inside.get(key, 0) > 1:
            continue  # "Geological Survey" inside "U.S. Geological Survey"
        longer = next(
            (o for o in by_first[cand.first] if o is not cand and f"{keys[id(o)]} ".startswith(f"{key} ")
             and len(o.name) > len(cand.name)),
            None,
        )  # fmt: skip
        if longer is not None:  # "Hook" of spaCy's "Hook of" beside the phrase "Hook of Holland"
            longer.labels |= cand.labels
            continue
        maybe = by_word.get(key, []) + (by_initials.get(cand.name, []) if cand.name.isupper() else [])
        maybe.sort(key=lambda o: order[id(o)])
        full = next(
            (o for o in maybe if o is not cand and (_short_form(cand, o) or is_acronym_of(cand.name, o.name))), None
        )
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


def ask_model(found: Sequence[Candidate]) -> type[EntityKinds]:
    """The response model of the kinds request about ``found``: one field per name (`schemas.kinds_model`)."""
    return kinds_model(tuple(c.name for c in found))
