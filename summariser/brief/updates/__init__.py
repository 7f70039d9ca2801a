"""Updates: what a new version of a briefing adds to the one before, computed without the model.

When articles join a story, its rebuilt briefing carries `schemas.Updates`: the facts, changed
quantities, people, organisations and quotes that only the new articles support. Nothing here
asks the model: the earlier version, the new one and their sources' texts decide, through the
grounding's own `Grounder` (an item is new when its spans lie only in the new articles) and the
name rules of `summariser.text.names`.

* `novelty` — `updates_between`: the new facts, people, organisations and quotes;
* `changes` — `changes_between`: the quantities restated with a new value (`summariser.text.quantities`);
* `versions` — version numbers, and the earlier articles a new version is made with;
* `update` — `updated`: the new version with its update (an update with nothing new keeps the
  earlier version as it was).
"""

from __future__ import annotations

from .changes import changes_between
from .novelty import updates_between
from .update import NOTHING_NEW, updated
from .versions import earlier_articles, since_of, version_of

__all__ = ["NOTHING_NEW", "changes_between", "earlier_articles", "since_of", "updated", "updates_between", "version_of"]
