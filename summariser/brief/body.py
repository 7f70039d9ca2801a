"""The briefing body: the fields of a `Briefing` that the drafts give, from merge to assembly.

`merge.merge` makes a `Body` from the drafts of all articles; `grounding.check` returns the
`Body` it keeps (with evidence on every item, the event date and its conflicts); the pipeline
then makes the `Briefing` from it with `Body.briefing`, which copies every field by name, so
a new briefing field is written here and in `schemas.Briefing`, not in every stage between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from ..schemas import (
    Briefing,
    BriefingMeta,
    Conflict,
    GroundingReport,
    Implication,
    Organisation,
    Person,
    Place,
    Quote,
    SourceRef,
    SummaryPoint,
)

__all__ = ["ASSEMBLED", "Body"]

#: The `Briefing` fields a body does not carry: the pipeline adds them when it assembles the briefing
#: (``updates`` when it is a later version: `summariser.brief.updates`).
ASSEMBLED = frozenset({"schema_version", "sources", "grounding", "meta", "updates"})


@dataclass
class Body:
    """Everything of a briefing that comes from the articles' drafts (every other `Briefing` field)."""

    headline: str
    location: str | None
    summary: list[SummaryPoint]
    people: list[Person]
    organisations: list[Organisation]
    countries: list[str]
    quotes: list[Quote]
    themes: list[str]
    implications: list[Implication]
    conflicts: list[Conflict]
    event_date: dt.date | None = None
    """Set by grounding, from the sources' own date expressions (never from the model)."""
    places: list[Place] = field(default_factory=list)
    """Named places other than countries; the location among them."""

    def briefing(self, *, sources: list[SourceRef], grounding: GroundingReport, meta: BriefingMeta) -> Briefing:
        """The `Briefing` of this body: its fields as they are, plus the sources, report and meta."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return Briefing(**values, sources=sources, grounding=grounding, meta=meta)
