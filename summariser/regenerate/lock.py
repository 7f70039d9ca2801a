"""The briefings folder's lock and the sweep of temporary files a killed run left behind.

``BRIEFINGS_DIR/.summariser.lock`` is held (``flock``) for the whole run: a second
``regenerate`` on the same folder refuses with a clear message instead of interleaving.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigError

__all__ = ["LOCK", "folder_lock", "sweep_temp_files"]

LOCK = ".summariser.lock"


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
