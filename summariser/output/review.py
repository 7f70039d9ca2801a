"""The review page: one self-contained HTML file with the briefing beside its sources.

Every briefing item (headline, date, place, bullet, person, organisation, country, quote,
theme, implication) is linked to the source spans of its evidence. Source texts are cut
server-side at every evidence boundary into ``<span data-o="…" data-ev="…">`` segments
(``data-o``: the segment's character offset in ``sources[].text``), so highlighting needs no
offset arithmetic in JavaScript: clicking an item (or pressing Enter on it) marks its
segments ``active`` and scrolls the first one into view. Each item has a stable anchor, the
field and its index (``#people-3``, ``#event_date``, ``#dropped-0``), which eval's diff page
links to; opening the page at one selects that item. A later version's update opens the page
("What's new since …", `whats_new`), each new item linked to its spans in the new articles (a
changed number to its old span and its new one). Dropped and ungrounded items get their
own panel; evidence whose offsets do not fit its source text is listed as unlocatable rather
than highlighted in the wrong place. With `editing.EditPage` the page is also the gold
editor (`summariser.output.editing`). CSS and JS are inline: the file works offline.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import write_atomic
from ..schemas import Briefing, Evidence, MatchKind, best_match
from .editing import EditPage, asset, edit_context
from .whats_new import NOTHING_NEW_LINE, change_line, heading

__all__ = ["Item", "Segment", "render_review", "segments", "write_review"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Item:
    """One linkable briefing entry: its anchor, field and index, label, details, match kind and evidence ids."""

    id: str
    field: str
    index: int
    label: str
    detail: str = ""
    match: MatchKind = "none"
    ev_ids: list[str] = dataclasses.field(default_factory=list)
    docs: int = 0
    grounded: bool = True
    """Whether the item is one grounding looks for in the sources (themes and the headline are not)."""


@dataclass
class Segment:
    """A run of source text covered by the same set of evidence spans, from offset ``start``."""

    text: str
    ev_ids: list[str]
    start: int = 0


@dataclass
class SourceView:
    """One source article as drawn on the page."""

    doc_id: str
    title: str
    published: str
    segments: list[Segment]


@dataclass
class _Collector:
    """Gives every evidence span an id and files it under its source."""

    texts: dict[str, str]
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    unlocatable: list[tuple[str, Evidence]] = field(default_factory=list)
    count: int = 0

    def item(self, where: str, index: int, label: str, evidence: list[Evidence], detail: str = "") -> Item:
        """The item ``index`` of field ``where`` (its anchor: ``where-index``, or ``where`` for a single value)."""
        self.count += 1
        ids: list[str] = []
        for ev in evidence:
            text = self.texts.get(ev.doc_id)
            if text is None or not (0 <= ev.start < ev.end <= len(text)) or text[ev.start : ev.end] != ev.quote:
                self.unlocatable.append((label, ev))
                continue
            ev_id = f"ev{self.count}-{len(ids)}"
            ids.append(ev_id)
            self.spans[ev.doc_id].append((ev.start, ev.end, ev_id))
        anchor = where if index < 0 else f"{where}-{index}"
        match = best_match(evidence) if evidence else "none"
        return Item(anchor, where, index, label, detail, match, ids, len({e.doc_id for e in evidence}))

    def plain(self, where: str, index: int, label: str) -> Item:
        """An item that is not grounded in the sources (a theme, the headline): no evidence, no match badge."""
        item = self.item(where, index, label, [])
        item.grounded = False
        return item


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans that cover it (in ``spans`` order).

    One sweep over the sorted boundaries, keeping the spans open at each: O(n log n) in the
    spans plus the size of the page itself, so a briefing with thousands of evidence items
    costs thousands of steps, not millions (testing every span against every piece did).
    """
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    opens: dict[int, list[int]] = defaultdict(list)
    closes: dict[int, list[int]] = defaultdict(list)
    for index, (s, e, _) in enumerate(spans):
        if s < e:  # an empty span covers no piece
            opens[s].append(index)
            closes[e].append(index)
    open_now: set[int] = set()
    out = []
    for start, end in pairwise(cuts):
        open_now.difference_update(closes.get(start, ()))
        open_now.update(opens.get(start, ()))
        out.append(Segment(text[start:end], [spans[i][2] for i in sorted(open_now)], start))
    return out


