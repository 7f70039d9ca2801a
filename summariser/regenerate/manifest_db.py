"""The manifest's storage: a SQLite file of (name, entry JSON) rows, and the old JSON manifest read as bytes.

Storage only — `summariser.regenerate.manifest` validates what comes out and decides what
goes in. Nothing here trusts the folder it is handed (it may be one someone sent you):

* the manifest and its ``-wal``, ``-shm`` and ``-journal`` companions must be regular files
  with one link each, not symbolic links (SQLite writes its journal wherever such a link
  points) nor hard links (``ln outside/m.sqlite out/manifest.sqlite``: SQLite writes in
  place, so the file outside would change — a reader too may write, checkpointing the WAL);
  the one second link allowed is the manifest's own temporary file, in the instant
  `_create` links it into place;
* the database must hold exactly the one table this module creates (no other table, index,
  view or trigger: triggers would run inside our writes) and a known ``user_version``;
  ``trusted_schema`` is off and a row is at most `MAX_ROW_BYTES`, the rows at most `MAX_ROWS`;
* the old JSON manifest is read only when it is a regular file of at most `MAX_LEGACY_BYTES`.

Any failure is an `InputError` naming the file and the fix. A write is one ``BEGIN
IMMEDIATE`` transaction in WAL mode: a process killed inside it leaves the previous state. A
new manifest is written whole under a temporary name and then linked into place, so one that
exists is never empty: an empty database is damage, refused like any other. Under a run's
lock the briefings folder is guarded (`summariser.atomic.check_folder`): a write checks that
the folder is still the one locked before it opens the database and again once its
transaction holds the database, so a folder renamed mid-run is never written through.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
from collections.abc import Generator, Sequence
from pathlib import Path

from .. import testpoints
from ..atomic import TEMP_MARK, check_folder, remove
from ..errors import InputError

__all__ = [
    "CHUNK",
    "MAX_LEGACY_BYTES",
    "MAX_ROWS",
    "MAX_ROW_BYTES",
    "MOVE_AWAY",
    "SCHEMA",
    "read_legacy",
    "read_rows",
    "write_rows",
]

SCHEMA = "CREATE TABLE briefings (name TEXT PRIMARY KEY NOT NULL, entry TEXT NOT NULL) WITHOUT ROWID"
#: More briefings than this in one manifest is not a folder this tool built.
MAX_ROWS = 2_000_000
MAX_ROW_BYTES = 16 * 2**20
MAX_LEGACY_BYTES = 2**30
#: Rows read and validated at a time (so the raw rows of a large manifest are never all in memory).
CHUNK = 5_000
#: How long a save waits for another connection's transaction (a dry run reading) to end.
BUSY_SECONDS = 30.0
_COMPANIONS = ("-wal", "-shm", "-journal")
#: The fix of a manifest that cannot be used, in every message that refuses one (here and in `manifest`).
MOVE_AWAY = "move it away (every briefing is then rebuilt) or restore it"


def _present(path: Path) -> bool:
    """Whether ``path`` exists; an `InputError` unless it is a regular file with one link (not a link, a folder…)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as err:
        raise InputError(f"{path} cannot be read ({err.strerror}); {MOVE_AWAY}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise InputError(f"{path} is {kind}; the manifest must be a file of the briefings folder itself — remove it")
    if info.st_nlink > 1 and not (info.st_nlink == 2 and _being_created(path, info)):
        raise InputError(
            f"{path} has {info.st_nlink} links (a hard link: writing it would change the same file elsewhere); give "
            "the folder its own copy (copy it to a new file, move that over it) or remove it"
        )
    return True


def _being_created(path: Path, info: os.stat_result) -> bool:
    """Whether the other link of ``path`` is the temporary file `_create` is linking into place right now."""
    prefix = f".{path.name}{TEMP_MARK}"
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return False
    for name in names:
        try:
            other = os.lstat(path.parent / name)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return True
    return False


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    for suffix in _COMPANIONS:
        _present(path.with_name(path.name + suffix))
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS)
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_ROW_BYTES)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a database that is not a manifest of this version (an empty one included: ours are never empty)."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    if found == 0 and not objects:
        raise InputError(f"{path} is an empty database, not a manifest (a manifest is never empty); {MOVE_AWAY}")
    if found != version:
        raise InputError(
            f"{path} is a version {found} manifest; this summariser reads versions 1 (JSON) and {version}: "
            "upgrade summariser, or move the manifest away (every briefing is then rebuilt)"
        )
    if objects != [("table", "briefings", "briefings", SCHEMA)]:
        odd = next((o for o in objects if o[1] != "briefings" or o[3] != SCHEMA), objects[0] if objects else ("",) * 2)
        raise InputError(
            f"{path} is not a manifest summariser wrote (unexpected {odd[0]} {str(odd[1])[:60]!r}); {MOVE_AWAY}"
        )


