"""Render a briefing as JSON or Markdown, and write output files atomically."""

from __future__ import annotations

from .atomic import write_atomic
from .schemas import Briefing

__all__ = ["to_json", "to_markdown", "write_atomic"]


def to_json(briefing: Briefing) -> str:
    """The briefing as indented, schema-valid JSON (null fields kept: they are part of the contract)."""
    return briefing.model_dump_json(indent=2) + "\n"


def _evidence_note(n: int) -> str:
    return f" _(evidence: {n})_" if n else ""


def to_markdown(briefing: Briefing) -> str:
    """The briefing as a Markdown document for people to read."""
    lines = [f"# {briefing.headline}", ""]
    facts = []
    if briefing.event_date:
        facts.append(f"**Date:** {briefing.event_date.isoformat()}")
    if briefing.location:
        facts.append(f"**Location:** {briefing.location}")
    if facts:
        lines += [" · ".join(facts), ""]
    lines += ["## Summary", ""] + [f"- {p.text}{_evidence_note(len(p.evidence))}" for p in briefing.summary] + [""]
    if briefing.people:
        lines += ["## People", ""]
        for person in briefing.people:
            extra = ", ".join(x for x in (person.role, person.affiliation) if x)
            lines.append(f"- **{person.name}**" + (f" — {extra}" if extra else ""))
        lines.append("")
    if briefing.organisations:
        lines += ["## Organisations", "", ", ".join(o.name for o in briefing.organisations), ""]
    if briefing.countries:
        lines += ["## Countries", "", ", ".join(briefing.countries), ""]
    if briefing.quotes:
        lines += ["## Quotes", ""]
        lines += [f"> “{q.text}” — {q.speaker or 'unattributed'}\n" for q in briefing.quotes]
    lines += ["## Themes", "", ", ".join(briefing.themes), ""]
    if briefing.implications:
        lines += ["## Implications", ""] + [f"- {i.text}" for i in briefing.implications] + [""]
    lines += ["## Sources", ""]
    for src in briefing.sources:
        when = f", published {src.published.isoformat(sep=' ')}" if src.published else ""
        lines.append(f"- {src.title or 'untitled'} (`{src.doc_id}`{when})")
    if briefing.meta:
        lines += [
            "",
            f"_Made with {briefing.meta.model}; prompts "
            + ", ".join(f"{k} v{v}" for k, v in sorted(briefing.meta.prompts.items()))
            + "._",
        ]
    return "\n".join(lines).rstrip() + "\n"
