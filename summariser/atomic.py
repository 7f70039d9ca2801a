"""Atomic file writes: a temporary file in the target folder, fsync, then a rename.

A reader (or a crash) never sees a half-written file: the target holds either its old
content or the new one. The temporary file is ``.NAME.summariser-XXXXXXXX.tmp`` (`is_temp`
tells one apart from a user's own ``.*.tmp`` file, so a sweep of what a killed run left
removes only ours). The rename replaces the target's directory entry: a target that is a
link (symbolic or hard) is replaced, the file it shares is never written.

A folder can be *guarded* (`guarded`: ``regenerate`` guards the briefings folder it locked):
every write and removal of this module under it (`write_atomic`, `remove`: briefings, pages,
index, batch state, prune, the sweep), and the manifest's writes (which call `check_folder`
themselves), first call the guard's
check, which raises when the path no longer leads to the folder that was locked (renamed or
replaced mid-run). `write_atomic` checks again once its temporary file exists: if the folder
is moved after that, the rename finds no temporary file at the path and fails, so nothing is
written into the folder that took its place. Imports nothing of the pipeline but the test
kill points.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from . import testpoints

__all__ = ["NAME_MAX", "TEMP_MARK", "check_folder", "guarded", "is_temp", "remove", "write_atomic"]

#: What every temporary file of `write_atomic` carries between the target's name and ``.tmp``.
TEMP_MARK = ".summariser-"
_TEMP = re.compile(r"\..*" + re.escape(TEMP_MARK) + r"[A-Za-z0-9_]{8}\.tmp", re.S)
#: The longest file name (one path segment, in bytes) the common file systems take (ext4, XFS, APFS):
#: the temporary files here, the briefings' names and the manifest's paths are all held to it.
NAME_MAX = 255

# Read once: os.umask() can only be read by setting it, which is not thread-safe.
_UMASK = os.umask(0)
os.umask(_UMASK)


def is_temp(name: str) -> bool:
    """Whether the file name ``name`` is a temporary file of `write_atomic`."""
    return _TEMP.fullmatch(name) is not None


def _prefix(name: str) -> str:
    """The temporary file's prefix, ``name`` shortened so the whole file name fits in `NAME_MAX` bytes."""
    room = NAME_MAX - len(f"..{TEMP_MARK}XXXXXXXX.tmp")
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}{TEMP_MARK}"


#: The guarded folders of this context (a run's thread and the tasks and threads it starts with its context).
_GUARDS: ContextVar[tuple[tuple[str, Callable[[], None]], ...]] = ContextVar("summariser_guards", default=())


@contextmanager
def guarded(folder: Path, check: Callable[[], None]) -> Iterator[None]:
    """Inside the block, `check_folder` of a path under ``folder`` calls ``check`` (which raises to stop the write).

    The guard belongs to the context that set it: a run's writes are checked against its own
    folder, and another run in the same process (another thread) has guards of its own.
    """
    token = _GUARDS.set((*_GUARDS.get(), (os.path.abspath(folder), check)))
    try:
        yield
    finally:
        _GUARDS.reset(token)


def check_folder(path: Path) -> None:
    """Call the check of every guarded folder (of this context) that holds ``path``; nothing if none does."""
    guards = _GUARDS.get()
    if not guards:
        return
    where = os.path.abspath(path)
    for folder, check in guards:
        if where == folder or where.startswith(folder.rstrip(os.sep) + os.sep):
            check()


def remove(path: Path) -> None:
    """Remove the file (or the link itself) at ``path`` if there is one, once `check_folder` allows it."""
    check_folder(path)
    path.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, with normal (umask) permissions."""
    check_folder(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600
        testpoints.reached("atomic-write")
        check_folder(path)  # from here on a moved folder leaves the rename without its temporary file
        try:
            os.replace(tmp, path)
        except FileNotFoundError:
            check_folder(path)  # the folder moved: say so
            raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
