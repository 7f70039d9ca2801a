"""Versions of an event's briefing: the earlier ones kept beside it, and the one a rebuild is measured against.

With ``--group-by event`` a briefing is a story that moves on. When articles join an event, its
rebuilt briefing is the next version: the briefing on disk (``NAME.json``) is the previous one,
kept as ``NAME.versions/N.json`` (`VERSIONS`, N its version number: `brief.updates.version_of`)
before the new one is written, and the new one carries ``updates`` against it
(`summariser.brief.pipeline.build` with ``previous``). At most `KEEP` versions are kept, the
oldest deleted first; every file is written atomically and every path checked (`paths.inside`).

A rebuild with no article new to the briefing (a prompt or model change, ``--force``, an article
moved out) is the same version made again: its update, if it had one, is measured again against
the version it named, read back from the history. A briefing file that cannot be read as a
briefing (hand-edited, damaged) has no previous version: the rebuild is a first version again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from .. import testpoints
from ..atomic import remove, write_atomic
from ..config import Settings
from ..errors import SummariserError
from ..ingest.read import load_sources
from ..output.render import read_briefing, to_json
from ..schemas import Briefing
from .paths import VERSIONS, inside

__all__ = ["KEEP", "VERSIONS", "basis", "build_version", "history_files", "keep_version"]

#: The most earlier versions kept per briefing.
KEEP = 5
_FILE = re.compile(r"^([1-9]\d{0,8})\.json$")


def _folder(name: str) -> str:
    return f"{name}{VERSIONS}"


def _read(out: Path, relative: str) -> Briefing | None:
    path = out / relative
    if not path.is_file():
        return None
    try:
        return read_briefing(inside(out, relative), within=out)
    except SummariserError:
        return None


def basis(out: Path, name: str, doc_ids: Collection[str]) -> tuple[Briefing | None, bool]:
    """The version a rebuild of ``name`` from the articles ``doc_ids`` is measured against, and whether the
    briefing now on disk becomes a kept earlier version (articles joined) or is only made again."""
    current = _read(out, f"{name}.json")
    if current is None:
        return None, False
    if set(doc_ids) - {s.doc_id for s in current.sources}:
        return current, True
    if current.updates is None:
        return None, False
    return _read(out, f"{_folder(name)}/{current.updates.since.version}.json"), False


def history_files(out: Path, name: str) -> dict[int, str]:
    """The kept versions of ``name``: version number → path relative to ``out``."""
    folder = out / _folder(name)
    if not folder.is_dir() or folder.is_symlink():
        return {}
    found = {}
    for path in folder.iterdir():
        if (m := _FILE.match(path.name)) is not None:
            found[int(m.group(1))] = f"{_folder(name)}/{path.name}"
    return found


def keep_version(out: Path, name: str, previous: Briefing) -> None:
    """Keep ``previous`` (the briefing on disk before its next version) in the history; drop the oldest past `KEEP`."""
    from ..brief.updates import version_of  # the drafting stage's imports (the LLM client): only when one is kept

    relative = f"{_folder(name)}/{version_of(previous)}.json"
    write_atomic(inside(out, relative), to_json(previous))
    kept = history_files(out, name)
    for version in sorted(kept)[:-KEEP]:
        remove(inside(out, kept[version]))
    testpoints.reached("version-kept")


def build_version(
    build: Callable[..., Briefing],
    paths: Sequence[Path],
    settings: Settings,
    out: Path | None,
    name: str,
    **options: Any,
) -> tuple[Briefing, Briefing | None]:
    """``build(paths, settings, **options)``; with ``out`` (an event's briefings folder) as the next version of the
    briefing on disk (`basis`). Returns the briefing and the earlier version to keep (`keep_version`), if any."""
    if out is None:
        return build(paths, settings, **options), None
    articles = load_sources(paths)
    previous, joined = basis(out, name, [a.id for a in articles])
    briefing = build(articles, settings, previous=previous, **options)
    if briefing.meta is not None:  # a version of a story: when it was made (`BriefingMeta.made`)
        made = dt.datetime.now(dt.UTC).replace(microsecond=0)
        briefing = briefing.model_copy(update={"meta": briefing.meta.model_copy(update={"made": made})})
    return briefing, previous if joined else None
