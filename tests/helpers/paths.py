"""Where the tests find the repository and their inputs, whatever folder a test module is in.

Test modules live at different depths under ``tests/``; they take these paths from here
instead of counting ``parents[n]`` from their own ``__file__``.
"""

from __future__ import annotations

from pathlib import Path

#: The repository root (the folder holding ``pyproject.toml``).
ROOT = Path(__file__).resolve().parents[2]
#: The test inputs: ``articles/`` (one per format), ``event/`` (two reports of one event), ``hostile/``.
FIXTURES = ROOT / "tests" / "fixtures"
#: Recorded model exchanges, one file per test (``<module>__<test>.json``); see ``tests/conftest.py``.
CASSETTES = ROOT / "cassettes"
#: Screenshots and figures a test run leaves behind (not checked in).
ARTIFACTS = ROOT / "test-artifacts"
#: The shared seed articles next to the repository (optional: tests that need them skip without).
SEEDS = ROOT.parent / "shared" / "seeds"
