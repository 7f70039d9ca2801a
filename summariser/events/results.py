"""What grouping returns: `Grouping` → `Event` → `Member`, pydantic models (frozen) that dump to JSON.

``Grouping.model_dump(mode="json")`` is what ``summariser group --json`` prints: ``{"events": [{"id",
"label", "articles": [<path as given>, …], "size", "start", "end", "people", "organisations",
"places", "members": [{"article", "id", "title", "published", "position", "score", "reason",
"copy_of"}, …]}, …]}``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

__all__ = ["Event", "Grouping", "Member"]


class Member(BaseModel):
    """One article of an event, and why it is there."""

    model_config = ConfigDict(frozen=True)

    article: str
    """The article as given: its path (``FILE#ID`` or ``FILE line N`` for a record of a JSON file), or
    ``text:<id>`` for text passed directly."""
    id: str
    """The article's content hash (`summariser.schemas.Article.id`)."""
    title: str | None
    published: dt.datetime | None
    position: int
    """Its place in the stream (0 = the first article placed)."""
    score: float | None
    """The decision's probability for the event it joined; the copy's similarity for a copy; None for
    the article that founded the event."""
    reason: str
    copy_of: str | None = None
    """The earlier article (as given) this one copies, exactly or nearly; a copy is counted once."""


class Event(BaseModel):
    """One event: its articles in arrival order, when it happened, who and where."""

    model_config = ConfigDict(frozen=True)

    id: str
    """``ev-`` and the first 12 hex digits of the founding article's content hash: the same articles
    in the same order give the same ids."""
    label: str
    articles: list[str]
    size: int
    """Articles, copies counted once."""
    start: dt.date | None
    end: dt.date | None
    """The earliest and latest day its articles report (publication date, else the first date the
    body states); None when none is dated."""
    people: list[str]
    organisations: list[str]
    places: list[str]
    members: list[Member]


class Grouping(BaseModel):
    """The events of a stream of articles, in the order they were founded."""

    model_config = ConfigDict(frozen=True)

    events: list[Event]
