"""Schemas: the briefing contract, its limits and the LLM response models (pydantic).

* `contract` — `Briefing` and its parts, `Article`, `Evidence`, `best_match` (DESIGN.md section 5);
* `limits` — every limit of the contract, defined once (bullet and theme counts, word limits, caps);
* `drafts` — the bounded ``*Draft`` models the model fills, one focused request each;
* `export` — the JSON Schemas written to ``schemas/`` (a test fails when they drift);
* `gold` — the review mark of a gold file (``meta.notes``), defined once.

This package imports nothing from the pipeline.
"""

from .contract import (
    SCHEMA_VERSION,
    Article,
    Briefing,
    BriefingMeta,
    Conflict,
    ConflictValue,
    Evidence,
    GroundingIssue,
    GroundingReport,
    Implication,
    MatchCounts,
    MatchKind,
    Organisation,
    Person,
    Quote,
    SourceRef,
    SummaryPoint,
    Usage,
    best_match,
)
from .drafts import EntitiesDraft, Label, Name, OverviewDraft, PersonDraft, SentenceNumber, ShortText
from .export import EXPORTED_MODELS, export_schemas, schema_documents
from .gold import HAND_WRITTEN, REVIEW_PREFIX, UNREVIEWED, is_unreviewed, mark_unreviewed
from .limits import (
    BRIEFING_MAX_IMPLICATIONS,
    BULLET_MAX_WORDS,
    DRAFT_MAX_IMPLICATIONS,
    DRAFT_MAX_ORGANISATIONS,
    DRAFT_MAX_PEOPLE,
    HEADLINE_MAX_WORDS,
    SUMMARY_FLOOR,
    SUMMARY_MAX_BULLETS,
    SUMMARY_MIN_BULLETS,
    THEMES_MAX,
    THEMES_MIN,
    word_count,
)

__all__ = [
    "BRIEFING_MAX_IMPLICATIONS",
    "BULLET_MAX_WORDS",
    "DRAFT_MAX_IMPLICATIONS",
    "DRAFT_MAX_ORGANISATIONS",
    "DRAFT_MAX_PEOPLE",
    "EXPORTED_MODELS",
    "HAND_WRITTEN",
    "HEADLINE_MAX_WORDS",
    "REVIEW_PREFIX",
    "SCHEMA_VERSION",
    "SUMMARY_FLOOR",
    "SUMMARY_MAX_BULLETS",
    "SUMMARY_MIN_BULLETS",
    "THEMES_MAX",
    "THEMES_MIN",
    "UNREVIEWED",
    "Article",
    "Briefing",
    "BriefingMeta",
    "Conflict",
    "ConflictValue",
    "EntitiesDraft",
    "Evidence",
    "GroundingIssue",
    "GroundingReport",
    "Implication",
    "Label",
    "MatchCounts",
    "MatchKind",
    "Name",
    "Organisation",
    "OverviewDraft",
    "Person",
    "PersonDraft",
    "Quote",
    "SentenceNumber",
    "ShortText",
    "SourceRef",
    "SummaryPoint",
    "Usage",
    "best_match",
    "export_schemas",
    "is_unreviewed",
    "mark_unreviewed",
    "schema_documents",
    "word_count",
]
