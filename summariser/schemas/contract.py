"""The briefing contract (schema version 1): `Briefing` and its parts, and `Article`.

What users, gold files and the evaluator rely on (exported as schemas/briefing.v1.schema.json).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from .items import (
    Evidence,
    Implication,
    MatchKind,
    Organisation,
    Person,
    Place,
    Quote,
    SourceRef,
    SummaryPoint,
    best_match,
)
from .limits import (
    BULLET_MAX_WORDS,
    HEADLINE_MAX_WORDS,
    SUMMARY_FLOOR,
    SUMMARY_MAX_BULLETS,
    SUMMARY_MIN_BULLETS,
    THEMES_MAX,
    THEMES_MIN,
    word_count,
)
from .updates import Change, Since, Updates

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Briefing",
    "BriefingMeta",
    "Change",
    "Conflict",
    "ConflictValue",
    "Evidence",
    "GroundingIssue",
    "GroundingReport",
    "Implication",
    "MatchCounts",
    "MatchKind",
    "Organisation",
    "Person",
    "Place",
    "Quote",
    "Since",
    "SourceRef",
    "SummaryPoint",
    "Updates",
    "Usage",
    "best_match",
]

SCHEMA_VERSION: Literal["1"] = "1"

# --------------------------------------------------------------------------- inputs


class Article(BaseModel):
    """One cleaned source article.

    ``text`` is the cleaned text the model sees and that evidence offsets point into;
    ``id`` is a stable content hash of ``text`` (``sha256`` prefix), so the same article read
    from a ``.txt`` or a ``.json`` file gets the same id.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    title: str | None = None
    published: dt.datetime | None = None
    text: str
    path: str | None = None
    removed: tuple[str, ...] = ()
    """Lines of page junk removed while cleaning (kept for transparency)."""


# --------------------------------------------------------------------------- contract


class MatchCounts(BaseModel):
    """How the items of one field were found in the sources (best match per item)."""

    exact: int = 0
    normalised: int = 0
    fuzzy: int = 0
    none: int = 0


class GroundingIssue(BaseModel):
    """An item that grounding dropped, or kept although unsupported (with the reason)."""

    field: str
    item: str
    reason: str
    closest: Evidence | None = None
    """The nearest source span found, if any (for a reviewer to compare)."""


class GroundingReport(BaseModel):
    """What grounding found: per-field match counts, dropped and ungrounded items."""

    counts: dict[str, MatchCounts] = Field(default_factory=dict)
    dropped: list[GroundingIssue] = Field(default_factory=list)
    ungrounded: list[GroundingIssue] = Field(default_factory=list)
    """Items kept without a supporting span (only with ``allow_ungrounded``)."""
    event_date: list[Evidence] = Field(default_factory=list)
    """The date expressions in the sources that support ``event_date``."""
    location: list[Evidence] = Field(default_factory=list)
    """Where the sources name ``location``."""
    countries: dict[str, list[Evidence]] = Field(default_factory=dict)
    """Where the sources name each country (the contract's ``countries`` are plain strings)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float:
        """Share of the briefing's items that have a supporting span (1.0 if there are none)."""
        total = sum(c.exact + c.normalised + c.fuzzy + c.none for c in self.counts.values())
        grounded = sum(c.exact + c.normalised + c.fuzzy for c in self.counts.values())
        return grounded / total if total else 1.0


class ConflictValue(BaseModel):
    """One of the values the sources disagree on, with the articles that state it."""

    value: str
    doc_ids: list[str]


class Conflict(BaseModel):
    """Sources that contradict each other (different dates, different roles for one person)."""

    field: str
    subject: str | None = None
    """What the conflict is about (e.g. the person's name), if not the field itself."""
    values: list[ConflictValue] = Field(min_length=2)


class Usage(BaseModel):
    """Token usage summed over every request (including re-asks) of one briefing."""

    requests: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class BriefingMeta(BaseModel):
    """How a briefing was made: model, prompt-template versions, usage, notes."""

    model: str
    prompts: dict[str, str] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    notes: list[str] = Field(default_factory=list)
    made: dt.datetime | None = None
    """When a version of a story was made (UTC, whole seconds): set on the briefings of ``regenerate
    --group-by event``, whose later version's ``updates.since.made`` says since when. Null elsewhere, so
    that one input and one model's answers give one briefing, byte for byte (cached re-runs, snapshots)."""


class Briefing(BaseModel):
    """A briefing on one event, made from one or more articles (schema version 1)."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    headline: str
    event_date: dt.date | None = None
    location: str | None = None
    summary: list[SummaryPoint] = Field(
        min_length=SUMMARY_FLOOR,
        max_length=SUMMARY_MAX_BULLETS,
        description=f"{SUMMARY_FLOOR}–{SUMMARY_MAX_BULLETS} bullets, one distinct fact each; at least "
        f"{SUMMARY_MIN_BULLETS} when the sources have {SUMMARY_MIN_BULLETS} or more sentences of content",
    )
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    places: list[Place] = Field(
        default_factory=list,
        description="Named places other than countries (cities, regions, towns, facilities, landmarks, waters); "
        "the event's location among them",
    )
    countries: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    themes: list[str] = Field(min_length=THEMES_MIN, max_length=THEMES_MAX)
    implications: list[Implication] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    conflicts: list[Conflict] = Field(default_factory=list)
    grounding: GroundingReport | None = None
    meta: BriefingMeta | None = None
    updates: Updates | None = Field(
        default=None,
        description="What the articles added since the event's earlier version (null on a first version)",
    )

    @field_validator("headline")
    @classmethod
    def _headlineword_count(cls, value: str) -> str:
        if word_count(value) > HEADLINE_MAX_WORDS:
            raise ValueError(f"headline has {word_count(value)} words; at most {HEADLINE_MAX_WORDS}")
        return value

    @field_validator("summary")
    @classmethod
    def _bulletword_count(cls, value: list[SummaryPoint]) -> list[SummaryPoint]:
        for point in value:
            if word_count(point.text) > BULLET_MAX_WORDS:
                raise ValueError(f"summary bullet has {word_count(point.text)} words; at most {BULLET_MAX_WORDS}")
        return value
