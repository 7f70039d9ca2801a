"""The review page's edit mode: the page where an analyst turns a briefing into gold.

`EditPage` says what the page needs besides the briefing: the gold file's name and the
article paths for its ``sources.yaml`` line. `edit_context` gives the template the page's
data — the briefing as JSON, a storage key, the review notes (`summariser.schemas.gold`)
and the contract's limits, so the page checks what the schema checks — and the edit
mode's script and style, kept as files beside the templates (``templates/edit.js``,
``templates/edit.css``) and inlined at render time. The data is embedded as a JSON
``<script>`` block with ``<``, ``>`` and ``&`` escaped, so no field can end the block; the
script builds every element with ``textContent``, never from HTML. What the page does is
described in ``edit.js``; the saved file is checked by ``summariser gold check``.

`gold_paths` is the one rule for naming a briefing's articles in ``sources.yaml``: relative
to the gold folder's parent, as the evaluator resolves them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from ..schemas import (
    BULLET_MAX_WORDS,
    HAND_WRITTEN,
    HEADLINE_MAX_WORDS,
    REVIEW_PREFIX,
    SUMMARY_FLOOR,
    SUMMARY_MAX_BULLETS,
    THEMES_MAX,
    THEMES_MIN,
    UNREVIEWED,
    Briefing,
)

__all__ = ["EditPage", "asset", "edit_context", "embed_json", "gold_name", "gold_paths", "sources_line"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class EditPage:
    """The edit mode of a review page: the gold file it saves (``NAME.json``) and its articles' paths."""

    name: str
    sources: Sequence[str] | None = None
    """The article paths of the ``sources.yaml`` line (`gold_paths`); None: the briefing names none."""


def gold_name(name: str) -> str:
    """A briefing name as a gold file stem: gold folders are flat, so ``a/b`` becomes ``a__b``."""
    return name.replace("/", "__") or "briefing"


def gold_paths(briefing: Briefing, gold_dir: Path, articles: Path | None = None) -> list[str] | None:
    """The ``sources.yaml`` paths of ``briefing``'s articles: relative to ``gold_dir``'s parent.

    A relative source path is taken as relative to ``articles`` (default: the current folder).
    None when a source has no path (it was given as text): such a gold file cannot be briefed again.
    """
    base = (articles or Path.cwd()).absolute()
    root = gold_dir.absolute().parent
    paths = []
    for source in briefing.sources:
        if source.path is None:
            return None
        full = Path(os.path.normpath(base / source.path))
        paths.append(Path(os.path.relpath(full, root)).as_posix())
    return paths


def sources_line(name: str, paths: Sequence[str] | None) -> str:
    """The ``sources.yaml`` entry of gold ``name`` (a comment when its articles have no paths)."""
    if paths is None:
        return f"# {name}: its articles were given as text, so sources.yaml cannot name them\n"
    text: str = yaml.safe_dump({name: list(paths)}, allow_unicode=True, default_flow_style=False, sort_keys=False)
    return text


def embed_json(value: Any) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


@cache
def asset(name: str) -> Markup:
    """The script or style ``templates/NAME``, to inline in a page (it must not contain ``</``)."""
    text = (_TEMPLATES / name).read_text(encoding="utf-8")
    if "</" in text:  # would end the inline element early
        raise RuntimeError(f"{name} must not contain '</'")
    return Markup(text)


def edit_context(briefing: Briefing, page: EditPage) -> dict[str, Markup]:
    """What the template's edit mode draws: the page data, the script and the style."""
    as_json = briefing.model_dump_json()
    data = {
        "name": page.name,
        "key": hashlib.sha256(f"{page.name}\n{as_json}".encode("utf-8", "surrogatepass")).hexdigest()[:20],
        "briefing": json.loads(as_json),
        "sources_line": sources_line(page.name, page.sources),
        "notes": {"prefix": REVIEW_PREFIX, "unreviewed": UNREVIEWED, "hand_written": HAND_WRITTEN},
        "limits": {
            "headline_words": HEADLINE_MAX_WORDS,
            "bullet_words": BULLET_MAX_WORDS,
            "summary_min": SUMMARY_FLOOR,
            "summary_max": SUMMARY_MAX_BULLETS,
            "themes_min": THEMES_MIN,
            "themes_max": THEMES_MAX,
        },
    }
    return {"data": embed_json(data), "script": asset("edit.js"), "style": asset("edit.css")}
