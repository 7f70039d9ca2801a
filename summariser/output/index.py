"""The index of a briefings folder: ``index.md`` and ``index.html``, written from the manifest.

Each lists every briefing with its headline, event date and sources, linking to its JSON,
Markdown and review page. Both are rewritten atomically at the end of every regenerate run
(even an interrupted or partial one), so they always match the manifest.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import write_atomic
from ..regenerate.manifest import Manifest

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def index_markdown(manifest: Manifest) -> str:
    """The index as a Markdown table."""
    lines = [
        "# Briefings",
        "",
        f"{len(manifest.briefings)} briefings.",
        "",
        "| briefing | headline | date | sources |",
        "|---|---|---|---|",
    ]
    for name, entry in sorted(manifest.briefings.items()):
        links = " · ".join(f"[{Path(f).suffix[1:]}]({f})" for f in entry.files)
        lines.append(
            f"| {_cell(name)} ({links}) | {_cell(entry.headline)} | {entry.event_date or '—'} "
            f"| {_cell('; '.join(entry.sources))} |"
        )
    return "\n".join(lines) + "\n"


def index_html(manifest: Manifest) -> str:
    """The index as a self-contained HTML page."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    rows = [
        (name, {**entry.model_dump(), "review": next((f for f in entry.files if f.endswith(".html")), None)})
        for name, entry in sorted(manifest.briefings.items())
    ]
    return env.get_template("index.html.j2").render(briefings=rows)


def write_index(folder: Path, manifest: Manifest) -> None:
    """Write ``index.md`` and ``index.html`` into ``folder`` atomically."""
    write_atomic(folder / "index.md", index_markdown(manifest))
    write_atomic(folder / "index.html", index_html(manifest))
