"""The contract's limits, each defined once: the `Field` bounds of the models and the code that cuts, fills
or checks a briefing (merge, drafting, grounding rules) all use these names."""

from __future__ import annotations

__all__ = [
    "BRIEFING_MAX_IMPLICATIONS",
    "BULLET_MAX_WORDS",
    "DRAFT_MAX_IMPLICATIONS",
    "DRAFT_MAX_NAMES",
    "HEADLINE_MAX_WORDS",
    "SUMMARY_FLOOR",
    "SUMMARY_MAX_BULLETS",
    "SUMMARY_MIN_BULLETS",
    "THEMES_MAX",
    "THEMES_MIN",
    "UPDATE_MAX_CHANGES",
    "UPDATE_MAX_FACTS",
    "word_count",
]

HEADLINE_MAX_WORDS = 16
BULLET_MAX_WORDS = 45
#: Summary bullets a briefing needs when its sources have at least this many sentences of content.
SUMMARY_MIN_BULLETS = 3
#: The fewest bullets any briefing has (a one-sentence wire item: one).
SUMMARY_FLOOR = 1
SUMMARY_MAX_BULLETS = 6
THEMES_MIN = 2
THEMES_MAX = 6
#: Implications a briefing keeps after grounding (`Briefing` leaves the list unbounded).
BRIEFING_MAX_IMPLICATIONS = 6
#: Caps of one answer of the model (one article or part), so that a complete answer fits ``max_tokens``.
#: The most names of one article (or part) the model is asked to type (`EntityKinds`), in text order.
DRAFT_MAX_NAMES = 60
DRAFT_MAX_IMPLICATIONS = 4
#: New facts and changed quantities an update lists (`schemas.updates.Updates`): what a reader takes in at a glance.
UPDATE_MAX_FACTS = 6
UPDATE_MAX_CHANGES = 6


def word_count(text: str) -> int:
    """Words of ``text`` as the word limits count them (runs of non-space)."""
    return len(text.split())
