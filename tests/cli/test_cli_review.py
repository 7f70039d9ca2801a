"""``summariser review`` of a file that is not a briefing: one error line, no page.

The page itself is tested in tests/output/test_review.py.
"""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run


def test_review_of_a_file_that_is_not_a_briefing_fails_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"headline": 3}', encoding="utf-8")
    result = run("review", bad)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: ") and "not a valid briefing" in result.stderr
    assert not (tmp_path / "notes.html").exists()
