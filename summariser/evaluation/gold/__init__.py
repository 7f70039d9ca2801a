"""Gold tooling: the gold sets a run is scored against, and the ``summariser gold`` commands' work.

* `sets` — gold folders, prediction folders, briefing gold articles on the fly;
* `check` — ``gold check``: schema, review mark, offsets and ``sources.yaml`` of a gold folder;
* `start` — ``gold init``: unreviewed gold drafts from predicted briefings.
"""

__all__: list[str] = []
