"""People and organisations as the text states them: candidates for the model, titles after it.

Before the entities request, `candidates` lists the names spaCy tags as people and as
organisations (`summariser.text.nlp`), as two checklists for the model to confirm: recall
then does not depend on the model noticing every name of a long participant list, and
nothing is listed because spaCy said so (it calls "Lars Klingbeil" a place).

After it, `stated_titles` puts what the text writes right before each name in place of
what the model guessed (`summariser.text.titles`): a title left inside a name comes out of
it ("WHO Director-General Tedros Adhanomi Ghebreyesus" → "Tedros Adhanomi Ghebreyesus",
role "Director-General", affiliation "WHO"); the stated role replaces the model's, the
stated affiliation (a possessive, an organisation or a country leading the title) replaces
the model's; and an organisation a title names ("Export-Import Bank of the United States
President …") is added to the organisations. A prime minister or president with no stated
affiliation represents the one country the sentence naming them names (`NATIONAL_OFFICES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schemas import EntitiesDraft, PersonDraft
from ..text import nlp
from ..text.kinds import demonym_country, is_demonym
from ..text.names import (
    CONNECTORS,
    LEADING_ARTICLE,
    TITLE_WORDS,
    TOPIC_WORDS,
    after_possessive,
    country_name,
    fullest,
    is_acronym_of,
    strip_titles,
)
from ..text.normalise import POSSESSIVE_END, plain_key, whole_word
from ..text.stopwords import FUNCTION_WORDS
from ..text.titles import StatedTitle, role_before_comma, title_after, title_before
from .mentions import countries_in

__all__ = ["MAX_CANDIDATES", "NATIONAL_OFFICES", "Candidates", "candidates", "name_candidates", "stated_titles"]

#: Most names of each kind put in the prompt's checklists.
MAX_CANDIDATES = 40
#: Titles that speak for a country: a holder with no stated affiliation represents the one country
#: the sentence that names them names ("Prime Minister Mark Carney said Canada will not …").
NATIONAL_OFFICES = frozenset({"prime minister", "president", "premier", "chancellor", "king", "queen"})
_CANDIDATE = re.compile(r"\b[A-Z][\w'’.-]*(?:[ -](?:(?:de|da|del|van|von|der|bin|al|la|le)[ -])?[A-Z][\w'’.-]*){1,5}")


@dataclass(frozen=True)
class Candidates:
    """Names spaCy found: possible people (titles stripped) and possible organisations, each once."""

    people: list[str]
    organisations: list[str]


def name_candidates(text: str, limit: int = MAX_CANDIDATES) -> list[str]:
    """Possible person names in ``text``: capitalised phrases stripped of titles and possessives.

    A checklist for the model (not all are people), so that recall does not depend on the
    model noticing every name in a long participant list.
    """
    seen: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):
        for piece in re.split(r"\.\s+", match.group(0)):
            words = after_possessive(piece)
            titles = [i for i, w in enumerate(words) if w.lower().strip(".,") in TITLE_WORDS]
            if titles:
                words = words[titles[-1] + 1 :]
            if 2 <= len(words) <= 4:
                seen.setdefault(" ".join(words), None)
    return list(seen)[:limit]


def _clean_org(text: str) -> str:
    words = POSSESSIVE_END.sub("", LEADING_ARTICLE.sub("", " ".join(text.split()).strip("•·*-–— "))).split()
    titles = [w.lower() in TITLE_WORDS or w.lower().strip(".,") in TITLE_WORDS for w in words]
    while len(words) > 1 and titles[-1] and not all(titles):  # "JP Morgan Managing": a title that followed
        words.pop()
        titles.pop()
    return " ".join(words)


def candidates(text: str) -> Candidates:
    """Possible people (`name_candidates`) and organisations (spaCy's ORG entities) in ``text``.

    People come from capitalised phrases: on the seeds they list all 17 people of seed 003
    where spaCy's PERSON entities list 13 (it tags "Lars Klingbeil" as a place). spaCy's
    organisations are cleaned ("the European Commission’s" → "European Commission", "JP
    Morgan Managing" → "JP Morgan"); a one-word subject ("Finance", "Exchequer"), a person's
    name and a shorter form of another listed organisation ("Treasury" beside "US Treasury")
    are left out.
    """
    people = name_candidates(text)
    surnames = {plain_key(w) for p in people for w in p.split()}
    analysis = nlp.analyse(text)
    starts = {s for s, _ in analysis.sentences}
    found: dict[str, None] = {}
    for entity in analysis.entities:
        if entity.label != "ORG":
            continue
        name = _clean_org(entity.text)
        words = [w.strip(",") for w in name.split()]
        if len(name) < 2 or country_name(name) is not None or not name[:1].isupper():
            continue
        if all(w.lower() in TOPIC_WORDS or w.lower() in CONNECTORS for w in words):
            continue  # a portfolio: "Railways, Information and Broadcasting"
        if len(words) == 1 and (plain_key(name) in surnames or name.lower() in TITLE_WORDS or entity.start in starts):
            continue  # a surname, a title, or a capitalised first word ("Attendees")
        found.setdefault(name, None)
    return Candidates(people, fullest(list(found))[:MAX_CANDIDATES])


def _mention(text: str, name: str) -> int:
    """Where ``name`` (or, failing that, its surname) is first written in ``text``; -1 if nowhere."""
    for probe in (name, name.split()[-1] if len(name.split()) > 1 else None):
        if probe:
            match = whole_word(probe).search(text)
            if match:
                return match.start()
    return -1


def _stated(text: str, name: str) -> tuple[str, StatedTitle | None, int]:
    """The name without a title left in it, the title written before it (else in an apposition:
    `titles.title_after`, `titles.role_before_comma`), and where it is (-1: nowhere)."""
    bare = strip_titles(name)
    inside = title_before(name, name.index(bare)) if bare != name and bare in name else None
    at = _mention(text, bare)
    in_text = title_before(text, at) if at >= 0 else None
    if (in_text is None or in_text.role is None) and inside is None and len(bare.split()) > 1:
        after = next(
            (t for m in whole_word(bare).finditer(text)
             if (t := title_after(text, m.end()) or role_before_comma(text, m.start())) is not None),
            None,
        )  # fmt: skip
        in_text = after or in_text
    return bare, in_text or inside, at


def _national(role: str | None, text: str, at: int) -> str | None:
    """The country a holder of a `NATIONAL_OFFICES` title represents: the one their sentence names, if one."""
    if not role or role.lower() not in NATIONAL_OFFICES or at < 0:
        return None
    sentence = next((text[s:e] for s, e in nlp.analyse(text).sentences if s <= at < e), "")
    found = countries_in(sentence)
    return found[0] if len(found) == 1 else None


def _longer_role(model: str | None, stated: str, before: str) -> bool:
    """Whether the model's role is the stated one with the lower-case words that lead it in the text.

    "union leader Jane Doe": the title reads "leader" (lower-case words end it), the model
    says "union leader", and the text writes exactly that before the name: keep the longer.
    """
    if not model or len(model) <= len(stated) or not model.lower().endswith(stated.lower()):
        return False
    return " ".join(before.split()).lower().endswith(" ".join(model.split()).lower())


#: Lower-case words a name may hold between its capitalised ones ("Bank of England").
_JOINERS = frozenset("of the for and de del da van von".split())


def _named(org: str) -> bool:
    """Whether what a title reads as an organisation is a name: capitalised words, lower-case joiners
    only between them ("Bank of England"; not "partner Ashton Kutcher and" before "daughter Wyatt"), and not
    one function word ("Where's Wally": no organisation "Where")."""
    words = org.split()
    return (
        bool(words) and words[0][:1].isupper() and words[-1][:1].isupper()
        and not (org.istitle() and org.lower() in FUNCTION_WORDS)
        and all(w[:1].isupper() or w[:1].isdigit() or w in _JOINERS for w in words)
    )  # fmt: skip


def stated_titles(entities: EntitiesDraft, text: str) -> EntitiesDraft:
    """``entities`` with names, roles and affiliations as ``text`` states them (module docstring)."""
    people: list[PersonDraft] = []
    orgs = list(entities.organisations)
    keys = {plain_key(o) for o in orgs} | {plain_key(p) for p in entities.places}  # "Scotland's First Minister"
    for person in entities.people:
        name, stated, at = _stated(text, person.name)
        role, affiliation = person.role, person.affiliation
        if stated is not None:
            if stated.role and not _longer_role(role, stated.role, text[max(0, at - 120) : max(at, 0)]):
                role = stated.role
            affiliation = stated.affiliation or affiliation
            for org in (stated.organisation, stated.possessor):
                if (
                    org
                    and _named(org)
                    and country_name(org) is None
                    and plain_key(org) not in keys
                    and not any(is_acronym_of(org, o) or is_acronym_of(o, org) for o in orgs)
                ):  # "the SNP's Nicola Sturgeon" beside the Scottish National Party
                    orgs.append(org)
                    keys.add(plain_key(org))
        affiliation = affiliation or _national(role, text, at)
        if affiliation and is_demonym(affiliation):  # "Dutch Economy Minister …": the Netherlands, or none
            affiliation = demonym_country(affiliation)
        if len(name) < 2:
            name = person.name
        role, affiliation = role and role[:100], affiliation and affiliation[:100]
        people.append(PersonDraft(name=name[:64], role=role, affiliation=affiliation))
    # model_copy: the organisations a title names may go past the model's own cap of DRAFT_MAX_ORGANISATIONS
    return entities.model_copy(update={"people": people, "organisations": [o[:64] for o in orgs]})
