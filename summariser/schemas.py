"""Pydantic models: the briefing contract (schema version 1) and the LLM response models.

Two families live here:

* the **contract** (`Briefing` and its parts, `Article`) — what users, gold files and the
  evaluator rely on (DESIGN.md section 5);
* the **response models** (`*Draft`) — the small, bounded schemas the model fills in one
  focused request each. Every list and string is bounded so that ``max_tokens`` can be
  sized from the schema and a complete answer always fits (see `llm.budget`).

`export_schemas()` writes the JSON Schema of every model to ``schemas/``; a test fails when
the files drift from the models. This module imports nothing from the pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, field_validator

SCHEMA_VERSION: Literal["1"] = "1"

MatchKind = Literal["exact", "normalised", "fuzzy", "none"]

#: Word limits of the contract.
HEADLINE_MAX_WORDS = 16
BULLET_MAX_WORDS = 45


def _words(text: str) -> int:
    return len(text.split())


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


class Evidence(BaseModel):
    """A character span of a cleaned source text that supports a claim."""

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    match: MatchKind


class SummaryPoint(BaseModel):
    """One summary bullet (≤ 45 words, in the tool's own words)."""

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


class Briefing(BaseModel):
    """A briefing on one event, made from one or more articles (schema version 1)."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    headline: str
    event_date: dt.date | None = None
    location: str | None = None
    summary: list[SummaryPoint] = Field(min_length=3, max_length=6)
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    themes: list[str] = Field(min_length=2, max_length=6)
    implications: list[Implication] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    conflicts: list[Conflict] = Field(default_factory=list)
    grounding: GroundingReport | None = None
    meta: BriefingMeta | None = None

    @field_validator("headline")
    @classmethod
    def _headline_words(cls, value: str) -> str:
        if _words(value) > HEADLINE_MAX_WORDS:
            raise ValueError(f"headline has {_words(value)} words; at most {HEADLINE_MAX_WORDS}")
        return value

    @field_validator("summary")
    @classmethod
    def _bullet_words(cls, value: list[SummaryPoint]) -> list[SummaryPoint]:
        for point in value:
            if _words(point.text) > BULLET_MAX_WORDS:
                raise ValueError(f"summary bullet has {_words(point.text)} words; at most {BULLET_MAX_WORDS}")
        return value


# --------------------------------------------------------------------------- response models
# Bounded so that a complete answer always fits in max_tokens (llm.budget sizes it).
# String caps are generous: a cap that is too tight makes constrained decoding cut a
# sentence in two (DESIGN.md section 4).

Name = Annotated[str, StringConstraints(min_length=2, max_length=64)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Label = Annotated[str, StringConstraints(min_length=2, max_length=40)]
Sentence = Annotated[str, StringConstraints(min_length=10, max_length=360)]


class PersonDraft(BaseModel):
    """A person as the model reports it."""

    name: Name = Field(description="Full name as written in the article")
    role: ShortText | None = Field(description="Job title or role exactly as the article states it, else null")
    affiliation: ShortText | None = Field(description="Country or organisation the person represents, else null")


class EntitiesDraft(BaseModel):
    """Sub-request 1: every person and organisation the article names.

    Countries are not asked for: `summariser.mentions` reads them from the text.
    """

    people: list[PersonDraft] = Field(max_length=24, description="Every person named in the article")
    organisations: list[Name] = Field(max_length=12, description="Organisations named in the article")


class SummaryDraft(BaseModel):
    """Re-ask for summary bullets when fewer than three of the first answer's are supported."""

    summary: list[Sentence] = Field(
        min_length=3, max_length=6, description="3 to 6 bullets, each one sentence the article supports"
    )


class OverviewDraft(BaseModel):
    """Sub-request 2: headline, place, summary bullets, themes, implications.

    Quotations are not asked for: `summariser.mentions` copies them from the text, so they
    are verbatim by construction.

    Word limits are not validators here: at temperature 0 a re-ask returns the same answer
    (seen: a 53-word bullet three times), so merge repairs them deterministically instead
    (`merge.fit_words` cuts at a sentence end).
    """

    headline: ShortText = Field(description="At most 16 words, in your own words")
    location: Label | None = Field(description="City or country where the event happened, else null")
    summary: list[Sentence] = Field(
        min_length=3, max_length=6, description="3 to 6 bullets, each one sentence of at most 45 words"
    )
    themes: list[Label] = Field(min_length=2, max_length=6, description="2 to 6 short topic labels")
    implications: list[Sentence] = Field(max_length=4, description="Policy or market consequences the article states")


#: Every model whose JSON Schema is exported to ``schemas/``.
EXPORTED_MODELS: dict[str, type[BaseModel]] = {
    "briefing.v1": Briefing,
    "article": Article,
    "entities-draft": EntitiesDraft,
    "overview-draft": OverviewDraft,
    "summary-draft": SummaryDraft,
}


def schema_documents() -> dict[str, str]:
    """Return ``{file name: JSON text}`` for every exported model, as written to ``schemas/``."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
        for name, model in EXPORTED_MODELS.items()
    }


def export_schemas(directory: Path) -> list[Path]:
    """Write the JSON Schema of every exported model into ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_documents().items():
        path = directory / filename
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
