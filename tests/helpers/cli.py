"""Running the ``summariser`` command as a real subprocess, and checking its one-line failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.paths import FIXTURES

#: The two event fixture articles (a dated wire story and an undated page) as command-line arguments.
EVENT = [str(FIXTURES / "event" / "strike_report.txt"), str(FIXTURES / "event" / "strike_talks.html")]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m summariser *args`` with ``env`` added to this process's environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "summariser", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
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
