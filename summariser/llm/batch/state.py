"""The batches a run has in flight, remembered in a state file so a rerun picks them up again.

`BatchState` maps the digest of a batch's input file to the batch's id (and endpoint and
request count), written atomically as JSON after every change and removed once empty; an
unreadable file counts as empty (the worst a lost entry costs is a second batch).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...atomic import remove, write_atomic

__all__ = ["BatchState"]


class BatchState:
    """Batches in flight, by digest of their input file (a JSON file written atomically)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict[str, Any] = {}
        if path is not None and path.exists():
            try:
                self.data = dict(json.loads(path.read_text(encoding="utf-8")).get("batches", {}))
            except (OSError, ValueError, AttributeError):
                self.data = {}

    def set(self, digest: str, value: dict[str, Any] | None) -> None:
        if value is None:
            self.data.pop(digest, None)
        else:
            self.data[digest] = value
        if self.path is None:
            return
        if self.data:
            write_atomic(self.path, json.dumps({"version": 1, "batches": self.data}, indent=1) + "\n")
        else:
            remove(self.path)
