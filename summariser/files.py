"""Bounded reads: the one way summariser reads a file it was handed.

Every file the tool reads as input (articles, gold and prediction JSON, ``sources.yaml``, the
review input, the grouping file, the config file, baselines, datasets, cassettes, batch
state) is opened by `open_regular`, and read whole by `read_bounded`, so no input can hang
the process or exhaust its memory:

* the file is opened with ``O_NONBLOCK`` (and ``O_NOCTTY``), so a FIFO or a terminal cannot
  block the open, and the *open descriptor* is checked with ``fstat`` — not the path, which
  another process may swap for a FIFO or a device between a scan and the read — and refused
  unless it is a regular file (``/dev/zero``, a FIFO, a socket, a directory);
* a file whose size is over the limit is refused before it is read, and at most
  ``limit + 1`` bytes are read, so one that grows while it is read is refused too, after
  reading a bounded amount, never in full;
* with ``within``, the file's real path must lie inside that folder, checked on the path
  before the open (no device outside is ever opened) and on the open descriptor after it
  (``/proc/self/fd``: a swap in between is caught): a link out of a scanned folder is refused.

Every refusal is one `SummariserError` line (the caller picks the class: `InputError` for
inputs, `ConfigError` for settings) that names the file and the fix. The tool's own package
files (prompt templates, page assets, model weights) are not inputs and are read directly.
Imports nothing of the pipeline.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from typing import BinaryIO

from .errors import SummariserError

__all__ = ["decode_utf8", "file_kind", "open_regular", "read_bounded", "read_text_bounded", "size_words"]

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words ("a regular file", "a FIFO (named pipe)", …)."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def size_words(size: int) -> str:
    """A byte count as a person reads it: ``20 MB``, ``1.5 MB``, ``4,096 bytes``."""
    return f"{size / 2**20:.3g} MB" if size >= 2**20 else f"{size:,} bytes"


def _shown(path: str | os.PathLike[str], what: str, name: str | None) -> str:
    shown = os.fsdecode(path) if name is None else name
    return f"{what} {shown}" if what else shown


def _outside(real: str, root: str) -> bool:
    return os.path.commonpath([root, real]) != root


def _failure(
    err: OSError | ValueError, path: str | os.PathLike[str], shown: str, error: type[SummariserError]
) -> SummariserError:
    """The one-line error for an `OSError` or `ValueError` met opening or reading ``path``."""
    if isinstance(err, FileNotFoundError | NotADirectoryError):
        return error(f"no such file: {shown}; check the path")
    if isinstance(err, PermissionError):
        return error(f"{shown} cannot be read (permission denied); check its permissions")
    if isinstance(err, ValueError):  # a NUL in the name: shown quoted, so that it can be seen
        return error(f"{os.fsdecode(path)!r} is not a usable file name ({err}); check the path")
    if err.errno == errno.ENXIO:  # a socket, or a device with no driver: it has no data to read
        with contextlib.suppress(OSError):
            kind = file_kind(os.stat(path).st_mode)
            return error(f"{shown} is {kind}, not a regular file; pass a regular file")
    detail = getattr(err, "strerror", None) or str(err)
    return error(f"{shown} cannot be read ({detail}); check the file")


def open_regular(
    path: str | os.PathLike[str],
    *,
    what: str,
    error: type[SummariserError],
    within: str | os.PathLike[str] | None = None,
    name: str | None = None,
) -> tuple[BinaryIO, int]:
    """The regular file ``path`` open for reading (blocking, binary) and its size; else ``error``.

    ``what`` names the kind of file in messages ("the gold file"), ``name`` the file itself
    (default: ``path``). With ``within``, a file whose real path is outside that folder (through
    a link) is refused. The caller closes the file (``with handle:``).
    """
    shown = _shown(path, what, name)
    root = os.path.realpath(within) if within is not None else None
    out = f"{shown} is a link out of {os.fsdecode(within or '')}; copy the file into the folder instead"
    try:
        if root is not None and _outside(os.path.realpath(path), root):
            raise error(out)
        fd = os.open(path, _FLAGS)
        try:
            info = os.fstat(fd)  # the open file, not the path: it cannot be swapped now
            if not stat.S_ISREG(info.st_mode):
                raise error(f"{shown} is {file_kind(info.st_mode)}, not a regular file; pass a regular file")
            proc = f"/proc/self/fd/{fd}"
            if root is not None and os.path.exists(proc) and _outside(os.readlink(proc), root):
                raise error(out)  # swapped for a link after the check above
            os.set_blocking(fd, True)
            handle = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
    except SummariserError:
        raise
    except (OSError, ValueError) as err:
        raise _failure(err, path, shown, error) from None
    return handle, info.st_size


def read_bounded(
    path: str | os.PathLike[str],
    *,
    what: str,
    limit: int,
    error: type[SummariserError],
    within: str | os.PathLike[str] | None = None,
    too_big: str = "",
    name: str | None = None,
) -> bytes:
    """The bytes of the regular file ``path`` (see `open_regular`): at most ``limit`` bytes, else ``error``.

    ``too_big`` is the fix to suggest for a file over ``limit`` (default: pass a smaller file).
    """
    shown = _shown(path, what, name)
    fix = too_big or "pass a smaller file"
    handle, size = open_regular(path, what=what, error=error, within=within, name=name)
    with handle:
        if size > limit:
            actual = size_words(size) if size_words(size) != size_words(limit) else f"{size:,} bytes"
            raise error(f"{shown} is over the {size_words(limit)} limit ({actual}); {fix}")
        try:
            data = handle.read(limit + 1)
        except OSError as err:
            raise _failure(err, path, shown, error) from None
    if len(data) > limit:
        raise error(f"{shown} is over the {size_words(limit)} limit (it grew while it was read); {fix}")
    return data


def decode_utf8(data: bytes, shown: str, error: type[SummariserError]) -> str:
    """``data`` as UTF-8 text without a leading BOM; else ``error`` naming ``shown`` and the byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise error(f"{shown} is not UTF-8 (invalid byte at offset {err.start}); convert it to UTF-8") from None


def read_text_bounded(
    path: str | os.PathLike[str],
    *,
    what: str,
    limit: int,
    error: type[SummariserError],
    within: str | os.PathLike[str] | None = None,
    too_big: str = "",
    name: str | None = None,
) -> str:
    """`read_bounded`, decoded as UTF-8 (a BOM dropped); text that is not UTF-8 is ``error`` too."""
    data = read_bounded(path, what=what, limit=limit, error=error, within=within, too_big=too_big, name=name)
    return decode_utf8(data, _shown(path, what, name), error)
