"""The regenerate manifest: what every briefing of a folder was built from.

``BRIEFINGS_DIR/manifest.json`` records, per briefing, what it was built from: the SHA-256
of every input file, the prompt-template versions, the schema version and the model. A
briefing is rebuilt only when one of those changed (or its files are missing). The manifest
is rewritten atomically after every briefing, so an interrupted run loses nothing and the
next run resumes where it stopped. The folder lock is `summariser.regenerate.lock`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..atomic import write_atomic
from ..errors import InputError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1

__all__ = ["MANIFEST", "MANIFEST_VERSION", "Entry", "Manifest", "file_hash", "load_manifest", "save_manifest"]


class Entry(BaseModel):
    """What one briefing was built from, and what it says (for the index)."""

    inputs: dict[str, str]
    """Input file (relative to the articles folder) → SHA-256 of its bytes."""
    prompts: dict[str, str]
    schema_version: str
    model: str
    files: list[str]
    """Output files of this briefing, relative to the briefings folder."""
    headline: str = ""
    event_date: str | None = None
    sources: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    """Every briefing of a briefings folder, by name."""

    version: int = MANIFEST_VERSION
    briefings: dict[str, Entry] = Field(default_factory=dict)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(folder: Path) -> Manifest:
    """The manifest of ``folder`` (empty if there is none); a damaged one is an `InputError`."""
    path = folder / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (ValidationError, OSError) as err:
        kind = "unreadable" if isinstance(err, OSError) else "not a valid manifest"
        raise InputError(f"{path} is {kind}; move it away (every briefing is then rebuilt) or restore it") from None


def save_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (sorted, so diffs between runs are readable)."""
    data = manifest.model_dump(mode="json")
    data["briefings"] = dict(sorted(data["briefings"].items()))
    write_atomic(folder / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
