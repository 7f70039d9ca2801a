"""The grouping state of ``--group-by event`` without a grouping file: which event every article is in.

``BRIEFINGS_DIR/grouping.sqlite`` (`STATE`) lives beside the manifest and is stored the same way
(`summariser.regenerate.manifest_db`: one SQLite table of (name, JSON) rows, every save one
transaction in WAL mode, a new file written whole under a temporary name and linked into place,
links and foreign schemas refused). It holds one row per article (``a:<path>``: its event, its
place in the arrival order, its day) and one per event (``e:<id>``: its label). A process killed
inside a save leaves the state of the save before; what is read back is validated as the
manifest is (plain relative paths, bounded texts), and a damaged file stops the run with one line.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..errors import InputError
from . import manifest_db
from .manifest import path_problem

__all__ = ["STATE", "STATE_VERSION", "ArticleRow", "EventState", "load_state", "save_state"]

#: The grouping state's file in the briefings folder.
STATE = "grouping.sqlite"
#: Its storage version (SQLite ``user_version``).
STATE_VERSION = 1
_TEXT = 4096


class ArticleRow(BaseModel):
    """Where one article is: its event, its place in the arrival order, the day it reports (if known)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Annotated[str, StringConstraints(min_length=1, max_length=_TEXT)]
    position: Annotated[int, Field(ge=0, lt=2**62)]
    day: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


class EventRow(BaseModel):
    """What the index says of one event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Annotated[str, StringConstraints(max_length=_TEXT)] = ""


@dataclass
class EventState:
    """Every article's `ArticleRow` by path (relative to the articles folder) and every event's label."""

    articles: dict[str, ArticleRow] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    _stored: dict[str, str] = field(default_factory=dict)

    def rows(self) -> dict[str, str]:
        """The state as the storage holds it: row name → JSON."""
        out = {f"a:{path}": row.model_dump_json() for path, row in self.articles.items()}
        for event, label in self.labels.items():
            out[f"e:{event}"] = EventRow(label=label[:_TEXT]).model_dump_json()
        return out


def _bad(path: Path, what: str) -> InputError:
    return InputError(f"{path} is not a valid grouping state ({what}); {manifest_db.MOVE_AWAY}")


def load_state(folder: Path) -> EventState:
    """The grouping state of the briefings folder ``folder`` (empty if none); a damaged one is an `InputError`."""
    path = folder / STATE
    chunks = manifest_db.read_rows(path, STATE_VERSION)
    state = EventState()
    if chunks is None:
        return state
    with contextlib.closing(chunks):
        for rows in chunks:
            for name, entry in rows:
                kind, _, key = name.partition(":")
                try:
                    if kind == "a" and path_problem(key) is None:
                        state.articles[key] = ArticleRow.model_validate_json(entry)
                    elif kind == "e" and key:
                        state.labels[key] = EventRow.model_validate_json(entry).label
                    else:
                        raise _bad(path, f"row {name[:80]!r}")
                except ValidationError as err:
                    raise _bad(path, f"row {name[:80]!r}: {err.errors(include_url=False)[0]['msg']}") from None
                state._stored[name] = entry
    return state


def save_state(folder: Path, state: EventState) -> None:
    """Store ``state``: the rows that changed since it was loaded or saved, in one transaction."""
    path = folder / STATE
    rows = state.rows()
    stored = state._stored if path.exists() else {}
    upserts = [(n, e) for n, e in rows.items() if stored.get(n) != e]
    deletes = [n for n in stored if n not in rows]
    if not upserts and not deletes:
        return  # nothing changed (an empty state is never written: a state file is never empty)
    manifest_db.write_rows(path, STATE_VERSION, upserts, deletes)
    state._stored = rows
