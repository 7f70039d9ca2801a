"""Bounded reads: the one way summariser reads a file it was handed.

Every file the tool reads (articles, gold and prediction JSON, ``sources.yaml``, the review
input, the grouping file, the config file, baselines, cassettes) goes through `read_bounded`,
so no input can hang the process or exhaust its memory:

* the file is opened with ``O_NONBLOCK``, so a FIFO (or a terminal) cannot block the open,
  and the *open descriptor* is checked with ``fstat`` — not the path, which another process
  may swap for a FIFO or a device between a scan and the read — and refused unless it is a
  regular file (``/dev/zero``, a FIFO, a socket, a directory);
* at most ``limit + 1`` bytes are read, so a file that is over the limit (or grows while it is
  read) is refused after reading a bounded amount, never read in full;
* with ``within``, the file's real path must lie inside that folder: a link out of a scanned
  folder is refused, as the article scan of ``regenerate`` already refuses it.

Every refusal is one `SummariserError` line (the caller picks the class: `InputError` for
inputs, `ConfigError` for settings) that names the file and the fix. Imports nothing of the
pipeline.
"""

from __future__ import annotations

import os
import stat

from .errors import SummariserError

__all__ = ["decode_utf8", "file_kind", "read_bounded", "read_text_bounded"]

_NONBLOCK = os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
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


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit:,} bytes"


def read_bounded(
    path: str | os.PathLike[str],
    *,
    what: str,
    limit: int,
    error: type[SummariserError],
    within: str | os.PathLike[str] | None = None,
    too_big: str = "",
) -> bytes:
    """The bytes of the regular file ``path``: at most ``limit`` bytes, else ``error``.

    ``what`` names the file in messages ("the gold file", "the config file"); ``too_big`` is
    the fix to suggest for a file over ``limit`` (default: pass a smaller file). With
    ``within``, a file whose real path is outside that folder (through a link) is refused.
    """
    name = os.fsdecode(path)
    shown = f"{what} {name}" if what else name
    try:
        if within is not None:
            root = os.path.realpath(within)
            real = os.path.realpath(path)
            if os.path.commonpath([root, real]) != root:
                raise error(f"{shown} is a link out of {os.fsdecode(within)}; copy the file into the folder instead")
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
        try:
            mode = os.fstat(fd).st_mode  # the open file, not the path: it cannot be swapped now
            if not stat.S_ISREG(mode):
                raise error(f"{shown} is {file_kind(mode)}, not a regular file; pass a regular file")
            os.set_blocking(fd, True)
            chunks: list[bytes] = []
            left = limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 2**20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except SummariserError:
        raise
    except (FileNotFoundError, NotADirectoryError):
        raise error(f"no such file: {shown}; check the path") from None
    except PermissionError:
        raise error(f"{shown} cannot be read (permission denied); check its permissions") from None
    except (OSError, ValueError) as err:  # ValueError: a NUL in the name
        detail = getattr(err, "strerror", None) or str(err)
        raise error(f"{shown} cannot be read ({detail}); check the file") from None
    data = b"".join(chunks)
    if len(data) > limit:
        raise error(f"{shown} is over the {_size(limit)} limit; {too_big or 'pass a smaller file'}")
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
) -> str:
    """`read_bounded`, decoded as UTF-8 (a BOM dropped); text that is not UTF-8 is ``error`` too."""
    data = read_bounded(path, what=what, limit=limit, error=error, within=within, too_big=too_big)
    name = os.fsdecode(path)
    return decode_utf8(data, f"{what} {name}" if what else name, error)

