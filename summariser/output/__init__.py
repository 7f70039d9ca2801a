"""Output: what a finished `Briefing` becomes for people and programs, and the folder index.

* `render` — the briefing as JSON (the contract) or Markdown, and a JSON file read back;
* `whats_new` — "What's new since …": a later version's update, where its Markdown and review page open;
* `review` — the self-contained HTML review page, every item beside its source spans;
* `editing` — the review page's edit mode, where an analyst turns a briefing into gold;
* `index` — ``index.md`` and ``index.html`` of a briefings folder, from plain `index.IndexRow`
  rows;
* `markdown` — the one escaper of text from models and sources in every Markdown file
  (`render` and `index` build their lines with it).

Output depends only on `summariser.schemas` and `summariser.atomic` (files are written
atomically), never on the stages that make a briefing or on ``regenerate``.
The submodules are imported by name (``from summariser.output.render import to_json``).
"""

from __future__ import annotations

__all__: list[str] = []
