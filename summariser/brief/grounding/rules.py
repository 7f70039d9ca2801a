"""The rules that make grounding bite: keep what the sources support, drop and report the rest.

Applied to the merged body of a briefing (`merge.Merged`), with a `grounding.Grounder` over
every source article:

* a quote that is not verbatim in a source (after normalisation) is dropped — the pipeline
  has already re-asked the model once for it — and reported with the closest span found;
* a "person" whose name is an organisation's ("Export-Import Bank") moves to organisations,
  one that names a subject ("Information Technology") is dropped;
* a person, organisation or country whose name occurs in no source is dropped; a role not
  stated near the person's name, an affiliation or a quote speaker named nowhere, and a
  location named nowhere become null; each is reported;
* a summary bullet or implication with no supporting span is dropped, or kept and flagged
  when the user allows ungrounded claims (``allow_ungrounded``).

The result carries evidence on every kept item and a `GroundingReport` with per-field match
counts (the best match per item) and every dropped or flagged item with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...errors import ValidationFailed
from ...schemas import (
    Evidence,
    GroundingIssue,
    GroundingReport,
    Implication,
    MatchCounts,
    Organisation,
    Person,
    Quote,
    SummaryPoint,
)
from ...text.names import country_name, fold, not_a_person
from ..merge import Merged
from .search import Grounder, best_match

#: The contract's list limits, applied after unsupported items are gone.
MAX_BULLETS = 6
MIN_BULLETS = 3
MAX_IMPLICATIONS = 6


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
    body: Merged,
    grounder: Grounder,
    *,
    allow_ungrounded: bool = False,
) -> tuple[Merged, GroundingReport]:
    """Ground every item of ``body``; return the kept items (with evidence) and the report."""
    c = Checker(grounder, allow_ungrounded=allow_ungrounded)
    summary = [SummaryPoint(text=t, evidence=ev) for t, ev in c.claims("summary", [p.text for p in body.summary])]
    implications = [
        Implication(text=t, evidence=ev) for t, ev in c.claims("implications", [i.text for i in body.implications])
    ]

    people = []
    organisations = list(body.organisations)
    for person in body.people:
        kind = not_a_person(person.name)
        if any(fold(o.name) == fold(person.name) for o in organisations):
            kind = "organisation"
        if kind == "organisation":
            c.drop("people", person.name, "an organisation, not a person: listed under organisations")
            if all(fold(o.name) != fold(person.name) for o in organisations):
                organisations.append(Organisation(name=person.name))
            continue
        if kind == "topic":
            c.drop("people", person.name, "a subject or portfolio, not a person's name")
            continue
        evidence = grounder.person(person.name)
        if not c.named("people", person.name, evidence):
            continue
        role, affiliation = person.role, person.affiliation
        if role and not grounder.near(person.name, role):
            c.drop("people.role", f"{person.name}: {role}", "role not stated near the name in any source")
            role = None
        if affiliation and not c.place(affiliation):
            c.drop("people.affiliation", f"{person.name}: {affiliation}", "affiliation named in no source")
            affiliation = None
        people.append(Person(name=person.name, role=role, affiliation=affiliation, evidence=evidence))

    kept_orgs = []
    for org in organisations:
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
    if location:
        c.report.location = c.place(location)
        if c.named("location", location, c.report.location) is False:
            location = None

    if len(summary) < MIN_BULLETS:
        if allow_ungrounded:
            raise ValidationFailed(
                f"the model gave only {len(summary)} distinct summary bullets (a briefing needs {MIN_BULLETS}); "
                "try another model (--model)"
            )
        raise ValidationFailed(
            f"only {len(summary)} of {len(body.summary)} summary bullets are supported by the sources "
            f"(a briefing needs {MIN_BULLETS}); rerun with --allow-ungrounded to keep them, flagged"
        )
    summary, implications = summary[:MAX_BULLETS], implications[:MAX_IMPLICATIONS]
    for field, items in (("summary", summary), ("implications", implications)):
        for item in items:
            c.count(field, item.evidence)
    kept_texts = {p.text for p in summary} | {i.text for i in implications}
    c.report.ungrounded = [u for u in c.report.ungrounded if u.item in kept_texts]
    grounded = replace(
        body,
        location=location,
        summary=summary,
        people=people,
        organisations=kept_orgs,
        countries=countries,
        quotes=quotes,
        implications=implications,
    )
    return grounded, c.report
