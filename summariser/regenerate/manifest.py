"""The regenerate manifest and the output-folder lock.

``BRIEFINGS_DIR/manifest.json`` records, per briefing, what it was built from: the SHA-256
of every input file, the prompt-template versions, the schema version and the model. A
briefing is rebuilt only when one of those changed (or its files are missing). The manifest
is rewritten atomically after every briefing, so an interrupted run loses nothing and the
next run resumes where it stopped.

``BRIEFINGS_DIR/.summariser.lock`` is held (``flock``) for the whole run: a second
``regenerate`` on the same folder refuses with a clear message instead of interleaving.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..atomic import write_atomic
from ..errors import ConfigError, InputError

MANIFEST = "manifest.json"
LOCK = ".summariser.lock"
MANIFEST_VERSION = 1


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


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock; another holder makes this a `ConfigError` naming its pid."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise ConfigError(
                f"another summariser regenerate (pid {holder}) is writing {folder}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def sweep_temp_files(folder: Path) -> int:
    """Remove temporary files a killed run left behind (``.NAME.*.tmp``); return how many."""
    removed = 0
    for tmp in folder.rglob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
