"""Grounding: tie every item of a briefing to spans of its sources, and keep only what they support.

One stage in three modules:

* `search` finds spans — `Grounder` indexes the cleaned source texts and answers, item by
  item, where a claim, name, country or quote occurs (exact, normalised or fuzzy); a claim
  whose parse has someone else do what the text says (`reverses`) is not supported;
* `titles` checks what is said of a person next to the name: a role (`near`), an
  affiliation (`beside`);
* `rules` decides what is kept, dropped and reported — `check` asks the `Grounder` about
  every item of the merged body, drops or flags what no source supports, moves a "person"
  that is an organisation, dates the event from the sources' own date expressions
  (`event_date_of`), and fills the `GroundingReport` in that one pass. `bullets_required` is
  the "enough supported summary bullets" rule that drafting applies to each part ahead.
"""

from __future__ import annotations

from .rules import Checker, bullets_required, check, event_date_of
from .search import Grounder

__all__ = ["Checker", "Grounder", "bullets_required", "check", "event_date_of"]
