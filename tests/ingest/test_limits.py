"""The input size policy (`summariser.ingest.limits`): a file over the limit is refused before it is
read, and the limit is one module constant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.ingest import limits
from summariser.ingest.read import load_source, make_article


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_too_large_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(limits.MAX_INPUT_BYTES + 1)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError, match=r"big\.txt is over the 20 MB input limit"):
        load_source(big)


def test_input_limit_is_a_module_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "a.txt", b"A short article of forty-odd bytes, really.")
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError, match=r"a\.txt is over"):
        load_source(path)
    with pytest.raises(InputError, match="the article text is over"):
        make_article("x" * 11)
