"""The index of a briefings folder: ``index.md`` and ``index.html``, one `IndexRow` per briefing.

Each lists every briefing with its headline, event date and sources, linking to its JSON,
Markdown and review page. The rows are plain data: the caller (``regenerate``, from its
manifest) says what to list, so output depends on nothing above it. Both files are written
atomically; ``regenerate`` brings them up to date at the end of every run (even an interrupted or
partial one), so they always match the manifest.

File names are untrusted (an article may be called ``javascript:alert(1).txt``; a manifest
may list anything): every link, in both files, is `href` — a relative URL of the file's
percent-encoded path segments, which cannot carry a scheme, a host, a query or a fragment
— and a file that is not a plain relative path gets no link. Every text cell of the Markdown
index goes through `summariser.output.markdown.text` (the escaper of every Markdown file):
no link, HTML, code or control character comes from a name, a headline or a source.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import check_folder, write_atomic
from . import markdown

__all__ = ["INDEX_FILES", "IndexRow", "href", "index_html", "index_markdown", "write_index"]

#: The index files `write_index` writes at the top of a briefings folder.
INDEX_FILES = ("index.md", "index.html")

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def href(relative: str) -> str | None:
    """The link to file ``relative`` of the folder, from a page at the folder's top; None: no link.

    Each ``/``-separated segment is percent-encoded whole (`urllib.parse.quote` with no safe
    characters: ``:``, ``/``, ``\\``, ``?``, ``#``, ``%``, quotes, ``<``, spaces and non-ASCII
    all encoded, UTF-8 or the file name's own bytes), so the URL is relative, has no scheme
    or host and names exactly that file. An empty, ``.`` or ``..`` segment (an absolute path,
    a path out of the folder) or a name that is not text gets None.
    """
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    try:
        return "/".join(quote(os.fsencode(part), safe="") for part in parts)
    except UnicodeEncodeError:  # a lone surrogate that is no file name's byte
        return None


@dataclass(frozen=True)
class IndexRow:
    """One briefing of the index: its name, what it says, and its files (relative to the folder)."""

    name: str
    headline: str
    event_date: str | None
    sources: Sequence[str]
    files: Sequence[str]
    label: str | None = None
    """The event's label (``--group-by event`` without a grouping file); None for a briefing of its own."""
    articles: Sequence[tuple[str, str | None]] = ()
    """The event's articles (path in the articles folder, the day each reports), in arrival order."""

    @property
    def articles_text(self) -> str:
        """The articles with their days: ``a.txt (2026-01-12); b.txt``."""
        return "; ".join(f"{path} ({day})" if day else path for path, day in self.articles)

    @property
    def span(self) -> str | None:
        """The days of the event's articles, ``first – last`` (or one day); the event date without articles."""
        days = sorted(day for _, day in self.articles if day)
        if not days:
            return self.event_date
        return days[0] if days[0] == days[-1] else f"{days[0]} – {days[-1]}"

    @property
    def review(self) -> str | None:
        """The link to the briefing's review page (its first ``.html`` file), if it has one (see `href`)."""
        return next((href(f) for f in self.files if f.endswith(".html")), None)

    @property
    def links(self) -> list[tuple[str, str]]:
        """``(kind, href)`` for each of its files that can be linked (``("json", "a%20b.json")``)."""
        pairs = ((Path(f).suffix[1:] or "file", href(f)) for f in self.files)
        return [(kind, link) for kind, link in pairs if link is not None]


def _sorted(rows: Iterable[IndexRow]) -> list[IndexRow]:
    return sorted(rows, key=lambda row: row.name)


def index_markdown(rows: Iterable[IndexRow]) -> str:
    """The index as a Markdown table, briefings sorted by name."""
    ordered = _sorted(rows)
    if any(row.articles for row in ordered):
        return _events_markdown(ordered)
    lines = [
        "# Briefings",
        "",
        f"{len(ordered)} briefings.",
        "",
        "| briefing | headline | date | sources |",
        "|---|---|---|---|",
    ]
    for row in ordered:
        cell = markdown.text
        links = " · ".join(f"[{cell(kind)}]({link})" for kind, link in row.links)
        lines.append(
            f"| {cell(row.name)} ({links}) | {cell(row.headline)} | {cell(row.event_date or '—')} "
            f"| {cell('; '.join(row.sources))} |"
        )
    return "\n".join(lines) + "\n"


def _events_markdown(ordered: list[IndexRow]) -> str:
    """The index of a folder grouped into events: each event, its label, its dates and its articles."""
    cell = markdown.text
    lines = [
        "# Events",
        "",
        f"{len(ordered)} events.",
        "",
        "| event | headline | dates | articles |",
        "|---|---|---|---|",
    ]
    for row in ordered:
        links = " · ".join(f"[{cell(kind)}]({link})" for kind, link in row.links)
        label = f" {cell(row.label)}" if row.label else ""
        lines.append(
            f"| {cell(row.name)}{label} ({links}) | {cell(row.headline)} | {cell(row.span or '—')} "
            f"| {cell(row.articles_text)} |"
        )
    return "\n".join(lines) + "\n"


def index_html(rows: Iterable[IndexRow]) -> str:
    """The index as a self-contained HTML page, briefings sorted by name."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    ordered = _sorted(rows)
    events = any(row.articles for row in ordered)
    return env.get_template("index.html.j2").render(briefings=[(row.name, row) for row in ordered], events=events)


def write_index(folder: Path, rows: Iterable[IndexRow]) -> None:
    """Write ``index.md`` and ``index.html`` into ``folder`` atomically.

    The page is written first and the Markdown last, so a Markdown index that already says what
    this one would (and a page beside it) means both are current: neither is rendered or written
    again (a run with nothing changed over 100,000 articles: 5 s of page rendering saved).
    """
    rows = list(rows)
    markdown, html = INDEX_FILES
    text = index_markdown(rows)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        plain = all((folder / name).is_file() and not (folder / name).is_symlink() for name in INDEX_FILES)
        if plain and (folder / markdown).read_text(encoding="utf-8") == text:
            check_folder(folder / markdown)  # still the locked folder: a moved one stops the run as a write would
            return
    write_atomic(folder / html, index_html(rows))
    write_atomic(folder / markdown, text)
