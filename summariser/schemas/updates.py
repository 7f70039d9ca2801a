"""What a briefing's new version adds to the one before: `Updates` (the contract's ``updates`` field).

A briefing rebuilt because articles joined its event says what those articles add, so a reader
who read the earlier version reads only the difference. It is computed from the two versions
and their sources, never asked of the model (`summariser.brief.updates`); every item carries
evidence in the new articles, as every other claim of a briefing does. The first version of a
briefing has ``updates: null``; an update whose lists are all empty says that nothing is new.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from .items import Evidence, Organisation, Person, Quote, SummaryPoint
from .limits import UPDATE_MAX_CHANGES, UPDATE_MAX_FACTS

__all__ = ["Change", "Since", "Updates"]


class Since(BaseModel):
    """The earlier version an update is measured against."""

    version: int = Field(ge=1, description="The earlier version's number; the briefing carrying the update is the next")
    made: dt.datetime | None = Field(
        default=None, description="When the earlier version was made (its meta.made), if it says"
    )
    headline: str = Field(description="The earlier version's headline")
    sources: list[str] = Field(default_factory=list, description="The doc_id of every source of the earlier version")


class Change(BaseModel):
    """One quantity the new articles state with a new value: a death toll, an amount, a vote count."""

    quantity: str = Field(description='What is counted, as the new article names it ("deaths", "votes for")')
    old: str = Field(description="The earlier value as the earlier article writes it")
    new: str = Field(description="The new value as the new article writes it")
    before: list[Evidence] = Field(default_factory=list, description="Where the earlier articles state the old value")
    evidence: list[Evidence] = Field(default_factory=list, description="Where the new articles state the new value")


class Updates(BaseModel):
    """What the articles new since the earlier version add: each item supported only by them."""

    since: Since
    facts: list[SummaryPoint] = Field(
        default_factory=list,
        max_length=UPDATE_MAX_FACTS,
        description="Summary-worthy sentences of the new articles that no earlier article supports",
    )
    changes: list[Change] = Field(
        default_factory=list,
        max_length=UPDATE_MAX_CHANGES,
        description="Quantities stated again with a different value (old and new, each with its span)",
    )
    people: list[Person] = Field(default_factory=list, description="People no earlier article names")
    organisations: list[Organisation] = Field(
        default_factory=list, description="Organisations no earlier article names"
    )
    quotes: list[Quote] = Field(default_factory=list, description="Quotes no earlier article states")

    def empty(self) -> bool:
        """Whether nothing is new: every list is empty."""
        return not (self.facts or self.changes or self.people or self.organisations or self.quotes)
