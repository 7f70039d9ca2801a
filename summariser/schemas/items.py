"""The items of a briefing: each claim, name and quote with the `Evidence` (source spans) that supports it.

Shared by the briefing contract (`summariser.schemas.contract`) and its updates
(`summariser.schemas.updates`), which both list them; re-exported by both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, get_args

from pydantic import BaseModel, Field

__all__ = [
    "Evidence",
    "Implication",
    "MatchKind",
    "Organisation",
    "Person",
    "Place",
    "Quote",
    "SourceRef",
    "SummaryPoint",
    "best_match",
]

MatchKind = Literal["exact", "normalised", "fuzzy", "none"]


class Evidence(BaseModel):
    """A character span of a cleaned source text that supports a claim."""

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    match: MatchKind


def best_match(evidence: Iterable[Evidence]) -> MatchKind:
    """The best match kind among ``evidence``, in `MatchKind`'s order ("none" when empty)."""
    order: tuple[MatchKind, ...] = get_args(MatchKind)
    kinds = {e.match for e in evidence}
    return next((k for k in order if k in kinds), "none")


class SummaryPoint(BaseModel):
    """One summary bullet (≤ 45 words): a sentence of a source, or the part of it that fits."""

    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class Person(BaseModel):
    """A person named in the sources, with the role and affiliation the source states."""

    name: str
    role: str | None = None
    affiliation: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Organisation(BaseModel):
    """An organisation named in the sources."""

    name: str
    evidence: list[Evidence] = Field(default_factory=list)


class Place(BaseModel):
    """A named place other than a country: a city, region, town, facility, landmark or body of water."""

    name: str
    evidence: list[Evidence] = Field(default_factory=list)


class Quote(BaseModel):
    """A verbatim quote from a source; ``speaker`` is null when unattributed."""

    text: str
    speaker: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Implication(BaseModel):
    """A policy or market consequence that the sources state."""

    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class SourceRef(BaseModel):
    """One article a briefing was made from.

    ``text`` is the cleaned article text that every evidence offset points into, so a
    briefing can be checked (and the review page drawn) from the briefing file alone.
    """

    doc_id: str
    title: str | None = None
    published: dt.datetime | None = None
    path: str | None = None
    text: str | None = None
