"""``summariser schemas DIR`` writes the files the models export (`summariser.schemas.schema_documents`)."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run

from summariser.schemas import schema_documents


def test_cli_export_writes_the_same_files(tmp_path: Path) -> None:
    result = run("schemas", tmp_path)
    assert result.returncode == 0, result.stderr
    for name, text in schema_documents().items():
        assert (tmp_path / name).read_text() == text
