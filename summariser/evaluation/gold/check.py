"""``summariser gold check``: is a gold folder fit to score against? One `Problem` per fault.

For every ``NAME.json`` of the folder:

* it is a valid schema-version-1 briefing (`scoring.parse_prediction`, the evaluator's own
  reading), and not an unreviewed draft (`summariser.schemas.gold`) unless allowed;
* ``sources.yaml`` has an entry for it, every article of the entry can be read, and the
  articles are the gold's sources (the same content-hash doc ids: an edited article
  would move every offset);
* every evidence span — of the items, and of the date, place and countries in its grounding
  report — names one of its sources, and ``text[start:end]`` of that source is exactly its
  quote. The text is the gold's own ``sources[].text``, else the article of that id read
  from ``sources.yaml``.

And every entry of ``sources.yaml`` names a gold file. Every file is read bounded, as `eval`
reads it (`summariser.files`): one that is a FIFO, a device, a link out of the folder or over
its size cap is a problem of its own line. Nothing is fixed or written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from summariser.errors import InputError
from summariser.evaluation.gold.sets import SOURCES_FILE, read_sources_map
from summariser.evaluation.scoring.briefing import parse_prediction
from summariser.ingest.read import load_sources
from summariser.output.render import read_briefing_bytes
from summariser.schemas import Briefing, Evidence, is_unreviewed

__all__ = ["Problem", "check_gold"]

#: Characters of a quote shown in a problem line.
_SHOWN = 60


@dataclass(frozen=True)
class Problem:
    """One fault of a gold folder: the file it is in and what is wrong (with the fix)."""

    file: str
    message: str

    def line(self) -> str:
        """The problem as the one line ``gold check`` prints."""
        return f"{self.file}: {self.message}"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= _SHOWN else flat[:_SHOWN] + "…")


def evidence_of(briefing: Briefing) -> Iterator[tuple[str, Evidence]]:
    """Every evidence span of ``briefing`` with where it is (``people[2] 'Ann Lee'``)."""
    for field in ("summary", "implications", "quotes"):
        for i, item in enumerate(getattr(briefing, field)):
            yield from ((f"{field}[{i}] {_short(item.text)}", ev) for ev in item.evidence)
    for field in ("people", "organisations", "places"):
        for i, named in enumerate(getattr(briefing, field)):
            yield from ((f"{field}[{i}] {_short(named.name)}", ev) for ev in named.evidence)
    if (u := briefing.updates) is not None:  # a later version's update: its spans are checked as the rest
        for field in ("facts", "people", "organisations", "quotes", "changes"):
            for i, item in enumerate(getattr(u, field)):
                label = str(getattr(item, "text", None) or getattr(item, "name", None) or getattr(item, "quantity", ""))
                spans = [*getattr(item, "before", []), *item.evidence]
                yield from ((f"updates.{field}[{i}] {_short(label)}", ev) for ev in spans)
    report = briefing.grounding
    if report is not None:
        yield from (("event_date", ev) for ev in report.event_date)
        yield from (("location", ev) for ev in report.location)
        for country, spans in report.countries.items():
            yield from ((f"countries {_short(country)}", ev) for ev in spans)
        for i, issue in enumerate(report.dropped):
            if issue.closest is not None:
                yield f"grounding.dropped[{i}] {_short(issue.item)}", issue.closest


def _offset_problems(briefing: Briefing, texts: dict[str, str]) -> Iterator[str]:
    sources = {s.doc_id for s in briefing.sources}
    for where, ev in evidence_of(briefing):
        span = f"{where}: evidence {ev.doc_id} [{ev.start}:{ev.end}]"
        if ev.doc_id not in sources:
            yield f"{span} names a document that is not among its sources; fix its doc_id or add the source"
        elif ev.doc_id not in texts:
            yield (
                f"{span} cannot be checked: the file does not carry that source's text and sources.yaml names no "
                "article with that id; add the article to its sources.yaml entry"
            )
        elif not 0 <= ev.start < ev.end <= len(texts[ev.doc_id]):
            yield f"{span} is outside the source text ({len(texts[ev.doc_id])} characters); fix the offsets"
        elif (actual := texts[ev.doc_id][ev.start : ev.end]) != ev.quote:
            yield (
                f"{span} should quote {_short(ev.quote)} but the source text there is {_short(actual)}; fix the "
                "offsets (saving it from `summariser review --edit` writes them)"
            )


def _articles(name: str, sources: dict[str, list[Path]], shown: str) -> tuple[dict[str, str], list[str]]:
    """The texts of gold ``name``'s articles by doc id, and the problems of its ``sources.yaml`` entry."""
    if name not in sources:
        return {}, [
            f"{shown} has no entry for it; add `{name}: [article paths]` (relative to the gold folder's parent)"
        ]
    try:
        articles = load_sources([str(p) for p in sources[name]])
    except InputError as err:
        return {}, [f"its {shown} entry cannot be read: {err.message}"]
    return {a.id: a.text for a in articles}, []


def _check_file(path: Path, sources: dict[str, list[Path]], shown: str, allow_unreviewed: bool) -> list[str]:
    try:
        raw = read_briefing_bytes(path, what="the gold file", within=path.parent)
    except InputError as err:  # a FIFO, a device, a link out of the folder, over the size cap
        return [err.message]
    briefing, errors = parse_prediction(raw)
    texts, entry = _articles(path.stem, sources, shown)
    if briefing is None:
        return [f"not a valid briefing: {e}; fix it to follow the briefing contract" for e in errors] + entry
    problems = []
    if is_unreviewed(briefing) and not allow_unreviewed:
        problems.append(
            "an unreviewed draft (from `summariser gold init`); confirm it in `summariser review FILE --edit` and "
            "save it over this file, or pass --allow-unreviewed"
        )
    problems += entry
    if texts and set(texts) != {s.doc_id for s in briefing.sources}:
        problems.append(
            f"its {shown} articles read as doc ids {', '.join(sorted(texts))}, but its sources are "
            f"{', '.join(s.doc_id for s in briefing.sources)}: an article changed since the gold was made, or the "
            "entry names other files; fix the entry (or remake the gold from the articles as they are)"
        )
    texts.update({s.doc_id: s.text for s in briefing.sources if s.text is not None})
    problems += _offset_problems(briefing, texts)
    return problems


def check_gold(directory: Path, *, allow_unreviewed: bool = False) -> tuple[list[Problem], int]:
    """Every problem of the gold folder ``directory`` and the number of gold files checked.

    A missing folder is an `InputError`; everything else is a `Problem` (see the module docstring).
    """
    if not directory.is_dir():
        raise InputError(f"gold folder {directory} does not exist; pass the folder of gold NAME.json files")
    files = sorted(directory.glob("*.json"))
    shown = str(directory / SOURCES_FILE)
    problems = []
    if not files:
        problems.append(Problem(str(directory), "holds no NAME.json gold files; add them (`summariser gold init`)"))
    sources: dict[str, list[Path]] = {}
    if not (directory / SOURCES_FILE).exists():
        problems.append(Problem(shown, "is missing; add it, mapping each gold NAME to its article paths"))
    else:
        try:
            sources = read_sources_map(directory, required=True)
        except InputError as err:
            problems.append(Problem(shown, err.message))
    for path in files:
        problems += [Problem(str(path), p) for p in _check_file(path, sources, shown, allow_unreviewed)]
    names = {p.stem for p in files}
    problems += [
        Problem(shown, f"names {name}, but there is no {name}.json; remove the entry or add the gold file")
        for name in sorted(sources.keys() - names)
    ]
    return problems, len(files)
