"""The rules that make grounding bite: keep what the sources support, drop and report the rest.

Applied to the merged body of a briefing (`body.Body`), with a `search.Grounder` over every
source article:

* a quote that is not verbatim in a source (after normalisation) is dropped and reported
  with the closest span found — a safety net: `mentions.quotes_in` copies quotes from the
  text, nothing asks the model for them;
* a "person" that `names.not_a_person` finds is an organisation ("Export-Import Bank", or
  the name of a listed organisation) moves to organisations, one that names a subject
  ("Information Technology") is dropped; each is reported;
* a person, organisation or country whose name occurs in no source is dropped; a role not
  stated near the person's name, an affiliation not named in a sentence that names the
  person, a quote speaker named nowhere, and a location named nowhere become null; each is
  reported;
* an implication that states no consequence (`CONSEQUENCE`: nothing that will, may or must
  follow, nothing something causes) is dropped — a sentence of fact is a summary bullet;
* a summary bullet or implication with no supporting span is dropped, or kept and flagged
  when the user allows ungrounded claims (``allow_ungrounded``); a briefing with fewer kept
  bullets than its sources need (`bullets_required`: three, fewer for sources with fewer
  sentences of content) fails, and the lists are cut to the contract's caps;
* the event date is the one most sources state in their own date expressions (resolved
  against the publication time, never from the model: `event_date_of`); sources that state
  different dates are a `Conflict`.

The result carries evidence on every kept item and a `GroundingReport` with per-field match
counts (the best match per item), every dropped or flagged item with its reason, and the
spans that support the event date, the location and each country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...errors import ValidationFailed
from ...schemas import (
    BRIEFING_MAX_IMPLICATIONS,
    SUMMARY_MAX_BULLETS,
    SUMMARY_MIN_BULLETS,
    Evidence,
    GroundingIssue,
    GroundingReport,
    Implication,
    MatchCounts,
    Organisation,
    Person,
    Place,
    Quote,
    SummaryPoint,
    best_match,
)
from ...text.consequence import CONSEQUENCE
from ...text.kinds import shape_kind
from ...text.names import country_name, fullest, is_region, not_a_person
from ...text.normalise import plain_key
from ..body import Body
from .dated import event_date_of
from .search import Grounder
from .titles import beside, near

__all__ = ["Checker", "bullets_required", "check", "event_date_of"]


def bullets_required(content: int) -> int:
    """How many supported summary bullets sources with ``content`` sentences of content need.

    `SUMMARY_MIN_BULLETS` (three) when they have at least that many sentences that state
    something, else one per such sentence, and never fewer than one: a two-sentence wire
    item gets a two-bullet summary, not an error. The one owner of the rule: drafting asks
    each part for this many, `check` fails a briefing with fewer.
    """
    return max(1, min(SUMMARY_MIN_BULLETS, content))


class Checker:
    """Applies the rules to one briefing body and fills one report."""

    def __init__(self, grounder: Grounder, *, allow_ungrounded: bool = False) -> None:
        self.grounder = grounder
        self.allow_ungrounded = allow_ungrounded
        self.report = GroundingReport()

    def count(self, field: str, evidence: Sequence[Evidence]) -> None:
        """Count one item of ``field`` under its best match kind."""
        counts = self.report.counts.setdefault(field, MatchCounts())
        kind = best_match(evidence)
        setattr(counts, kind, getattr(counts, kind) + 1)

    def drop(self, field: str, item: str, reason: str, closest: Evidence | None = None) -> None:
        """Report a dropped item (or a value set to null), naming text addressed to the model as the cause."""
        if "." not in field and self.grounder.addressed_to_model(item):
            reason += "; the source has it only in text addressed to the model (possible prompt injection)"
        self.report.dropped.append(GroundingIssue(field=field, item=item, reason=reason, closest=closest))

    def claims(self, field: str, texts: Sequence[str]) -> list[tuple[str, list[Evidence]]]:
        """Bullets or implications with their evidence; unsupported ones dropped or flagged."""
        kept = []
        for text in texts:
            evidence = self.grounder.claim(text)
            if not evidence:
                reason = "no source sentence states this"
                if not self.allow_ungrounded:
                    self.drop(field, text, reason)
                    continue
                self.report.ungrounded.append(GroundingIssue(field=field, item=text, reason=reason))
            kept.append((text, evidence))
        return kept

    def named(self, field: str, name: str, evidence: list[Evidence]) -> bool:
        """Count a named item; report it when no source names it."""
        if not evidence:
            self.drop(field, name, "named in no source")
            return False
        self.count(field, evidence)
        return True

    def place(self, value: str | None) -> list[Evidence]:
        """Evidence for a place or affiliation: as a name, else as a country by any of its names.

        "Washington, D.C." is supported (as a fuzzy match) by "Washington" when only that is named.
        """
        if not value:
            return []
        for i, part in enumerate([value, *[p for p in value.split(",") if p.strip()][: 2 if "," in value else 0]]):
            found = self.grounder.name(part)
            country = country_name(part)
            found = found or (self.grounder.country(country) if country else [])
            if found:
                return found if i == 0 else [e.model_copy(update={"match": "fuzzy"}) for e in found]
        return []


def check(
    body: Body, grounder: Grounder, *, allow_ungrounded: bool = False, required: int = SUMMARY_MIN_BULLETS
) -> tuple[Body, GroundingReport]:
    """Ground every item of ``body`` in ``grounder``'s articles; return the kept body and the report.

    ``required`` is the number of supported summary bullets the briefing needs
    (`bullets_required` of its sources' content sentences); fewer is a `ValidationFailed`.

    The kept body has evidence on every item, the event date (`event_date_of`) and, before
    the body's own, the conflicts between the sources' dates.
    """
    c = Checker(grounder, allow_ungrounded=allow_ungrounded)
    summary = [SummaryPoint(text=t, evidence=ev) for t, ev in c.claims("summary", [p.text for p in body.summary])]
    consequences = []
    for stated in body.implications:
        if CONSEQUENCE.search(stated.text):
            consequences.append(stated.text)
        else:
            c.drop("implications", stated.text, "states no consequence (nothing that will, may or must follow)")
    implications = [Implication(text=t, evidence=ev) for t, ev in c.claims("implications", consequences)]

    people = []
    organisations = list(body.organisations)
    for person in body.people:
        kind = not_a_person(person.name, organisations=[o.name for o in organisations])
        if kind == "organisation":
            c.drop("people", person.name, "an organisation, not a person: listed under organisations")
            if all(plain_key(o.name) != plain_key(person.name) for o in organisations):
                organisations.append(Organisation(name=person.name))
            continue
        if kind == "topic":
            c.drop("people", person.name, "a subject or portfolio, not a person's name")
            continue
        evidence = grounder.person(person.name)
        if not c.named("people", person.name, evidence):
            continue
        role, affiliation = person.role, person.affiliation
        if role and not near(grounder, person.name, role):
            c.drop("people.role", f"{person.name}: {role}", "role not stated near the name in any source")
            role = None
        if affiliation and not c.place(affiliation):
            c.drop("people.affiliation", f"{person.name}: {affiliation}", "affiliation named in no source")
            affiliation = None
        elif affiliation and not beside(grounder, person.name, affiliation):
            reason = "affiliation not named with the person in any source"
            c.drop("people.affiliation", f"{person.name}: {affiliation}", reason)
            affiliation = None
        people.append(Person(name=person.name, role=role, affiliation=affiliation, evidence=evidence))

    kept_orgs = []
    longest = set(fullest([o.name for o in organisations]))  # a "person" moved here may be a shorter form
    for org in (o for o in organisations if o.name in longest):
        if is_region(org.name):
            c.drop("organisations", org.name, "a region, not an organisation")
            continue
        evidence = grounder.name(org.name)
        if c.named("organisations", org.name, evidence):
            kept_orgs.append(Organisation(name=org.name, evidence=evidence))

    countries = []
    for country in body.countries:
        evidence = grounder.country(country)
        if c.named("countries", country, evidence):
            countries.append(country)
            c.report.countries[country] = evidence

    quotes = []
    for quote in body.quotes:
        evidence, closest = grounder.quote(quote.text)
        if not evidence:
            c.drop("quotes", quote.text, "not verbatim in any source", closest)
            continue
        c.count("quotes", evidence)
        speaker = quote.speaker
        if speaker and not grounder.name(speaker):
            c.drop("quotes.speaker", f"{quote.text[:60]} — {speaker}", "speaker named in no source")
            speaker = None
        quotes.append(Quote(text=quote.text, speaker=speaker, evidence=evidence))

    location = body.location
    if location and "," in location:  # "Geneva, Switzerland" where the text says GENEVA: only what it names
        parts = [p.strip() for p in location.split(",") if p.strip()]
        named = [p for p in parts if c.place(p)]
        if named and named != parts:
            c.drop("location", location, f"only {', '.join(named)} is named in the sources")
            location = ", ".join(named)
    if location:
        c.report.location = c.place(location)
        if c.named("location", location, c.report.location) is False:
            location = None

    places = _places(c, body.places, location)

    if len(summary) < required:
        if allow_ungrounded:
            raise ValidationFailed(
                f"the model gave only {len(summary)} distinct summary bullets "
                f"(this briefing needs {required}); try another model (--model)"
            )
        raise ValidationFailed(
            f"only {len(summary)} of {len(body.summary)} summary bullets are supported by the sources "
            f"(this briefing needs {required}); rerun with --allow-ungrounded to keep them, flagged"
        )
    summary, implications = summary[:SUMMARY_MAX_BULLETS], implications[:BRIEFING_MAX_IMPLICATIONS]
    for field, items in (("summary", summary), ("implications", implications)):
        for item in items:
            c.count(field, item.evidence)
    kept_texts = {p.text for p in summary} | {i.text for i in implications}
    c.report.ungrounded = [u for u in c.report.ungrounded if u.item in kept_texts]
    date, c.report.event_date, date_conflicts = event_date_of(grounder.articles)
    if date is not None:
        c.report.counts["event_date"] = MatchCounts(exact=1)
    grounded = replace(
        body,
        event_date=date,
        conflicts=[*date_conflicts, *body.conflicts],
        location=location,
        summary=summary,
        people=people,
        organisations=kept_orgs,
        countries=countries,
        quotes=quotes,
        implications=implications,
        places=places,
    )
    return grounded, c.report


def _places(c: Checker, named: Sequence[Place], location: str | None) -> list[Place]:
    """The places a source names, each once ("Lima" and "Lima, Peru" are one), the location among them.

    A country is not a place (the contract keeps countries apart), and neither is a name
    that is another kind by its shape ("Port of Rotterdam Authority").
    """
    kept: list[Place] = []
    seen: set[str] = set()
    extra = [Place(name=location.split(",")[0].strip())] if location else []
    for place in [*named, *extra]:
        key = plain_key(place.name.split(",")[0])
        if not key or key in seen or shape_kind(place.name) in ("country", "organisation"):
            continue
        seen.add(key)
        evidence = c.grounder.name(place.name)
        if c.named("places", place.name, evidence):
            kept.append(Place(name=place.name, evidence=evidence))
    return kept
