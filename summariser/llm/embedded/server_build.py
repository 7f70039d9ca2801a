"""llama.cpp's llama-server, built on first need: once per machine and flags, under a lock, published whole.

Only ``summariser serve`` (and the bench and tests that start the server) need llama-server, so
the install does not build it — compiling it is ~6 of the ~14 minutes a fresh install would
take — and `ensure` builds it the first time it is needed. ``scripts/build_llama_server.sh``
owns how it is compiled (the llama.cpp sources and the CPU flags of ``scripts/llama_cpp.sh``:
GGML_NATIVE off, explicit flags, never AMX) and the cache key, a hash of the version and every
flag (``--key``). This module owns when and where:

* this machine's build is ``<cache>/<key>/llama-server`` (`build_cache`); ``current`` points at
  the key in use, a stable path for people and tools outside summariser;
* a missing build is compiled under an exclusive ``flock`` of ``<cache>/.build.lock``, so a
  second first use waits for the first and then finds its build instead of compiling again;
* it is compiled into a temporary folder beside the cache (``--in``), which is renamed into
  place only once the script succeeded and left a binary: a build cut short (a failure, Ctrl-C,
  a kill) is never run, because the key's folder only ever appears whole;
* one line on stderr says that a build starts, how long it takes and where it is kept; a failure
  is one `ModelUnavailable` with the script's reason, the log kept beside the cache and the fix.

``SUMMARISER_LLAMA_SERVER_BUILD`` names another build script with the same two options (the
tests' stand-in). ``python -m summariser.llm.embedded.server_build`` (what ``bash
scripts/build_llama_server.sh`` and ``bash scripts/install.sh --with-server`` run) builds it now
and prints the binary's path.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from summariser import progress
from summariser.errors import ModelUnavailable, SummariserError
from summariser.settings_table import LLAMA_SERVER, LLAMA_SERVER_BUILD, LLAMA_SERVER_CACHE

__all__ = ["BUILD_TIME", "FAILED_LOG", "LOCK", "SCRIPT", "build_cache", "build_script", "ensure", "runnable"]

#: The build script of a clone of the repository (the package's editable install sits beside it).
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_llama_server.sh"
#: What the first build takes: 6 min 17 s was measured on a fresh 2-core machine.
BUILD_TIME = "~6 min"
#: The lock file, in the cache, that one build at a time holds.
LOCK = ".build.lock"
#: The log of the last failed build, kept in the cache for its message to point at.
FAILED_LOG = "build-failed.log"
#: The binary's name in a build's folder.
BINARY = "llama-server"
#: A cache key as the script prints it: hex digits (never ``current`` or a hidden name).
_KEY = re.compile(r"[0-9a-f]{8,64}")
#: Seconds ``--key`` may take (it reads /proc/cpuinfo and hashes a line).
KEY_TIMEOUT = 60.0


def build_cache() -> Path:
    """Where llama-server builds are kept (``SUMMARISER_LLAMA_SERVER_CACHE`` overrides)."""
    env = LLAMA_SERVER_CACHE.from_env()
    return env if env is not None else Path.home() / ".cache" / "summariser" / "llama-server"


def build_script() -> Path:
    """The script that compiles llama-server (``SUMMARISER_LLAMA_SERVER_BUILD`` overrides `SCRIPT`)."""
    env = LLAMA_SERVER_BUILD.from_env()
    script = env if env is not None else SCRIPT
    if not script.is_file():
        where = f"{LLAMA_SERVER_BUILD.env}={env}" if env is not None else f"{script}: installed without the repository"
        raise ModelUnavailable(
            f"cannot build llama-server: no build script ({where}); set {LLAMA_SERVER.env} to a llama-server binary"
        )
    return script


def runnable(path: Path) -> bool:
    """True if ``path`` is an executable regular file."""
    return path.is_file() and os.access(path, os.X_OK)


def ensure() -> Path:
    """This machine's llama-server binary, built now (once, under the cache's lock) if there is none yet."""
    root, script = build_cache(), build_script()
    key = _key(script)
    exe = root / key / BINARY
    if not runnable(exe):
        try:
            root.mkdir(parents=True, exist_ok=True)
            with _locked(root / LOCK):
                if not runnable(exe):  # a concurrent first use may have built it while this one waited
                    _build(script, root, key)
        except OSError as err:
            raise ModelUnavailable(
                f"cannot build llama-server in {root}: {err.strerror or err}; "
                f"make it writable or set {LLAMA_SERVER_CACHE.env} to another folder"
            ) from None
    _point_current(root, key)
    return exe


def _key(script: Path) -> str:
    try:
        done = subprocess.run(
            ["bash", str(script), "--key"], capture_output=True, text=True, timeout=KEY_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        done = subprocess.CompletedProcess([], 1, "", f"it took over {KEY_TIMEOUT:g} s")
    key = done.stdout.strip()
    if done.returncode != 0 or not _KEY.fullmatch(key):
        why = _last_line(done.stderr) or f"it printed {key[:40]!r}"
        raise ModelUnavailable(f"cannot name this machine's llama-server build: `bash {script} --key` failed: {why}")
    return key


def _current(root: Path) -> str | None:
    try:
        return os.readlink(root / "current")
    except OSError:
        return None


def _point_current(root: Path, key: str) -> None:
    """``current`` → ``key``, replaced in one rename (a reader sees the old link or the new one)."""
    if _current(root) == key:
        return
    link = root / f".current-{os.getpid()}-{threading.get_ident()}"
    with contextlib.suppress(OSError):  # a convenience for people: never a reason to fail a serve
        link.unlink(missing_ok=True)
        link.symlink_to(key)
        os.replace(link, root / "current")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` of ``path`` (waiting, with a line saying so, while another process has it)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say(f"waiting for the llama-server build another process is running ({path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _say(line: str) -> None:
    """One line on stderr, shown even with no progress listener: a build is minutes of silence otherwise."""
    progress.report(line)
    print(line, file=sys.stderr, flush=True)


def _build(script: Path, root: Path, key: str) -> None:
    """Compile into a temporary folder beside the cache; rename its ``out`` to ``<root>/<key>`` once whole."""
    for leftover in root.glob(".build-*"):  # of a build that was killed: no build runs but this one (the lock)
        shutil.rmtree(leftover, ignore_errors=True)
    _say(f"building llama.cpp's llama-server ({BUILD_TIME}, once; cached in {root})")
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        log = work / "output.log"  # the script's own logs are its folder's *.log
        with log.open("wb") as out:
            code = subprocess.run(
                ["bash", str(script), "--in", str(work)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHON": sys.executable},  # pip download of the sources: this environment's pip
                check=False,
            ).returncode
        built = work / "out"
        if code != 0 or not runnable(built / BINARY):
            kept = root / FAILED_LOG
            os.replace(log, kept)
            raise ModelUnavailable(_failure(log=kept, code=code, script=script))
        final = root / key
        if final.is_dir() and not final.is_symlink():  # not a build (it has no binary): made by hand, say
            shutil.rmtree(final)
        elif final.exists() or final.is_symlink():
            final.unlink()
        os.rename(built, final)
        (root / FAILED_LOG).unlink(missing_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _last_line(text: str) -> str:
    return next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")


def _failure(*, log: Path, code: int, script: Path) -> str:
    """The one line of a failed build: the script's own ``error:`` line (its reason and fix), else its last line."""
    text = log.read_text(encoding="utf-8", errors="replace")
    errors = [line.strip() for line in text.splitlines() if line.strip().startswith("error:")]
    if errors:
        reason = errors[-1].removeprefix("error:").strip()
    elif code == 0:
        reason = f"{script} succeeded but left no executable out/{BINARY}"
    else:
        reason = f"{script} failed (exit code {code}): {_last_line(text) or 'it printed nothing'}"
    return (
        f"cannot build llama-server: {reason}; the build's log is {log}. Fix that and run the command again "
        f"(or set {LLAMA_SERVER.env} to a llama-server binary)"
    )


def main() -> int:
    """Build (or find) this machine's llama-server and print its path; a failure is one ``error:`` line."""
    try:
        print(ensure())
    except SummariserError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
