"""The briefings folder's lock and the sweep of temporary files a killed run left behind.

The lock is an ``flock`` on the briefings folder itself (its directory file descriptor), held
for the whole run: a second ``regenerate`` on the same folder refuses with a clear message
instead of interleaving. Deleting a file cannot release it — the earlier lock on the file
``BRIEFINGS_DIR/.summariser.lock`` alone could be removed while held, and a second run then
took a new one. That file is still locked too (so an older summariser sees the run) and holds
the running process's pid, for the message.

`sweep_temp_files` removes only `summariser.atomic` temporary files (``.NAME.summariser-XXXXXXXX.tmp``),
only inside the folder, and does not descend into links.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..atomic import is_temp
from ..errors import ConfigError
from .paths import LOCK, inside

__all__ = ["LOCK", "folder_lock", "sweep_temp_files"]


def _refuse(folder: Path) -> ConfigError:
    try:  # never through a link, never waiting on a FIFO
        fd = os.open(folder / LOCK, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        try:
            holder = os.read(fd, 32).decode(errors="replace").strip()
        finally:
            os.close(fd)
    except OSError:
        holder = ""
    if not holder.isdigit():
        holder = ""
    return ConfigError(
        f"another summariser regenerate (pid {holder or 'unknown'}) is writing {folder}; wait for it to finish"
    )


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock; another holder makes this a `ConfigError` naming its pid."""
    folder.mkdir(parents=True, exist_ok=True)
    dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refuse(folder) from None
        try:
            fd = os.open(inside(folder, LOCK), os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as err:  # a link or a folder in its place
            raise ConfigError(f"{folder / LOCK} cannot be opened ({err.strerror}); remove it and rerun") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # an older summariser, which locks only the file
                raise _refuse(folder) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        os.close(dir_fd)  # releases the folder's flock


def sweep_temp_files(folder: Path) -> int:
    """Remove the temporary files a killed run left behind (`summariser.atomic.is_temp`); return how many.

    Links are neither followed into nor removed; each removal goes through `inside`.
    """
    removed = 0
    for top, dirs, files in os.walk(folder):  # followlinks=False: a linked folder is not entered
        base = Path(top).relative_to(folder)
        for name in files:
            relative = (base / name).as_posix()
            if not is_temp(name):
                continue
            path = inside(folder, relative, fix="move it out of the briefings folder")
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
            except OSError:
                continue
            path.unlink(missing_ok=True)
            removed += 1
        dirs.sort()
    return removed
