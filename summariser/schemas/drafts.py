"""The response models (`*Draft`): the small, bounded schemas the model fills, one focused request each.

Every list and string is bounded so that ``max_tokens`` can be sized from the schema and a
complete answer always fits (see `summariser.llm.budget`). Their docstrings and field
descriptions are part of the JSON Schema sent to the model: changing one changes every
request (and so misses every cache entry and cassette).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from .limits import (
    DRAFT_MAX_IMPLICATIONS,
    DRAFT_MAX_ORGANISATIONS,
    DRAFT_MAX_PEOPLE,
    HEADLINE_MAX_WORDS,
    SUMMARY_MAX_BULLETS,
    THEMES_MAX,
    THEMES_MIN,
)

__all__ = ["EntitiesDraft", "Label", "Name", "OverviewDraft", "PersonDraft", "SentenceNumber", "ShortText"]

# --------------------------------------------------------------------------- response models
# Bounded so that a complete answer always fits in max_tokens (llm.budget sizes it).
# String caps are generous: a cap that is too tight makes constrained decoding cut a
# sentence in two (DESIGN.md section 4).

Name = Annotated[str, StringConstraints(min_length=2, max_length=64)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Label = Annotated[str, StringConstraints(min_length=2, max_length=40)]
#: A sentence of the article, by its number in the numbered prompt (1-based). Not a validator: at
#: temperature 0 a re-ask returns the same number, so a number with no sentence is left out instead.
SentenceNumber = int


class PersonDraft(BaseModel):
    """A person as the model reports it."""

    name: Name = Field(description="Full name as written in the article")
    role: ShortText | None = Field(description="Job title or role exactly as the article states it, else null")
    affiliation: ShortText | None = Field(description="Country or organisation the person represents, else null")


class EntitiesDraft(BaseModel):
    """Sub-request 1: every person and organisation the article names.

    Countries are not asked for: `summariser.mentions` reads them from the text.
    """

    people: list[PersonDraft] = Field(max_length=DRAFT_MAX_PEOPLE, description="Every person named in the article")
    organisations: list[Name] = Field(
        max_length=DRAFT_MAX_ORGANISATIONS, description="Organisations named in the article"
    )


class OverviewDraft(BaseModel):
    """Sub-request 2: headline, place, summary and implications as sentence numbers, themes.

    The article is shown as numbered sentences (`summariser.brief.numbering`); the summary
    and the implications are the numbers of the sentences that state them, so they are the
    article's own words by construction. Quotations are not asked for: `summariser.mentions`
    copies them from the text.
    """

    headline: ShortText = Field(description=f"At most {HEADLINE_MAX_WORDS} words, in your own words")
    location: Label | None = Field(description="City or country where the event happened, else null")
    summary: list[SentenceNumber] = Field(
        min_length=1,
        max_length=SUMMARY_MAX_BULLETS,
        description="Numbers of the sentences that state the most important facts, the main news first",
    )
    themes: list[Label] = Field(
        min_length=THEMES_MIN, max_length=THEMES_MAX, description=f"{THEMES_MIN} to {THEMES_MAX} short topic labels"
    )
    implications: list[SentenceNumber] = Field(
        max_length=DRAFT_MAX_IMPLICATIONS,
        description="Numbers of the sentences that state a consequence of the news; [] if none",
    )
