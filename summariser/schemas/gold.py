"""Gold briefings: the one convention that tells a reviewed gold file from a draft.

A gold file is a plain schema-version-1 `Briefing`; nothing is added to the contract. Its
review state lives where the contract already keeps how a briefing was made,
``meta.notes``, as notes that start with `REVIEW_PREFIX`:

* `UNREVIEWED` — written by ``summariser gold init`` on a draft copied from a prediction;
  ``summariser eval`` and ``summariser gold check`` refuse such a file unless told
  otherwise. Saving the file from the review page's edit mode removes the note;
* ``gold: reviewed …`` and ``gold: rejected FIELD: ITEM`` — written by the edit mode on save:
  what the analyst decided, and each item they marked wrong (it is gone from the fields).

The prefix and the mark are defined here once; the review page receives them as data.
"""

from __future__ import annotations

from .contract import Briefing, BriefingMeta

__all__ = ["HAND_WRITTEN", "REVIEW_PREFIX", "UNREVIEWED", "is_unreviewed", "mark_unreviewed"]

#: Every note about a gold file's review starts with this.
REVIEW_PREFIX = "gold: "
#: The note of a draft gold file that no analyst has confirmed yet.
UNREVIEWED = (
    f"{REVIEW_PREFIX}unreviewed draft (summariser gold init copied it from a prediction); "
    "confirm it in `summariser review FILE --edit` and save it"
)
#: ``meta.model`` of a gold file whose briefing had no ``meta`` (written by hand).
HAND_WRITTEN = "hand-written"


def is_unreviewed(briefing: Briefing) -> bool:
    """Whether ``briefing`` carries the `UNREVIEWED` mark."""
    return briefing.meta is not None and UNREVIEWED in briefing.meta.notes


def mark_unreviewed(briefing: Briefing) -> Briefing:
    """A copy of ``briefing`` with the `UNREVIEWED` mark (once), for ``gold init``."""
    marked = briefing.model_copy(deep=True)
    if marked.meta is None:
        marked.meta = BriefingMeta(model=HAND_WRITTEN)
    if UNREVIEWED not in marked.meta.notes:
        marked.meta.notes.append(UNREVIEWED)
    return marked
