"""Path safety for regenerate: what it may read from the articles folder and write or delete in the briefings folder.

Every path is checked at one place, at the point of use, whatever produced it (a file name,
a group name, a manifest someone sent you):

* `inside` — ``folder / relative`` only when it is a plain relative path (no ``..``, no
  absolute path, no empty segment) whose parent, links resolved, lies in ``folder``. Every
  write (a briefing's files), every delete (``prune``) and the temporary-file sweep go
  through it; deletes never follow a link (``unlink`` removes the link, not its target).
* `article_path` — an input file of the articles folder, refused when it resolves (through
  a link) to a file outside it; `is_outside_link` is the same test for the folder scan.
* `outputs` and `output_problem` — the files a briefing is written to, and why a name cannot
  be one: its files would be the folder's own (`RESERVED`: manifest, index, lock, batch
  state), or a name segment is too long for a file name. `folder_clash` finds two briefings
  where one's file is the other's folder.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..atomic import NAME_MAX
from ..errors import InputError
from ..output.index import INDEX_FILES
from . import event_state, manifest

__all__ = [
    "BATCH_STATE",
    "EDITABLE",
    "LOCK",
    "RESERVED",
    "VERSIONS",
    "article_path",
    "folder_clash",
    "inside",
    "is_outside_link",
    "is_reserved",
    "output_problem",
    "outputs",
]

#: The suffix of the folder beside a briefing that keeps its earlier versions (``NAME.versions/N.json``,
#: `summariser.regenerate.history`): no briefing's name may have a segment ending so.
VERSIONS = ".versions"
#: The folder lock (`summariser.regenerate.lock`).
LOCK = ".summariser.lock"
#: The editable grouping of ``--group-by event`` without a grouping file (`summariser.regenerate.auto_events`).
EDITABLE = "grouping.yaml"
#: Batches in flight (`summariser.regenerate.batch`): a rerun picks them up instead of paying twice.
BATCH_STATE = ".summariser-batches.json"
_MANIFESTS = tuple(dict.fromkeys([manifest.MANIFEST, getattr(manifest, "LEGACY_MANIFEST", manifest.MANIFEST)]))
#: Every file the tool itself keeps at the top of a briefings folder (with SQLite's side
#: files of the manifest); no briefing may write one, ``prune`` never deletes one.
RESERVED = (
    *_MANIFESTS,
    *(f"{manifest.MANIFEST}{side}" for side in ("-journal", "-wal", "-shm")),
    *INDEX_FILES,
    LOCK,
    BATCH_STATE,
    event_state.STATE,
    *(f"{event_state.STATE}{side}" for side in ("-journal", "-wal", "-shm")),
    EDITABLE,
)

_SUFFIXES = (".json", ".md", ".html")


def outputs(name: str) -> list[str]:
    """The files a briefing is written to, relative to the briefings folder."""
    return [f"{name}{suffix}" for suffix in _SUFFIXES]


def _fold(text: str) -> str:
    """How a case-insensitive, normalising file system (macOS, Windows) compares names."""
    return unicodedata.normalize("NFC", text).casefold()


_FOLDED = tuple(_fold(r) for r in RESERVED)


def is_reserved(relative: str) -> bool:
    """Whether ``relative`` is one of the folder's own files (`RESERVED`), compared as macOS or Windows would."""
    return _fold(relative) in _FOLDED


def output_problem(name: str) -> str | None:
    """Why briefing ``name`` cannot be written (None: it can).

    Its files must not be the folder's own: a top-level name ``N`` is refused when any
    reserved file is ``N.<anything>`` (``manifest`` → ``manifest.json``, ``index`` →
    ``index.md`` and ``index.html``, whatever suffixes either side adds later), compared as a
    case-insensitive file system would. And every segment must fit in a file name.
    """
    if "/" not in name:
        stem = _fold(name) + "."
        clashes = [r for r, folded in zip(RESERVED, _FOLDED, strict=True) if folded.startswith(stem)]
        if clashes:
            return f"its files would overwrite the folder's own {' and '.join(clashes)}"
    if any(_fold(segment).endswith(VERSIONS) for segment in name.split("/")):
        return f"a name ending in {VERSIONS!r} is where a briefing's earlier versions are kept"
    longest = max(_SUFFIXES, key=len)
    for segment in f"{name}{longest}".split("/"):
        if len(segment) <= NAME_MAX // 4:  # 4: the most bytes a character takes
            continue
        try:
            size = len(os.fsencode(segment))
        except UnicodeEncodeError:
            return f"{segment[:40]!r} is not text a file name can hold"
        if size > NAME_MAX:
            return f"the file name {segment[:40]}… is over {NAME_MAX} bytes"
    return None


def folder_clash(names: Iterable[str]) -> tuple[str, str] | None:
    """Two briefings where a file of the first is a folder the second writes into (None: no such pair)."""
    names = list(names)
    files = {f: n for n in names for f in outputs(n)}
    for name in names:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in files:
                return files[folder], name
    return None


def _plain(relative: str) -> bool:
    """A relative POSIX path of ordinary segments: not absolute, no ``.``/``..``/empty segment, no NUL."""
    return bool(relative) and "\x00" not in relative and all(p not in ("", ".", "..") for p in relative.split("/"))


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def inside(folder: Path, relative: str, *, fix: str = "rename the briefing") -> Path:
    """``folder / relative``, or an `InputError` when that would be outside ``folder``.

    ``relative`` must be a plain relative path (`_plain`), and its parent folder — links
    resolved, so a link inside ``folder`` to a folder elsewhere does not count as inside —
    must be ``folder`` or below it. The last segment is not resolved: writing replaces a
    link there and deleting removes the link, neither touches its target. ``fix`` ends the message.
    """
    root = os.path.realpath(folder)
    if not _plain(relative) or not _within(os.path.realpath((folder / relative).parent), root):
        shown = relative.encode("utf-8", "backslashreplace").decode("utf-8")
        raise InputError(f"{shown[:200]!r} is not inside the briefings folder {folder}: not touched; {fix}")
    return folder / relative


def is_outside_link(path: Path, root: str) -> bool:
    """Whether ``path`` is a link (or lies under one) that resolves outside ``root`` (a `os.path.realpath`)."""
    return not _within(os.path.realpath(path), root)


def _through_link(folder: Path, relative: str) -> bool:
    """Whether any segment of ``folder / relative`` below ``folder`` is a link (one ``lstat`` a segment)."""
    parts = relative.split("/")
    return any(os.path.islink(os.path.join(folder, *parts[: depth + 1])) for depth in range(len(parts)))


def article_path(articles: Path, relative: str) -> Path:
    """``articles / relative`` when it is a plain relative path that resolves inside ``articles``; else an `InputError`.

    Checked again when the file is read, so a file swapped for a link to elsewhere after the
    folder was scanned is not read either. A path without a link in it is inside by
    construction; only one through a link is resolved.
    """
    path = articles / relative
    if not _plain(relative) or (
        _through_link(articles, relative) and is_outside_link(path, os.path.realpath(articles))
    ):
        shown = relative.encode("utf-8", "backslashreplace").decode("utf-8")
        raise InputError(
            f"{shown[:200]!r} in {articles} is not a file inside the articles folder (a link out of it, or a "
            "path that leaves it): not read; copy the file into the folder instead"
        )
    return path
