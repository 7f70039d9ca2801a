"""The event date of a briefing: the date most sources state in their own date expressions.

Resolved against each article's publication time (`summariser.text.dates.event_date`), never
taken from the model; sources that state different dates are a `Conflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...schemas import Article, Conflict, ConflictValue, Evidence
from ...text.dates import event_date

__all__ = ["event_date_of"]


def event_date_of(articles: Sequence[Article]) -> tuple[dt.date | None, list[Evidence], list[Conflict]]:
    """The event date most articles state (the first article's on a tie), its evidence and conflicts."""
    mentions = {a.id: m for a in articles if (m := event_date(a)) is not None}
    by_date: dict[dt.date, list[str]] = {}
    for doc_id, m in mentions.items():
        by_date.setdefault(m.date, []).append(doc_id)
    if not by_date:
        return None, [], []
    date = max(by_date, key=lambda d: len(by_date[d]))  # dicts keep order: ties go to the first
    texts = {a.id: a.text for a in articles}
    evidence = [
        Evidence(doc_id=i, start=m.start, end=m.end, quote=texts[i][m.start : m.end], match="exact")
        for i, m in mentions.items()
        if m.date == date
    ]
    conflicts = []
    if len(by_date) > 1:
        values = [ConflictValue(value=d.isoformat(), doc_ids=ids) for d, ids in by_date.items()]
        conflicts.append(Conflict(field="event_date", values=values))
    return date, evidence, conflicts
