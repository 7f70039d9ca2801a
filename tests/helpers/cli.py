"""Running the ``summariser`` command, in this process or as a real one, and checking its one-line failures.

`run` calls the console script's entry point (`summariser.cli.main`) in this process, inside
click's `CliRunner` isolation (typer's copy: its own stdin, stdout, stderr and environment), and
returns what a subprocess would: exit code, stdout, stderr. It is what most tests want — the same
parsing, error handling and output as ``python -m summariser`` without a fresh interpreter's
second of imports and spaCy load per call. `spawn` starts the real process; a test needs it (and is
marked ``subprocess``) when the process itself is the point: its exit status as the OS sees it,
signals, peak RSS, the console script, or what a fresh interpreter imports.
"""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner

import summariser.__main__ as entry
from helpers.paths import FIXTURES
from summariser.cli import main
from summariser.llm import secrets

__all__ = ["EVENT", "assert_clean_failure", "run", "spawn"]

#: The two event fixture articles (a dated wire story and an undated page) as command-line arguments.
EVENT = [str(FIXTURES / "event" / "strike_report.txt"), str(FIXTURES / "event" / "strike_talks.html")]
#: The module `summariser.cli.app` (its name in ``summariser.cli`` is the Typer app), for its ``--debug`` state.
_APP_MODULE = importlib.import_module("summariser.cli.app")
#: The loggers the CLI's ``--debug`` callback sets the level of (`summariser.cli.app`).
_LOGGERS = ("instructor", "openai", "httpx2", "summariser")


def run(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    input: str | bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """``summariser *args`` in this process, ``env`` added to the environment, in ``cwd``; as a finished process.

    Its output is decoded as UTF-8 with undecodable bytes kept as surrogates (an assertion can see them).
    """
    runner = CliRunner()
    code = 0
    with _fresh_process(args, cwd), runner.isolation(input=input, env=dict(env or {})) as (out, err, _):
        # The error handlers of this interpreter's own streams, which a child process gets too
        # (surrogateescape on stdout in a C.UTF-8 locale: an undecodable file name goes out as its bytes).
        sys.stdout.reconfigure(errors=getattr(sys.__stdout__, "errors", None) or "strict")  # type: ignore[union-attr]
        try:
            main()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            if not isinstance(stop.code, int | None):  # as the interpreter does: the message on stderr
                print(stop.code, file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = (stream.getvalue().decode(runner.charset, "surrogateescape") for stream in (out, err))
    return subprocess.CompletedProcess(["summariser", *map(str, args)], code, stdout, stderr)


@contextmanager
def _fresh_process(args: tuple[str | Path, ...], cwd: Path | None) -> Iterator[None]:
    """What a new ``python -m summariser`` process starts with, put back as it was afterwards.

    The arguments and ``__main__`` (click names the program from them: "python -m summariser"
    in usage lines), the working directory, the CLI's ``--debug`` state and the levels it sets on
    its loggers, the root logger's handlers (``--debug`` adds one, or a filter and a formatter), and the secrets
    a run registers (`summariser.llm.secrets.register_secrets`): one run cannot leak into the next.
    """
    saved_argv, saved_main, saved_cwd = sys.argv, sys.modules["__main__"], os.getcwd()
    saved_levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    root = logging.getLogger()
    saved_handlers = {h: (list(h.filters), h.formatter) for h in root.handlers}
    saved_secrets = set(secrets._REGISTERED)
    sys.argv = [entry.__file__ or "__main__.py", *map(str, args)]
    sys.modules["__main__"] = entry
    _APP_MODULE._state["debug"] = False
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        sys.modules["__main__"] = saved_main
        _APP_MODULE._state["debug"] = False
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
        root.handlers[:] = list(saved_handlers)  # without a handler ``--debug`` added on this run's stderr
        for handler, (filters, formatter) in saved_handlers.items():
            handler.filters[:] = filters
            handler.setFormatter(formatter)
        secrets._REGISTERED.clear()
        secrets._REGISTERED.update(saved_secrets)


def spawn(
    *args: str | Path, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m summariser *args`` as a real subprocess, ``env`` added to this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "summariser", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """A failure the way every bad input must fail: non-zero exit, one ``error:`` line naming
    every needle (case-insensitive), no traceback and nothing on stdout."""
    assert result.returncode != 0
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {err!r}"
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])
    assert result.stdout == ""
