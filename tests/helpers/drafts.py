"""A minimal `Draft` of one article, for the tests of merging and grounding what the model drafted."""

from __future__ import annotations

from summariser.brief.draft import Draft
from summariser.schemas import EntitiesDraft, OverviewDraft, PersonDraft


def draft(doc_id: str, people: list[PersonDraft], organisations: list[str] | None = None) -> Draft:
    """The draft of article ``doc_id``: these people and organisations (none by default), a placeholder overview."""
    overview = OverviewDraft(
        headline="Strike",
        location=None,
        summary=[1, 2, 3],
        themes=["a b", "c d"],
        implications=[],
    )
    bullets = ["One sentence of ten chars.", "Two sentences here too.", "Three is the minimum."]
    return Draft(doc_id, EntitiesDraft(people=people, organisations=organisations or []), overview, summary=bullets)