def read_rows(path: Path, version: int) -> Generator[list[tuple[str, str]], None, None] | None:
    """The (name, entry JSON) rows of the SQLite manifest at ``path``, `CHUNK` at a time, by name.

    None if there is none. The checks (file, version, schema,
    integrity, row count and types) are made before this returns; close the iterator (or
    read it to the end) to close the database.
    """
    if not _present(path):
        return None
    conn = None
    try:
        conn = _connect(path, create=False)
        _check(conn, path, version)
        if (problem := conn.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
            raise sqlite3.DatabaseError(str(problem))
        count, odd = conn.execute(
            "SELECT count(*), sum(typeof(name) != 'text' OR typeof(entry) != 'text') FROM briefings"
        ).fetchone()
        if count > MAX_ROWS:
            raise InputError(f"{path} lists {count} briefings, more than the {MAX_ROWS} it may hold; {MOVE_AWAY}")
        if odd:
            raise sqlite3.DatabaseError(f"{odd} rows that are not text")
        cursor = conn.execute("SELECT name, entry FROM briefings ORDER BY name")
    except BaseException as err:
        if conn is not None:
            conn.close()
        if isinstance(err, sqlite3.Error | ValueError):  # ValueError: text that is not UTF-8
            raise _unreadable(path, err) from None
        raise
    return _chunks(path, conn, cursor)


def _unreadable(path: Path, err: Exception) -> InputError:
    return InputError(f"{path} is not a readable manifest ({' '.join(str(err).split())[:160]}); {MOVE_AWAY}")


def _chunks(
    path: Path, conn: sqlite3.Connection, cursor: sqlite3.Cursor
) -> Generator[list[tuple[str, str]], None, None]:
    try:
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk
    except (sqlite3.Error, ValueError) as err:
        raise _unreadable(path, err) from None
    finally:
        conn.close()


def read_legacy(path: Path) -> bytes | None:
    """The bytes of the old JSON manifest at ``path``; None if there is none."""
    if not _present(path):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_LEGACY_BYTES:
                raise InputError(f"{path} is not a manifest (over {MAX_LEGACY_BYTES >> 20} MB); {MOVE_AWAY}")
            return handle.read(MAX_LEGACY_BYTES + 1)
    except OSError as err:
        raise InputError(f"{path} is unreadable ({err.strerror}); {MOVE_AWAY}") from None


def write_rows(
    path: Path, version: int, upserts: Sequence[tuple[str, str]], deletes: Sequence[str], legacy: Path | None = None
) -> None:
    """Insert or replace ``upserts`` and delete ``deletes`` in one transaction; then remove ``legacy`` (if given).

    A manifest that does not exist yet is created whole under a temporary name (every row of
    ``upserts``) and then linked into place, so a manifest is never seen empty or half-made.
    """
    check_folder(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if _present(path) or not _create(path, version, upserts):
            _update(path, version, upserts, deletes)
    except (sqlite3.Error, ValueError) as err:  # ValueError: text that is not UTF-8
        detail = " ".join(str(err).split())[:160]
        raise InputError(
            f"cannot write the manifest {path} ({detail}); free some space or fix the folder, then rerun"
        ) from None
    if legacy is not None and _present(legacy):
        remove(legacy)


def _update(path: Path, version: int, upserts: Sequence[tuple[str, str]], deletes: Sequence[str]) -> None:
    conn = _connect(path, create=False)
    try:
        _check(conn, path, version)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            check_folder(path)  # the database and its WAL are open: they are the locked folder's
            conn.executemany("INSERT OR REPLACE INTO briefings (name, entry) VALUES (?, ?)", upserts)
            conn.executemany("DELETE FROM briefings WHERE name = ?", ((name,) for name in deletes))
            testpoints.reached("manifest-save")  # a kill here: the previous state, whole
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _create(path: Path, version: int, rows: Sequence[tuple[str, str]]) -> bool:
    """Write a new manifest of ``rows`` beside ``path`` and link it into place; False if another got there first."""
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(4)}.tmp")  # swept after a crash (`is_temp`)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666))
    try:
        conn = _connect(tmp, create=False)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a crash leaves only the temporary file, which is swept
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(SCHEMA)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.executemany("INSERT INTO briefings (name, entry) VALUES (?, ?)", rows)
            conn.execute("COMMIT")
        finally:
            conn.close()
        testpoints.reached("manifest-save")  # a kill here: no manifest yet (an old JSON one is still there)
        check_folder(path)  # from here on a moved folder leaves the link without its temporary file
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            if _present(path):
                return False
            os.replace(tmp, path)
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)
