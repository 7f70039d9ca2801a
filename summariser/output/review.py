"""The review page: one self-contained HTML file with the briefing beside its sources.

Every briefing item (bullet, person, organisation, country, quote, implication, date,
place) is linked to the source spans of its evidence. Source texts are cut server-side at
every evidence boundary into ``<span data-ev="…">`` segments, so the page needs no offset
arithmetic in JavaScript: clicking an item (or pressing Enter on it) marks its segments
``active`` and scrolls the first one into view. Dropped and ungrounded items get their own
panel; evidence whose offsets do not fit its source text is listed as unlocatable rather
than highlighted in the wrong place. CSS and JS are inline: the file works offline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import write_atomic
from ..schemas import Briefing, Evidence, MatchKind, best_match

__all__ = ["render_review", "write_review"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Item:
    """One linkable briefing entry: its label, details, match kind and evidence ids."""

    id: str
    label: str
    detail: str = ""
    match: MatchKind = "none"
    ev_ids: list[str] = field(default_factory=list)
    docs: int = 0


@dataclass
class Segment:
    """A run of source text covered by the same set of evidence spans."""

    text: str
    ev_ids: list[str]


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

    def item(self, label: str, evidence: list[Evidence], detail: str = "") -> Item:
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
        match = best_match(evidence) if evidence else "none"
        return Item(f"it{self.count}", label, detail, match, ids, len({e.doc_id for e in evidence}))


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
        out.append(Segment(text[start:end], [spans[i][2] for i in sorted(open_now)]))
    return out


def render_review(briefing: Briefing) -> str:
    """The review page of ``briefing`` as one self-contained HTML document."""
    texts = {s.doc_id: s.text for s in briefing.sources if s.text is not None}
    col = _Collector(texts)
    sections: list[tuple[str, list[Item]]] = []
    report = briefing.grounding
    facts = []
    if briefing.event_date:
        facts.append(col.item(f"Date: {briefing.event_date.isoformat()}", report.event_date if report else []))
    if briefing.location:
        facts.append(col.item(f"Location: {briefing.location}", report.location if report else []))
    sections.append(("Facts", facts))
    sections.append(("Summary", [col.item(p.text, p.evidence) for p in briefing.summary]))
    sections.append(
        (
            "People",
            [col.item(p.name, p.evidence, ", ".join(x for x in (p.role, p.affiliation) if x)) for p in briefing.people],
        )
    )
    sections.append(("Organisations", [col.item(o.name, o.evidence) for o in briefing.organisations]))
    countries = report.countries if report else {}
    sections.append(("Countries", [col.item(c, countries.get(c, [])) for c in briefing.countries]))
    sections.append(
        ("Quotes", [col.item(f"“{q.text}”", q.evidence, q.speaker or "unattributed") for q in briefing.quotes])
    )
    sections.append(("Implications", [col.item(i.text, i.evidence) for i in briefing.implications]))
    dropped = (
        [col.item(d.item, [d.closest] if d.closest else [], f"{d.field}: {d.reason}") for d in report.dropped]
        if report
        else []
    )
    ungrounded = [col.item(u.item, [], f"{u.field}: {u.reason}") for u in report.ungrounded] if report else []
    sources = [
        SourceView(
            s.doc_id,
            s.title or "untitled",
            s.published.isoformat(sep=" ") if s.published else "",
            segments(s.text or "", col.spans.get(s.doc_id, [])),
        )
        for s in briefing.sources
    ]
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("review.html.j2").render(
        briefing=briefing,
        sections=[(name, items) for name, items in sections if items],
        dropped=dropped,
        ungrounded=ungrounded,
        unlocatable=col.unlocatable,
        sources=sources,
        missing_text=[s.doc_id for s in briefing.sources if s.text is None],
        rate=report.rate if report else None,
    )


def write_review(briefing: Briefing, path: Path) -> None:
    """Write the review page of ``briefing`` to ``path`` atomically."""
    write_atomic(path, render_review(briefing))
