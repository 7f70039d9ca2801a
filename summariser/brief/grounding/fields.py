"""The grounding rules of the fields that name something: people, organisations, countries, quotes, location, places.

Each is a `checker.Rule`: it takes the body as grounded so far and returns it with its field
grounded, reporting every item it drops or nulls to the `Checker`. A name must occur in a
source; what is said of it (a person's role and affiliation, a quote's speaker, the comma
parts of a location) must too, or that part alone becomes null. Order matters, and
`rules.RULES` keeps it: `people` moves the organisations it finds among the people before
`organisations` runs, and `places` counts the location `location` kept.
"""

from __future__ import annotations

from dataclasses import replace

from ...schemas import Organisation, Person, Place, Quote
from ...text.kinds import shape_kind
from ...text.names import fullest, is_region, not_a_person
from ...text.normalise import plain_key
from ..body import Body
from .checker import Checker
from .titles import beside, near

__all__ = ["countries", "location", "organisations", "people", "places", "quotes"]


def people(c: Checker, body: Body) -> Body:
    """The people a source names, with only the role and affiliation a source states (`_role`, `_affiliation`).

    The model lists what it takes for a person; `names.not_a_person` catches the two
    mistakes a name's own words show: an organisation ("Export-Import Bank", or the name of a
    listed organisation) moves to organisations, once, so it is still reported as what it
    is; a subject or portfolio ("Information Technology") is nobody and is dropped.
    """
    kept: list[Person] = []
    organisations = list(body.organisations)
    for person in body.people:
        kind = not_a_person(person.name, organisations=[o.name for o in organisations])
        if kind == "organisation":
            c.drop("people", person.name, "an organisation, not a person: listed under organisations")
            if all(plain_key(o.name) != plain_key(person.name) for o in organisations):
                organisations.append(Organisation(name=person.name))
        elif kind == "topic":
            c.drop("people", person.name, "a subject or portfolio, not a person's name")
        else:
            evidence = c.grounder.person(person.name)
            if c.named("people", person.name, evidence):
                role = _role(c, person)
                affiliation = _affiliation(c, person)
                kept.append(Person(name=person.name, role=role, affiliation=affiliation, evidence=evidence))
    return replace(body, people=kept, organisations=organisations)


def _role(c: Checker, person: Person) -> str | None:
    """The person's role if a source states it next to the name (`titles.near`), else None (reported).

    A role is a claim about someone: "Prime Minister" said of the wrong person is worse than none.
    """
    if person.role and not near(c.grounder, person.name, person.role):
        c.drop("people.role", f"{person.name}: {person.role}", "role not stated near the name in any source")
        return None
    return person.role


def _affiliation(c: Checker, person: Person) -> str | None:
    """The person's affiliation if a source names it in a sentence that names the person, else None (reported).

    Two checks, two reasons: an affiliation named nowhere is invented; one named only away
    from the person (`titles.beside`) may belong to someone else in the article.
    """
    affiliation = person.affiliation
    if not affiliation:
        return affiliation
    if not c.place(affiliation):
        c.drop("people.affiliation", f"{person.name}: {affiliation}", "affiliation named in no source")
        return None
    if not beside(c.grounder, person.name, affiliation):
        reason = "affiliation not named with the person in any source"
        c.drop("people.affiliation", f"{person.name}: {affiliation}", reason)
        return None
    return affiliation


def organisations(c: Checker, body: Body) -> Body:
    """The organisations a source names, each once under its fullest name; a region is not an organisation.

    The fullest name wins because a "person" `people` moved here may be a shorter form of a
    listed organisation; "Asia-Pacific" is a region (`names.is_region`), however the model typed it.
    """
    kept: list[Organisation] = []
    longest = set(fullest([o.name for o in body.organisations]))
    for org in (o for o in body.organisations if o.name in longest):
        if is_region(org.name):
            c.drop("organisations", org.name, "a region, not an organisation")
            continue
        evidence = c.grounder.name(org.name)
        if c.named("organisations", org.name, evidence):
            kept.append(Organisation(name=org.name, evidence=evidence))
    return replace(body, organisations=kept)


def countries(c: Checker, body: Body) -> Body:
    """The countries a source names by any of their names; the report keeps each one's evidence.

    Countries carry no evidence of their own in the contract (they are plain names), so the
    report is where a reader finds the span that supports each.
    """
    kept: list[str] = []
    for country in body.countries:
        evidence = c.grounder.country(country)
        if c.named("countries", country, evidence):
            kept.append(country)
            c.report.countries[country] = evidence
    return replace(body, countries=kept)


def quotes(c: Checker, body: Body) -> Body:
    """The quotes verbatim in a source (after normalisation); a speaker named nowhere becomes None.

    A safety net: `mentions.quotes_in` copies quotes from the text, so only a hand-edited
    briefing can hold one that is not verbatim; it is reported with the closest span found,
    for a reviewer.
    """
    kept: list[Quote] = []
    for quote in body.quotes:
        evidence, closest = c.grounder.quote(quote.text)
        if not evidence:
            c.drop("quotes", quote.text, "not verbatim in any source", closest)
            continue
        c.count("quotes", evidence)
        speaker = quote.speaker
        if speaker and not c.grounder.name(speaker):
            c.drop("quotes.speaker", f"{quote.text[:60]} — {speaker}", "speaker named in no source")
            speaker = None
        kept.append(Quote(text=quote.text, speaker=speaker, evidence=evidence))
    return replace(body, quotes=kept)


def location(c: Checker, body: Body) -> Body:
    """The location as far as the sources name it; named nowhere, None. The report keeps its evidence.

    "Geneva, Switzerland" where the text says only GENEVA becomes "Geneva": the model's
    completion of a place is a claim the sources do not make (reported as such).
    """
    where = body.location
    if where and "," in where:
        parts = [p.strip() for p in where.split(",") if p.strip()]
        named = [p for p in parts if c.place(p)]
        if named and named != parts:
            c.drop("location", where, f"only {', '.join(named)} is named in the sources")
            where = ", ".join(named)
    if where:
        c.report.location = c.place(where)
        if c.named("location", where, c.report.location) is False:
            where = None
    return replace(body, location=where)


def places(c: Checker, body: Body) -> Body:
    """The places a source names, each once ("Lima" and "Lima, Peru" are one), the location among them.

    A country is not a place (the contract keeps countries apart), and neither is a name
    that is another kind by its shape ("Port of Rotterdam Authority").
    """
    kept: list[Place] = []
    seen: set[str] = set()
    extra = [Place(name=body.location.split(",")[0].strip())] if body.location else []
    for place in [*body.places, *extra]:
        key = plain_key(place.name.split(",")[0])
        if not key or key in seen or shape_kind(place.name) in ("country", "organisation"):
            continue
        seen.add(key)
        evidence = c.grounder.name(place.name)
        if c.named("places", place.name, evidence):
            kept.append(Place(name=place.name, evidence=evidence))
    return replace(body, places=kept)
