"""Render a briefing as JSON or Markdown, and read one back (files are written with `summariser.atomic`).

A briefing file is read by `read_briefing_bytes`: a regular file of at most `MAX_BRIEFING_BYTES`
(`summariser.files`), the one cap of every briefing JSON the tool reads — the review input, gold
and prediction files, ``gold init``'s briefings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, first_validation_error
from ..files import read_bounded
from ..schemas import SCHEMA_VERSION, Briefing, Evidence, best_match
from .markdown import code
from .markdown import text as md
from .whats_new import markdown_lines

__all__ = ["MAX_BRIEFING_BYTES", "read_briefing", "read_briefing_bytes", "read_earlier", "to_json", "to_markdown"]

#: The largest briefing JSON file read. The parts a model writes are bounded by
#: `summariser.schemas.limits` (a few hundred KB even for a 20-article briefing); the rest is
#: the cleaned text of its sources (``sources[].text``). 64 MB holds three articles at the
#: default 20 MB input limit, or twenty 3 MB ones — a news article is 2–50 KB — and such a
#: file read and validated whole stays within a few hundred MB (docs/reliability.md).
MAX_BRIEFING_BYTES = 64 * 2**20


def read_briefing_bytes(path: Path, *, what: str = "briefing", within: Path | None = None) -> bytes:
    """The bytes of a briefing JSON file: a regular file of at most `MAX_BRIEFING_BYTES`, else an `InputError`.

    ``what`` names the file in messages ("the gold file"); with ``within`` (a scanned folder), a
    link out of that folder is refused too (`summariser.files.read_bounded`).
    """
    return read_bounded(
        path, what=what, limit=MAX_BRIEFING_BYTES, error=InputError, within=within,
        too_big="pass a briefing written by summariser (one briefing, its sources' text included)",
    )  # fmt: skip


def read_briefing(path: Path, *, within: Path | None = None) -> Briefing:
    """Read and validate a briefing JSON file; an unreadable or invalid file is an `InputError`."""
    raw = read_briefing_bytes(path, within=within)
    try:
        return Briefing.model_validate_json(raw)
    except ValidationError as err:
        raise InputError(
            f"{path} is not a valid briefing ({first_validation_error(err)}); pass a file written by `summariser brief`"
        ) from None


def read_earlier(path: Path) -> Briefing:
    """The earlier version of a briefing (``brief --since``): a briefing JSON file of this schema version, else
    a one-line `InputError` naming the file and what to pass instead."""
    raw = read_briefing_bytes(path, what="earlier briefing")
    fix = "pass the JSON of an earlier `summariser brief` of this story"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise InputError(f"{path} is not JSON, so not a briefing; {fix}") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(data, dict) and version is not None and version != SCHEMA_VERSION:
        raise InputError(
            f"{path} is a briefing of schema version {str(version)[:20]!r}, not {SCHEMA_VERSION}; "
            "brief its articles again with this summariser, or " + fix
        )
    try:
        return Briefing.model_validate(data)
    except ValidationError as err:
        raise InputError(f"{path} is not a briefing ({first_validation_error(err)}); {fix}") from None


def to_json(briefing: Briefing) -> str:
    """The briefing as indented, schema-valid JSON (null fields kept: they are part of the contract)."""
    return briefing.model_dump_json(indent=2) + "\n"


def _evidence_note(evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return " _(no supporting span: ungrounded)_"
    docs = len({e.doc_id for e in evidence})
    return f" _({md(best_match(evidence))}; {docs} source{'s' if docs > 1 else ''})_"


def _joined(items: Iterable[str]) -> str:
    return ", ".join(md(item) for item in items)


def to_markdown(briefing: Briefing) -> str:
    """The briefing as a Markdown document for people to read.

    Every text of the briefing (the model's, the sources' and the file names') goes through
    `summariser.output.markdown.text`: it renders as that text, never as a link, an image,
    HTML, code, emphasis or a new block, and carries no control character.
    """
    lines = [f"# {md(briefing.headline)}", ""]
    if briefing.updates is not None:  # a later version opens with what is new (`whats_new`)
        lines += markdown_lines(briefing.updates)
    facts = []
    if briefing.event_date:
        facts.append(f"**Date:** {briefing.event_date.isoformat()}")
    if briefing.location:
        facts.append(f"**Location:** {md(briefing.location)}")
    if facts:
        lines += [" · ".join(facts), ""]
    lines += ["## Summary", ""] + [f"- {md(p.text)}{_evidence_note(p.evidence)}" for p in briefing.summary] + [""]
    if briefing.people:
        lines += ["## People", ""]
        for person in briefing.people:
            extra = ", ".join(md(x) for x in (person.role, person.affiliation) if x)
            lines.append(f"- **{md(person.name)}**" + (f" — {extra}" if extra else ""))
        lines.append("")
    if briefing.organisations:
        lines += ["## Organisations", "", _joined(o.name for o in briefing.organisations), ""]
    if briefing.places:
        lines += ["## Places", "", _joined(p.name for p in briefing.places), ""]
    if briefing.countries:
        lines += ["## Countries", "", _joined(briefing.countries), ""]
    if briefing.quotes:
        lines += ["## Quotes", ""]
        lines += [f"> “{md(q.text)}” — {md(q.speaker or 'unattributed')}\n" for q in briefing.quotes]
    lines += ["## Themes", "", _joined(briefing.themes), ""]
    if briefing.implications:
        lines += ["## Implications", ""] + [f"- {md(i.text)}" for i in briefing.implications] + [""]
    if briefing.conflicts:
        lines += ["## Conflicts between sources", ""]
        for c in briefing.conflicts:
            values = "; ".join(f"{md(v.value)} ({_joined(v.doc_ids)})" for v in c.values)
            lines.append(f"- {md(c.field)}" + (f" of {md(c.subject)}" if c.subject else "") + f": {values}")
        lines.append("")
    if briefing.grounding and (briefing.grounding.dropped or briefing.grounding.ungrounded):
        lines += ["## Grounding", "", f"{briefing.grounding.rate:.0%} of items are supported by a source span.", ""]
        lines += [f"- dropped {md(d.field)}: {md(d.item)} — {md(d.reason)}" for d in briefing.grounding.dropped]
        lines += [f"- kept, ungrounded {md(u.field)}: {md(u.item)}" for u in briefing.grounding.ungrounded]
        lines.append("")
    lines += ["## Sources", ""]
    for src in briefing.sources:
        when = f", published {src.published.isoformat(sep=' ')}" if src.published else ""
        lines.append(f"- {md(src.title or 'untitled')} ({code(src.doc_id)}{when})")
    if briefing.meta:
        prompts = ", ".join(f"{md(k)} v{md(str(v))}" for k, v in sorted(briefing.meta.prompts.items()))
        lines += ["", f"_Made with {md(briefing.meta.model)}; prompts {prompts}._"]
    return "\n".join(lines).rstrip() + "\n"
