"""The index of a briefings folder: ``index.md`` and ``index.html``, one `IndexRow` per briefing.

Each lists every briefing with its headline, event date and sources, linking to its JSON,
Markdown and review page. The rows are plain data: the caller (``regenerate``, from its
manifest) says what to list, so output depends on nothing above it. Both files are written
atomically; ``regenerate`` rewrites them at the end of every run (even an interrupted or
partial one), so they always match the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import write_atomic

__all__ = ["IndexRow", "index_html", "index_markdown", "write_index"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class IndexRow:
    """One briefing of the index: its name, what it says, and its files (relative to the folder)."""

    name: str
    headline: str
    event_date: str | None
    sources: Sequence[str]
    files: Sequence[str]

    @property
    def review(self) -> str | None:
        """The briefing's review page (its first ``.html`` file), if it has one."""
        return next((f for f in self.files if f.endswith(".html")), None)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sorted(rows: Iterable[IndexRow]) -> list[IndexRow]:
    return sorted(rows, key=lambda row: row.name)


def index_markdown(rows: Iterable[IndexRow]) -> str:
    """The index as a Markdown table, briefings sorted by name."""
    ordered = _sorted(rows)
    lines = [
        "# Briefings",
        "",
        f"{len(ordered)} briefings.",
        "",
        "| briefing | headline | date | sources |",
        "|---|---|---|---|",
    ]
    for row in ordered:
        links = " · ".join(f"[{Path(f).suffix[1:]}]({f})" for f in row.files)
        lines.append(
            f"| {_cell(row.name)} ({links}) | {_cell(row.headline)} | {row.event_date or '—'} "
            f"| {_cell('; '.join(row.sources))} |"
        )
    return "\n".join(lines) + "\n"


def index_html(rows: Iterable[IndexRow]) -> str:
    """The index as a self-contained HTML page, briefings sorted by name."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("index.html.j2").render(briefings=[(row.name, row) for row in _sorted(rows)])


def write_index(folder: Path, rows: Iterable[IndexRow]) -> None:
    """Write ``index.md`` and ``index.html`` into ``folder`` atomically."""
    rows = list(rows)
    write_atomic(folder / "index.md", index_markdown(rows))
    write_atomic(folder / "index.html", index_html(rows))
