"""``summariser gold init``: start a gold folder from a folder of predicted briefings.

Each briefing ``BRIEFINGS/…/NAME.json`` (read with `summariser.output.render.read_briefing`,
bounded, and refused when it is a link out of BRIEFINGS; a file that is not a briefing is
skipped and named with why) becomes ``GOLD/NAME.json`` — a copy carrying
the unreviewed mark (`summariser.schemas.gold.mark_unreviewed`), its grounding report kept
so that the review page can restore what grounding dropped — and, when ``sources.yaml`` has
no entry for NAME yet, its entry (`summariser.output.editing.gold_paths`) is appended to the
file, which keeps what it already holds, comments included. A gold folder is flat: a
briefing in a subfolder ``a/b.json`` becomes ``a__b.json``. An existing gold file is left
alone unless ``force``. Every file is written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from summariser.atomic import write_atomic
from summariser.errors import InputError
from summariser.evaluation.gold.sets import SOURCES_FILE, read_sources_text
from summariser.output.editing import gold_name, gold_paths, sources_line
from summariser.output.render import read_briefing, to_json
from summariser.schemas import mark_unreviewed

__all__ = ["InitReport", "init_gold"]


@dataclass
class InitReport:
    """What ``gold init`` did: the drafts written, the files skipped (with why), the entries added."""

    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)


def _entries(path: Path) -> tuple[str, set[str]]:
    """The text of ``sources.yaml`` (empty if there is none) and the gold names it maps."""
    if not path.exists():
        return "", set()
    text = read_sources_text(path)
    try:
        data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, RecursionError) as err:
        detail = " ".join(str(err).split())[:120]
        raise InputError(f"{path} cannot be read as YAML ({detail}); fix it before adding entries") from None
    return text, set(data) if isinstance(data, dict) else set()


def init_gold(briefings: Path, gold: Path, *, articles: Path | None = None, force: bool = False) -> InitReport:
    """Copy every briefing of ``briefings`` into ``gold`` as an unreviewed draft (see the module docstring).

    ``articles`` is the folder the briefings' relative source paths start from (default: the current folder).
    """
    if not briefings.is_dir():
        raise InputError(f"briefings folder {briefings} does not exist; pass the folder of predicted NAME.json files")
    found = sorted(p for p in briefings.rglob("*.json") if not p.is_dir())  # a FIFO is named, not passed over
    if not found:
        raise InputError(f"{briefings} holds no .json briefings; brief some first (`summariser regenerate`)")
    gold.mkdir(parents=True, exist_ok=True)
    sources_file = gold / SOURCES_FILE
    text, known = _entries(sources_file)
    before = text
    report = InitReport()
    for path in found:
        name = gold_name(path.relative_to(briefings).with_suffix("").as_posix())
        try:
            briefing = read_briefing(path, within=briefings)
        except InputError as err:  # not a briefing; or a FIFO, a device, a link out of the folder, too large
            report.skipped.append((str(path), f"left out: {err.message}"))
            continue
        target = gold / f"{name}.json"
        if target.exists() and not force:
            report.skipped.append((str(path), f"{target} exists (kept; --force overwrites it)"))
            continue
        write_atomic(target, to_json(mark_unreviewed(briefing)))
        report.written.append(str(target))
        if name not in known:
            paths = gold_paths(briefing, gold, articles)
            text += ("" if not text or text.endswith("\n") else "\n") + sources_line(name, paths)
            known.add(name)
            if paths is not None:
                report.entries.append(name)
    if text != before:
        write_atomic(sources_file, text)
    return report
