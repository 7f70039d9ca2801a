"""Ingest: input files and strings → cleaned `Article` objects, before any model runs.

* `read` — `load_sources` / `load_source` (paths, article text or `Article` objects; the
  path-or-text guess; bounded, checked file reading) and `make_article` (title, publication
  time and content-hash id of a cleaned text);
* `formats` — the Markdown, HTML, JSON and JSON Lines parsers;
* `limits` — the input size policy (`limits.MAX_INPUT_BYTES`, ``SUMMARISER_MAX_INPUT_MB``);
* `cleaning` — page junk, category labels and trailing disclaimers out, idempotently.

Every bad input is a one-line `summariser.errors.InputError` naming the input and the fix.
The submodules are imported by name (``from summariser.ingest.read import load_sources``).
"""

from __future__ import annotations

__all__: list[str] = []
