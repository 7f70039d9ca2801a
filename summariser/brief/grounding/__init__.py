"""Grounding: tie every item of a briefing to spans of its sources, and keep only what they support.

One stage, in these modules (`dated` dates the event):

* `search` finds spans — `Grounder` indexes the cleaned source texts and answers, item by
  item, where a claim, name, country or quote occurs (exact, normalised or fuzzy); a claim
  whose parse has someone else do what the text says (`reverses`) is not supported;
* `titles` checks what is said of a person next to the name: a role (`near`), an
  affiliation (`beside`);
* `rules` decides what is kept, dropped and reported — `check` runs one rule per field
  (`rules.RULES`: the claims' rules there, the named fields' in `fields`) over the merged
  body, each asking the `Grounder` about its items through one `checker.Checker` that fills
  the `GroundingReport`: what no source supports is dropped or flagged, a "person" that is
  an organisation moves; then the event is dated from the sources' own date expressions
  (`event_date_of`). `bullets_required` is the "enough supported summary bullets" rule
  that drafting applies to each part ahead.
"""

from __future__ import annotations

from .checker import Checker
from .rules import bullets_required, check, event_date_of
from .search import Grounder

__all__ = ["Checker", "Grounder", "bullets_required", "check", "event_date_of"]
