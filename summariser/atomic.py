"""Atomic file writes: a temporary file in the target folder, fsync, then a rename.

A reader (or a crash) never sees a half-written file: the target holds either its old
content or the new one. The temporary file is ``.NAME.summariser-XXXXXXXX.tmp`` (`is_temp`
tells one apart from a user's own ``.*.tmp`` file, so a sweep of what a killed run left
removes only ours). Imports nothing of the pipeline but the test kill points.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from . import testpoints

__all__ = ["TEMP_MARK", "is_temp", "write_atomic"]

#: What every temporary file of `write_atomic` carries between the target's name and ``.tmp``.
TEMP_MARK = ".summariser-"
_TEMP = re.compile(r"\..*" + re.escape(TEMP_MARK) + r"[A-Za-z0-9_]{8}\.tmp", re.S)
_NAME_MAX = 255

# Read once: os.umask() can only be read by setting it, which is not thread-safe.
_UMASK = os.umask(0)
os.umask(_UMASK)


def is_temp(name: str) -> bool:
    """Whether the file name ``name`` is a temporary file of `write_atomic`."""
    return _TEMP.fullmatch(name) is not None


def _prefix(name: str) -> str:
    """The temporary file's prefix, ``name`` shortened so the whole file name fits in `_NAME_MAX` bytes."""
    room = _NAME_MAX - len(f"..{TEMP_MARK}XXXXXXXX.tmp")
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}{TEMP_MARK}"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, with normal (umask) permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600
        testpoints.reached("atomic-write")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
