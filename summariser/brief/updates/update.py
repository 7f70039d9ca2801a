"""The new version of a briefing with its update: what the new articles add, or that they add nothing.

`updated` gives a briefing made of the earlier articles and the new ones its `schemas.Updates`
(`novelty.updates_between`). When the new articles add nothing, the update says so and the
briefing is otherwise the earlier version as the reader read it (its summary, people and quotes
unchanged: a re-made summary of the same facts would only look new), with the new articles
listed among its sources and a note in ``meta.notes``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...schemas import Briefing
from .novelty import updates_between

__all__ = ["NOTHING_NEW", "updated"]

#: The note of a version whose new articles add nothing (``meta.notes``).
NOTHING_NEW = "the articles new since version {version} add nothing to it: the briefing is that version's"


def updated(previous: Briefing, current: Briefing, *, candidates: Sequence[str] = ()) -> Briefing:
    """``current`` as the version after ``previous``, with its update (`novelty.updates_between`).

    ``candidates`` are the sentences the model picked from the new articles. When nothing is
    new, the briefing is ``previous`` with ``current``'s sources, meta (noted) and the empty update.
    """
    update = updates_between(previous, current, candidates=candidates)
    if not update.empty():
        return current.model_copy(update={"updates": update})
    meta = current.meta
    if meta is not None:
        note = NOTHING_NEW.format(version=update.since.version)
        meta = meta.model_copy(update={"notes": [*meta.notes, note]})
    return previous.model_copy(update={"sources": current.sources, "meta": meta, "updates": update})
