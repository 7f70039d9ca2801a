"""summariser.output.index: the folder index is rendered from plain rows, sorted by name."""

from __future__ import annotations

from pathlib import Path

from summariser.output.index import IndexRow, index_html, index_markdown, write_index

ROWS = [
    IndexRow(
        "zeta", "Port | strike\nends", "2026-02-03", ["Port strike", "Wires"], ["zeta.json", "zeta.md", "zeta.html"]
    ),
    IndexRow("alpha", "Rail tender", None, [], ["alpha.json", "alpha.md"]),
]


def test_markdown_rows_are_sorted_escaped_and_linked() -> None:
    lines = index_markdown(ROWS).splitlines()
    assert lines[2] == "2 briefings."
    assert lines[6] == "| alpha ([json](alpha.json) · [md](alpha.md)) | Rail tender | — |  |"
    assert lines[7] == (
        "| zeta ([json](zeta.json) · [md](zeta.md) · [html](zeta.html)) | Port \\| strike ends | 2026-02-03 "
        "| Port strike; Wires |"
    )


def test_html_links_the_review_page_when_there_is_one() -> None:
    page = index_html(ROWS)
    assert page.index("alpha") < page.index("zeta")
    assert '<a href="zeta.html">Port | strike\nends</a>' in page
    assert ROWS[0].review == "zeta.html" and ROWS[1].review is None


def test_write_index_writes_both_files(tmp_path: Path) -> None:
    write_index(tmp_path, iter(ROWS))  # any iterable: read once, written twice
    assert "2 briefings." in (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "zeta.html" in (tmp_path / "index.html").read_text(encoding="utf-8")
