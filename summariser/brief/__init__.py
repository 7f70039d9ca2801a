"""Briefing: from cleaned articles to one grounded `Briefing`, one module per step.

* `pipeline` — `summarise` / `build`: the sequence below, and `plan_parts` (an article too
  long for the context window is read in overlapping parts);
* `prompts` — the Jinja2 prompt templates, rendered and versioned;
* `draft` — the model's answers about each part (`Draft`), with countries and quotes read
  from the text itself (`mentions`);
* `merge` — the drafts of all articles merged into one `body.Body`;
* `grounding` — every item tied to source spans; what no source supports is dropped and
  reported (`grounding.check`), and the event date is read from the sources;
* `body` — the fields a briefing takes from its drafts, and their copy into the `Briefing`.

The submodules are imported by name (``from summariser.brief import pipeline``): `pipeline`
pulls in the LLM client, which commands that need no model do not pay for.
"""

from __future__ import annotations

__all__: list[str] = []
