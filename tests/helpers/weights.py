"""A fake embedded model whose weight slices are tiny packages made on the fly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from summariser.llm.embedded.weights import EmbeddedModel


def fake_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[bytes], sha: str | None = None
) -> EmbeddedModel:
    """A model of ``len(parts)`` slices, each an importable package ``fakeweights_part<i>``
    under ``tmp_path/site`` holding ``data/part<ii>.bin``; ``sha`` defaults to the right SHA-256."""
    site = tmp_path / "site"
    for i, data in enumerate(parts, start=1):
        pkg = site / f"fakeweights_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    digest = sha or hashlib.sha256(b"".join(parts)).hexdigest()
    return EmbeddedModel(
        "fake-1b", "test", "fakeweights_part", len(parts), digest, sum(map(len, parts)), "weights-fake"
    )
