"""The briefings folder's lock and the sweep of temporary files a killed run left behind.

The lock is an ``flock`` on the briefings folder itself (its directory file descriptor), held
for the whole run: a second ``regenerate`` on the same folder refuses with a clear message
instead of interleaving. Deleting a file cannot release it — the earlier lock on the file
``BRIEFINGS_DIR/.summariser.lock`` alone could be removed while held, and a second run then
took a new one. That file is still locked too (so an older summariser sees the run) and holds
the running process's pid, for the message. It is opened relative to the locked folder's
descriptor, never through a link, and must be a regular file with one link: a hard link to a
file elsewhere (``ln ~/.bashrc out/.summariser.lock``) would be truncated and written.

The lock is held on the folder, but files are written by path: renaming the folder mid-run
(``mv out out.moved; mkdir out``) would send the run's writes into the new, unlocked folder,
where a second run may be writing. So the locked folder is *guarded* (`summariser.atomic.guarded`):
before every write and removal (briefings, review pages, index, manifest, batch state, prune,
sweep) the path must still lead to the locked directory (same device and inode as its
descriptor); if not, the run stops with `FolderMoved`, one line, writing nothing more.

`sweep_temp_files` removes only `summariser.atomic` temporary files (``.NAME.summariser-XXXXXXXX.tmp``),
only inside the folder, and does not descend into links.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..atomic import guarded, is_temp, remove
from ..errors import ConfigError
from .paths import LOCK, inside

__all__ = ["LOCK", "FolderMoved", "folder_lock", "sweep_temp_files"]


class FolderMoved(ConfigError):
    """The briefings folder was moved or replaced while a run held its lock: the run stops writing."""


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


def _guard(folder: Path, dir_fd: int) -> Callable[[], None]:
    """The check that ``folder`` still is the directory open as ``dir_fd`` (see `summariser.atomic.guarded`)."""
    locked = os.fstat(dir_fd)

    def check() -> None:
        try:
            now = os.stat(folder)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (locked.st_dev, locked.st_ino):
            raise FolderMoved(
                f"{folder} is no longer the briefings folder this run locked (it was moved or replaced during the "
                "run); stopped, nothing more written: rerun on the folder where it is now"
            )

    return check


def _open_lock_file(folder: Path, dir_fd: int) -> int:
    """The lock file, opened (created) in the locked folder itself: a regular file with one link, or a `ConfigError`."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(LOCK, flags, 0o644, dir_fd=dir_fd)
    except OSError as err:  # a link or a folder in its place
        raise ConfigError(f"{folder / LOCK} cannot be opened ({err.strerror}); remove it and rerun") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        what = f"has {info.st_nlink} links (a hard link)" if stat.S_ISREG(info.st_mode) else "is not a regular file"
        raise ConfigError(
            f"{folder / LOCK} {what}; writing it would change a file outside the folder: remove it and rerun"
        )
    return fd


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock and guard it; another holder makes this a `ConfigError` naming its pid."""
    folder.mkdir(parents=True, exist_ok=True)
    dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refuse(folder) from None
        fd = _open_lock_file(folder, dir_fd)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # an older summariser, which locks only the file
                raise _refuse(folder) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            try:
                with guarded(folder, _guard(folder, dir_fd)):
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
            remove(path)
            removed += 1
        dirs.sort()
    return removed
