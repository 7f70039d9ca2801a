"""The regenerate manifest: what every briefing of a folder was built from, validated on load.

``BRIEFINGS_DIR/manifest.sqlite`` (`MANIFEST`) records, per briefing, what it was built from:
the SHA-256 of every input file (with the file's size, times and inode when it was hashed),
the prompt-template versions, the schema version and the model. A briefing is rebuilt only
when one of those changed (or its files are missing). The storage is SQLite in the standard
library, one row per briefing (`summariser.regenerate.manifest_db`): a save writes only the
entries that changed, in one transaction, so it costs the same at 100,000 briefings as at 10,
and a process killed mid-save leaves the manifest as it was before that save.

An old ``manifest.json`` (`LEGACY_MANIFEST`, version 1) is read when there is no SQLite one,
and moved into one by the next save. Whatever is read (or saved) is validated: names,
``files`` and ``inputs`` keys are plain relative POSIX paths (`path_problem`), hashes 64 hex
digits, texts bounded; an unknown version, a damaged file or one bad entry is an `InputError`
naming the file and the fix — never a crash, never a silently empty manifest.

Unchanged inputs are not hashed again (`input_state`): as make and git do, a file whose size,
mtime, ctime and inode are those recorded is trusted to have the recorded hash, unless it
was changed too shortly before it was hashed for its timestamps to tell (`RACY_NS`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Generator
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Json,
    PrivateAttr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from ..atomic import NAME_MAX
from ..errors import InputError
from . import manifest_db
from .manifest_db import MOVE_AWAY as _AWAY

__all__ = [
    "LEGACY_MANIFEST",
    "MANIFEST",
    "MANIFEST_VERSION",
    "RACY_NS",
    "Entry",
    "InputStat",
    "Manifest",
    "file_hash",
    "input_state",
    "load_manifest",
    "path_problem",
    "save_manifest",
]

MANIFEST = "manifest.sqlite"
#: The manifest of summariser 0.x: one JSON file, version 1. Read, then replaced by `MANIFEST`.
LEGACY_MANIFEST = "manifest.json"
#: The storage version (SQLite ``user_version``); the JSON manifest was version 1.
MANIFEST_VERSION = 2
LEGACY_VERSION = 1

#: Bounds of what a manifest may hold (far above what the tool writes; they bound memory).
MAX_PATH_BYTES = 4096
MAX_TEXT = 65_536
MAX_ITEMS = 10_000
#: A stat recorded less than this after the file's last change is not trusted (its timestamps
#: could not yet show a change made right after the hash); 2 s on file systems with
#: whole-second timestamps (FAT, HFS+, some network shares).
RACY_NS = 100_000_000
_COARSE_RACY_NS = 2_000_000_000


def _quick(path: str) -> bool:
    """The common case, decided without a split: short (so no segment can be too long) and plain."""
    return 0 < len(path) < 64 and path[0] not in "/." and path[-1] != "/" and not _ODD.search(path)


_ODD = re.compile(r"\x00|/\.|//")


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a plain relative POSIX path inside a folder (None: it is one)."""
    if _quick(path):
        return None
    if not path:
        return "is empty"
    if "\x00" in path:
        return "holds a NUL character"
    if path.startswith("/"):
        return "is an absolute path"
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return f"is longer than {MAX_PATH_BYTES} bytes"
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            return f"has a {segment!r} segment"
        if len(segment.encode("utf-8", "surrogatepass")) > NAME_MAX:
            return f"has a segment longer than {NAME_MAX} bytes"
    return None


def _relative(path: str) -> str:
    if problem := path_problem(path):
        raise ValueError(f"{_shown(path)} {problem}, not a relative path inside the folder")
    return path


def _shown(text: str) -> str:
    """``text`` as a short, quoted, escaped excerpt for a message."""
    return repr(text[:80] + ("…" if len(text) > 80 else ""))


RelPath = Annotated[str, AfterValidator(_relative)]
Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Int64 = Annotated[int, Field(ge=-(2**63), lt=2**63)]
InputStat = tuple[Int64, Int64, Int64, Int64, Int64]
"""An input file when it was hashed: (size, mtime_ns, ctime_ns, inode, when it was hashed in ns)."""


