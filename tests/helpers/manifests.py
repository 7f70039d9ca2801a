"""Manifests for the security tests: good entries, hostile values, and the check every load must pass.

`checked` loads a folder's manifest and asserts what issue 14 asks of every load: either a
manifest whose every name, ``files`` entry and ``inputs``/``stats`` key is a plain relative
POSIX path inside the folder and whose every hash is 64 hex digits, or one `InputError`
line naming the file and the fix. The strategies generate JSON documents of any shape and
hostile paths (``..``, absolute, NUL, empty segments, over-long, Unicode tricks).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from helpers.generated import FAST as GENERATED
from helpers.tiers import examples
from summariser.errors import InputError
from summariser.regenerate.manifest import Manifest, load_manifest, path_problem, save_manifest

__all__ = ["FAST", "HASH", "checked", "good_entry", "hostile_path", "json_values", "legacy", "saved"]

FAST = settings(GENERATED, max_examples=examples(150))
HASH = "ab" * 32


def good_entry(name: str = "a") -> dict[str, Any]:
    """A valid entry of briefing ``name``, as JSON data."""
    return {"inputs": {f"{name}.txt": HASH}, "prompts": {"overview": "3"}, "schema_version": "1", "model": "m",
            "files": [f"{name}.json", f"{name}.md", f"{name}.html"], "headline": "h", "sources": ["s"]}  # fmt: skip


def legacy(briefings: Any, version: Any = 1) -> bytes:
    """An old ``manifest.json`` holding ``briefings``."""
    return json.dumps({"version": version, "briefings": briefings}).encode()


def saved(folder: Path, n: int = 3) -> Manifest:
    """A SQLite manifest of ``n`` good entries saved in ``folder``."""
    manifest = Manifest.model_validate({"briefings": {f"b{i}": good_entry(f"b{i}") for i in range(n)}})
    save_manifest(folder, manifest)
    return manifest


def checked(folder: Path) -> Manifest | None:
    """`load_manifest`: a safe manifest, or None after a clean one-line `InputError` naming the file."""
    try:
        manifest = load_manifest(folder)
    except InputError as err:
        assert "\n" not in err.message and str(folder) in err.message, err.message
        assert "move it away" in err.message or "remove it" in err.message or "upgrade" in err.message
        return None
    root = os.path.realpath(folder)
    for name, entry in manifest.briefings.items():
        for path in (name, *entry.files, *entry.inputs, *entry.stats):
            assert path_problem(path) is None and "\x00" not in path and not path.startswith("/")
            assert ".." not in path.split("/")
            assert os.path.normpath(os.path.join(root, path)).startswith(root + os.sep)
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in entry.inputs.values())
    return manifest


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_PIECES = ["..", ".", "", "/", "\x00", "\\", "..\\..", "~", "C:", "é", "\u202e", "a" * 260, "%2e%2e", "\n", " ", "a"]
hostile_path = st.one_of(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), min_size=1, max_size=6).map("/".join),
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4).map("".join),
    st.text(max_size=40),
    st.just("x/" * 2100),
)
