"""The batches a run has in flight, remembered in a state file so a rerun picks them up again.

`BatchState` maps the digest of a batch's input file to the batch's id (and endpoint and
request count), written atomically as JSON after every change and removed once empty; an
unreadable file counts as empty (the worst a lost entry costs is a second batch). The file is
read bounded (`summariser.files`): one that is not a regular file, or is over
`MAX_STATE_BYTES`, counts as unreadable — never waited on or read whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summariser.atomic import remove, write_atomic
from summariser.errors import SummariserError
from summariser.files import read_bounded

__all__ = ["MAX_STATE_BYTES", "BatchState"]

#: The largest state file read: an entry is about 150 bytes, one per batch in flight.
MAX_STATE_BYTES = 16 * 2**20


class BatchState:
    """Batches in flight, by digest of their input file (a JSON file written atomically)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict[str, Any] = {}
        if path is not None and path.exists():
            try:
                raw = read_bounded(path, what="the batch state", limit=MAX_STATE_BYTES, error=SummariserError)
                self.data = dict(json.loads(raw).get("batches", {}))
            except (SummariserError, ValueError, AttributeError, TypeError, RecursionError):
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
