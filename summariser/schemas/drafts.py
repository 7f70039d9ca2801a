"""The response models (`*Draft`): the small, bounded schemas the model fills, one focused request each.

Every list and string is bounded so that ``max_tokens`` can be sized from the schema and a
complete answer always fits (see `summariser.llm.tokens.max_tokens`). Their docstrings and field
descriptions are part of the JSON Schema sent to the model: changing one changes every
request (and so misses every cache entry and cassette).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from .limits import (
    DRAFT_MAX_IMPLICATIONS,
    HEADLINE_MAX_WORDS,
    SUMMARY_MAX_BULLETS,
    THEMES_MAX,
    THEMES_MIN,
)

__all__ = [
    "NAME_MAX_CHARS",
    "EntitiesDraft",
    "EntityKind",
    "EntityKinds",
    "Label",
    "Name",
    "OverviewDraft",
    "PersonDraft",
    "SentenceNumber",
    "ShortText",
    "kinds_model",
]

# --------------------------------------------------------------------------- response models
# Bounded so that a complete answer always fits in max_tokens (llm.tokens.max_tokens sizes it).
# String caps are generous: a cap that is too tight makes constrained decoding cut a
# sentence in two (docs/backends.md, bounded output).

#: The longest name of an article put to the model (a longer "name" is no name).
NAME_MAX_CHARS = 64
Name = Annotated[str, StringConstraints(min_length=2, max_length=NAME_MAX_CHARS)]
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
    """Every person, organisation and place an article names, as drafting settles them.

    Not a response model: the model answers `EntityKinds` (the kind of each name the text
    mentions) and `summariser.brief.entities.settle` turns its answer into this. Countries are
    not here: `summariser.brief.mentions` reads them from the text.
    """

    people: list[PersonDraft]
    organisations: list[Name]
    places: list[Name] = []


#: What a name of the article is, as the model answers it for each numbered name.
EntityKind = Literal["person", "organisation", "place", "other"]


class EntityKinds(BaseModel):
    """Sub-request 1: the kind of every name the article mentions, one field per name.

    A small model chooses among given options better than it writes lists, so the names come
    from the text (`summariser.brief.entities.candidates`) and the model only types each one:
    its answer is ``{"Niek Stam": "person", "FNV": "organisation", "Hook of Holland": "place", …}``.
    The fields are made for each request by `kinds_model` (the names are the JSON keys, all
    required, in the order of the text), so the grammar writes every name for the model and
    its choice for each is one of `EntityKind`.
    """

    model_config = ConfigDict(populate_by_name=True)

    def kinds(self) -> dict[str, str]:
        """``{name: kind}`` in the order of the names."""
        return {f.alias or n: getattr(self, n) for n, f in type(self).model_fields.items()}


@lru_cache(maxsize=256)
def kinds_model(names: tuple[str, ...]) -> type[EntityKinds]:
    """The `EntityKinds` model of one article's ``names``: at most `DRAFT_MAX_NAMES`, distinct, each at most
    `NAME_MAX_CHARS` characters (so its answer is bounded: `summariser.llm.tokens.max_tokens`)."""
    fields: dict[str, Any] = {f"n{i}": (EntityKind, Field(alias=name)) for i, name in enumerate(names)}
    return create_model("EntityKinds", __base__=EntityKinds, **fields)


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