def _sections(briefing: Briefing, col: _Collector, edit: bool) -> list[tuple[str, str, list[Item]]]:
    """``(title, field, items)`` of every section; in edit mode every section, even an empty one."""
    report = briefing.grounding
    facts = []
    if edit:
        facts.append(col.plain("headline", -1, f"Headline: {briefing.headline}"))
    if briefing.event_date or edit:
        date = briefing.event_date.isoformat() if briefing.event_date else "none"
        facts.append(col.item("event_date", -1, f"Date: {date}", report.event_date if report else []))
    if briefing.location or edit:
        facts.append(
            col.item("location", -1, f"Location: {briefing.location or 'none'}", report.location if report else [])
        )
    countries = report.countries if report else {}
    sections = [
        ("Facts", "facts", facts),
        ("Summary", "summary", [col.item("summary", i, p.text, p.evidence) for i, p in enumerate(briefing.summary)]),
        (
            "People",
            "people",
            [
                col.item("people", i, p.name, p.evidence, ", ".join(x for x in (p.role, p.affiliation) if x))
                for i, p in enumerate(briefing.people)
            ],
        ),
        (
            "Organisations",
            "organisations",
            [col.item("organisations", i, o.name, o.evidence) for i, o in enumerate(briefing.organisations)],
        ),
        ("Places", "places", [col.item("places", i, p.name, p.evidence) for i, p in enumerate(briefing.places)]),
        (
            "Countries",
            "countries",
            [col.item("countries", i, c, countries.get(c, [])) for i, c in enumerate(briefing.countries)],
        ),
        (
            "Quotes",
            "quotes",
            [
                col.item("quotes", i, f"“{q.text}”", q.evidence, q.speaker or "unattributed")
                for i, q in enumerate(briefing.quotes)
            ],
        ),
        ("Themes", "themes", [col.plain("themes", i, t) for i, t in enumerate(briefing.themes)]),
        (
            "Implications",
            "implications",
            [col.item("implications", i, p.text, p.evidence) for i, p in enumerate(briefing.implications)],
        ),
    ]
    return [s for s in sections if s[2] or edit]


def _updates(briefing: Briefing, col: _Collector) -> list[Item]:
    """The items of a later version's update ("What's new since …"), each linked to its spans in the new
    articles; a changed number to both its old and its new span."""
    u = briefing.updates
    if u is None:
        return []
    return [
        *(col.item("new-facts", i, f.text, f.evidence, "new fact") for i, f in enumerate(u.facts)),
        *(
            col.item("new-changes", i, change_line(c), [*c.before, *c.evidence], "changed")
            for i, c in enumerate(u.changes)
        ),
        *(
            col.item(
                "new-people", i, p.name, p.evidence, ", ".join(x for x in ("new person", p.role, p.affiliation) if x)
            )
            for i, p in enumerate(u.people)
        ),
        *(
            col.item("new-organisations", i, o.name, o.evidence, "new organisation")
            for i, o in enumerate(u.organisations)
        ),
        *(
            col.item("new-quotes", i, f"“{q.text}”", q.evidence, f"new quote: {q.speaker or 'unattributed'}")
            for i, q in enumerate(u.quotes)
        ),
    ]


def render_review(briefing: Briefing, edit: EditPage | None = None) -> str:
    """The review page of ``briefing`` as one self-contained HTML document; with ``edit``, its edit mode."""
    texts = {s.doc_id: s.text for s in briefing.sources if s.text is not None}
    col = _Collector(texts)
    report = briefing.grounding
    updates = _updates(briefing, col)
    sections = _sections(briefing, col, edit is not None)
    dropped = (
        [
            col.item("dropped", i, d.item, [d.closest] if d.closest else [], f"{d.field}: {d.reason}")
            for i, d in enumerate(report.dropped)
        ]
        if report
        else []
    )
    ungrounded = (
        [col.item("ungrounded", i, u.item, [], f"{u.field}: {u.reason}") for i, u in enumerate(report.ungrounded)]
        if report
        else []
    )
    sources = [
        SourceView(
            s.doc_id,
            s.title or s.path or "untitled",
            s.published.isoformat(sep=" ") if s.published else "",
            segments(s.text or "", col.spans.get(s.doc_id, [])),
        )
        for s in briefing.sources
    ]
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("review.html.j2").render(
        briefing=briefing,
        sections=sections,
        updates=updates,
        whats_new=heading(briefing.updates) if briefing.updates is not None else None,
        nothing_new=NOTHING_NEW_LINE,
        dropped=dropped,
        ungrounded=ungrounded,
        unlocatable=col.unlocatable,
        sources=sources,
        missing_text=[s.doc_id for s in briefing.sources if s.text is None],
        rate=report.rate if report else None,
        edit=edit_context(briefing, edit) if edit is not None else None,
        viewer=asset("review.js"),
    )


def write_review(briefing: Briefing, path: Path, edit: EditPage | None = None) -> None:
    """Write the review page of ``briefing`` (with ``edit``: its edit mode) to ``path`` atomically."""
    write_atomic(path, render_review(briefing, edit))
