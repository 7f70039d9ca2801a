""" "What's new since …": how a briefing's update (`schemas.Updates`) opens its Markdown and its review page.

A reader of a story's new version wants the difference first, so both open with it: the version
the update is measured against and when it was made, then the new facts, the changed numbers
(old → new), the people, organisations and quotes no earlier article had — or, when the new
articles add nothing, one line that says so. `heading` is the one wording of the title, shared
by `render.to_markdown` and the review page; `markdown_lines` are the Markdown section; `news_line`
the update in a few words, for ``regenerate``'s summary.
"""

from __future__ import annotations

from ..schemas import Change, Updates
from .markdown import text as md

__all__ = ["NOTHING_NEW_LINE", "change_line", "heading", "markdown_lines", "news_line"]

#: What an update with nothing new says.
NOTHING_NEW_LINE = "Nothing new: the articles added since then add nothing to it."


def heading(updates: Updates) -> str:
    """ "What's new since version N (made YYYY-MM-DD HH:MM UTC)" — plain text, for any output to escape."""
    since = updates.since
    made = f", made {since.made.strftime('%Y-%m-%d %H:%M')} UTC" if since.made is not None else ""
    count = len(since.sources)
    return f"What's new since version {since.version} ({count} source{'s' if count != 1 else ''}{made})"


def change_line(change: Change) -> str:
    """One changed quantity in plain words: "deaths: 30 → 45"."""
    return f"{change.quantity}: {change.old} → {change.new}"


def markdown_lines(updates: Updates) -> list[str]:
    """The "What's new since …" section of a briefing's Markdown, every text escaped (`markdown.text`)."""
    lines = [f"## {md(heading(updates))}", ""]
    if updates.empty():
        return [*lines, md(NOTHING_NEW_LINE), ""]
    lines += [f"- **New:** {md(f.text)}" for f in updates.facts]
    for c in updates.changes:
        was = f" (was: “{md(c.before[0].quote)}”; now: “{md(c.evidence[0].quote)}”)" if c.before and c.evidence else ""
        lines.append(f"- **Changed:** {md(change_line(c))}{was}")
    for p in updates.people:
        extra = ", ".join(md(x) for x in (p.role, p.affiliation) if x)
        lines.append(f"- **Person:** {md(p.name)}" + (f" — {extra}" if extra else ""))
    lines += [f"- **Organisation:** {md(o.name)}" for o in updates.organisations]
    lines += [f"- **Quote:** “{md(q.text)}” — {md(q.speaker or 'unattributed')}" for q in updates.quotes]
    return [*lines, ""]


def news_line(updates: Updates | None) -> str | None:
    """The update in a few words, for a run's summary: "version 2: 3 facts, 1 change, 9 people new" (None: a first
    version)."""
    if updates is None:
        return None
    version = f"version {updates.since.version + 1}"
    counts = [
        (len(updates.facts), "fact", "facts"),
        (len(updates.changes), "change", "changes"),
        (len(updates.people), "person", "people"),
        (len(updates.organisations), "organisation", "organisations"),
        (len(updates.quotes), "quote", "quotes"),
    ]
    said = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return f"{version}: {', '.join(said)} new" if said else f"{version}: nothing new"