class Entry(BaseModel):
    """What one briefing was built from, and what it says (for the index). Replace entries, do not mutate them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inputs: Annotated[dict[RelPath, Hex], Field(max_length=MAX_ITEMS)]
    """Input file (relative to the articles folder) → SHA-256 of its bytes."""
    prompts: Annotated[dict[Text, Text], Field(max_length=MAX_ITEMS)]
    schema_version: Text
    model: Text
    files: Annotated[list[RelPath], Field(max_length=MAX_ITEMS)]
    """Output files of this briefing, relative to the briefings folder."""
    headline: Text = ""
    event_date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    sources: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    stats: Annotated[dict[RelPath, InputStat], Field(max_length=MAX_ITEMS)] = Field(default_factory=dict)
    """Input file → its `InputStat` when its hash was taken (absent: hash it again)."""

    @model_validator(mode="after")
    def _stats_of_inputs(self) -> Entry:
        if stray := sorted(set(self.stats) - set(self.inputs)):
            raise ValueError(f"stats of {_shown(stray[0])}, which is not one of its inputs")
        return self


class Manifest(BaseModel):
    """Every briefing of a briefings folder, by name (each a plain relative path)."""

    model_config = ConfigDict(extra="forbid")

    version: int = MANIFEST_VERSION
    briefings: dict[RelPath, Entry] = Field(default_factory=dict)
    _stored: dict[str, Entry] = PrivateAttr(default_factory=dict)
    """The entries as the storage holds them (by identity): a save writes only the others."""
    _legacy: Path | None = PrivateAttr(default=None)
    """The JSON manifest this one was read from, removed once the save moved it into SQLite."""


_ENTRIES: TypeAdapter[list[Entry]] = TypeAdapter(list[Json[Entry]])


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return input_state(path)[0]


def _racy(recorded: InputStat) -> bool:
    _, mtime, ctime, _, checked = recorded
    window = _COARSE_RACY_NS if mtime % 1_000_000_000 == 0 else RACY_NS
    return checked - max(mtime, ctime) < window


def input_state(path: Path, known: str | None = None, recorded: InputStat | None = None) -> tuple[str, InputStat]:
    """The SHA-256 of an input file and its `InputStat`; ``(known, recorded)`` again if the file is unchanged.

    The file is trusted unchanged, and not read, when its size, mtime, ctime and inode are
    those ``recorded`` and the record is not racy (taken less than `RACY_NS` after the
    file's last change). Otherwise it is hashed; its stat is taken from the open file before
    it is read, so a change while it is read shows next time.
    """
    if known is not None and recorded is not None and not _racy(recorded):
        now = os.stat(path)
        if (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) == recorded[:4]:
            return known, recorded
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path} is not a regular file; remove it from the articles folder")
        checked = time.time_ns()
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest(), (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, checked)


def _where(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".") or "the file"


def _invalid(path: Path, what: str, err: ValidationError, fix: str = _AWAY) -> InputError:
    first = err.errors(include_url=False)[0]
    detail = f"{what}{_where(tuple(first['loc']))}: {first['msg']}"
    return InputError(f"{path} is not a valid manifest ({' '.join(detail.split())[:240]}); {fix}")


def _validated(path: Path, rows: list[tuple[str, str]], fix: str = _AWAY) -> list[Entry]:
    """The entries of ``rows`` (name, entry JSON), validated; the first bad one is an `InputError` ending in ``fix``."""
    for name, _ in rows:
        if problem := path_problem(name):
            raise InputError(f"{path} is not a valid manifest (briefing {_shown(name)} {problem}); {fix}")
    try:
        return _ENTRIES.validate_python([entry for _, entry in rows])
    except ValidationError as err:
        index = err.errors()[0]["loc"][0]
        name = rows[index][0] if isinstance(index, int) else "?"
        raise _invalid(path, f"briefing {_shown(name)} ", err, fix) from None


def _from_rows(path: Path, chunks: Generator[list[tuple[str, str]], None, None]) -> Manifest:
    briefings: dict[str, Entry] = {}
    with contextlib.closing(chunks):
        for rows in chunks:
            briefings.update(zip((name for name, _ in rows), _validated(path, rows), strict=True))
    manifest = Manifest.model_construct(version=MANIFEST_VERSION, briefings=briefings)
    manifest._stored = dict(briefings)
    return manifest


def _from_legacy(path: Path, data: bytes) -> Manifest:
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as err:  # ValueError: not UTF-8, not JSON, a huge integer
        raise InputError(f"{path} is not a valid manifest (not JSON: {str(err)[:80]}); {_AWAY}") from None
    if not isinstance(raw, dict) or "briefings" not in raw or "version" not in raw:
        raise InputError(f"{path} is not a manifest (no version and briefings: a briefing, or another file?); {_AWAY}")
    version = raw["version"]
    if type(version) is not int or version != LEGACY_VERSION:
        raise InputError(
            f"{path} is a version {str(version)[:20]} manifest; this summariser reads versions {LEGACY_VERSION} "
            f"(JSON) and {MANIFEST_VERSION}: upgrade summariser, or move it away (every briefing is then rebuilt)"
        )
    try:
        manifest = Manifest.model_validate(raw)
    except (ValidationError, RecursionError) as err:
        if isinstance(err, RecursionError):
            raise InputError(f"{path} is not a valid manifest (nested too deeply); {_AWAY}") from None
        raise _invalid(path, "", err) from None
    manifest.version = MANIFEST_VERSION
    manifest._legacy = path
    return manifest


def load_manifest(folder: Path) -> Manifest:
    """The manifest of ``folder``: its SQLite manifest, else its old JSON one, else an empty one.

    Anything unreadable, damaged, of an unknown version or with an invalid entry is an
    `InputError` naming the file and what to do.
    """
    path = folder / MANIFEST
    chunks = manifest_db.read_rows(path, MANIFEST_VERSION)
    if chunks is not None:
        return _from_rows(path, chunks)
    legacy = folder / LEGACY_MANIFEST
    data = manifest_db.read_legacy(legacy)
    return Manifest() if data is None else _from_legacy(legacy, data)


def save_manifest(folder: Path, manifest: Manifest) -> None:
    """Store ``manifest`` in ``folder``: the entries that changed since it was loaded or saved, in one transaction.

    Entries are compared by identity (they are frozen: a change is a new `Entry`); entries
    removed from ``manifest.briefings`` are deleted. A save with nothing to write touches
    nothing. The first save of a manifest read from the old JSON file writes every entry,
    then removes that file; so does a save after the SQLite file was deleted. What is written
    is validated as `load_manifest` validates it (a save never leaves a manifest that cannot
    be read back): an invalid entry is an `InputError` and nothing is written.
    """
    path = folder / MANIFEST
    stored = manifest._stored if os.path.lexists(path) else {}
    upserts = [(n, e.model_dump_json()) for n, e in manifest.briefings.items() if stored.get(n) is not e]
    deletes = [n for n in stored if n not in manifest.briefings]
    if not upserts and not deletes and manifest._legacy is None:
        return
    _validated(path, upserts, fix="it was not saved (a bug: please report it)")
    manifest_db.write_rows(path, MANIFEST_VERSION, upserts, deletes, manifest._legacy)
    manifest._stored, manifest._legacy = dict(manifest.briefings), None
