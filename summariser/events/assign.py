"""Online assignment: each article, as it arrives, joins the best event so far or founds a new one.

`Grouper.add` takes one article's features and never revisits the past: a copy of an earlier
article (`summariser.events.duplicates`) joins that article's event, counted once; otherwise the
article is compared with a bounded set of candidate events — those that share its names or its
most telling words (an inverted index whose postings keep the `POSTINGS` most recent events per
term), plus the `RECENT_EVENTS` latest updated, at most `CANDIDATES` in all — so the cost of an
article does not grow with the stream. An event whose latest article is more than ``window``
apart from the new one's publication time (both known) is not a candidate. The decision
(`summariser.events.model`) gives each candidate a probability; the best one at or above the
threshold takes the article, else it founds an event. The same articles in the same order always
give the same events: candidates are ranked by (hits, latest update), ties by creation order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .duplicates import DuplicateIndex
from .features import ENTITY_KINDS, ArticleFeatures
from .model import DEFAULT_DECISION, Decision
from .similarity import EventState, Item, make_item, new_state, pair_features
from .vectors import DocumentFrequencies

__all__ = ["CANDIDATES", "INDEX_WORDS", "POSTINGS", "RECENT_EVENTS", "Candidate", "Grouper", "Placement"]

#: Most candidate events an article is compared with.
CANDIDATES = 24
#: The latest updated events, always candidates.
RECENT_EVENTS = 8
#: Events remembered per indexed term (the most recent).
POSTINGS = 32
#: The article's words with the highest TF-IDF that look up candidates (its names always do).
INDEX_WORDS = 20


@dataclass(frozen=True)
class Candidate:
    """One event an article was compared with: its number, the pair features and the probability."""

    event: int
    features: dict[str, float]
    probability: float


@dataclass(frozen=True)
class Placement:
    """Where an article went and why."""

    position: int
    event: int
    probability: float | None
    """The decision's probability for the event it joined; None when it founded one or is a copy."""
    copy_of: int | None = None
    """Stream position of the earlier article it copies (exactly or nearly)."""
    similarity: float | None = None
    """Estimated shingle Jaccard with that article (1.0 for an exact copy)."""
    best_other: Candidate | None = None
    """The most likely existing event when the article founded a new one."""
    chosen: Candidate | None = None
    compared: tuple[Candidate, ...] = ()
    """Every candidate compared, when the placement was forced (the fitting script's training pairs)."""


@dataclass
class Grouper:
    """The state of one online grouping (module docstring)."""

    decision: Decision = DEFAULT_DECISION
    window: dt.timedelta | None = dt.timedelta(days=14)
    events: list[EventState] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    df: DocumentFrequencies = field(default_factory=DocumentFrequencies)
    copies: DuplicateIndex = field(default_factory=DuplicateIndex)
    postings: dict[int, list[int]] = field(default_factory=dict)
    """Term bucket -> the last `POSTINGS` events that took it (a list, oldest first: a deque costs 600 bytes)."""
    touched: OrderedDict[int, None] = field(default_factory=OrderedDict)
    exhaustive: bool = False
    """Compare every event (within the window), not the indexed candidates: the reference the index is
    checked against (``bench/bench_events_scale.py``); its cost grows with the stream."""

    def _keys(self, item: Item) -> list[int]:
        """The hash buckets that look up candidates: every name, and the `INDEX_WORDS` most telling words."""
        keys = [int(k) for kind in ENTITY_KINDS for k in item.rows[kind].indices]
        row = item.rows["tok"]
        if row.nnz:
            weight = self.df.weighted(row)
            top = np.argsort(-weight, kind="stable")[:INDEX_WORDS]
            keys += [int(k) for k in row.indices[top]]
        return keys

    def _far(self, event: EventState, when: dt.datetime | None) -> bool:
        if self.window is None or when is None or event.latest is None:
            return False
        return abs(_utc(when) - _utc(event.latest)) > self.window

    def candidates(self, item: Item) -> list[Candidate]:
        """The candidate events of ``item`` with their pair features and probabilities, best first."""
        if self.exhaustive:
            return self._compared(item, range(len(self.events)))
        hits: Counter[int] = Counter(e for k in self._keys(item) for e in self.postings.get(k, ()))
        ranked = sorted(hits, key=lambda e: (-hits[e], -self.events[e].last, e))[:CANDIDATES]
        for e in reversed(self.touched):
            if len(ranked) >= CANDIDATES + RECENT_EVENTS:
                break
            if e not in ranked:
                ranked.append(e)
        return self._compared(item, ranked)

    def _compared(self, item: Item, events: Iterable[int]) -> list[Candidate]:
        out = []
        for e in events:
            event = self.events[e]
            if self._far(event, item.features.when):
                continue
            features = pair_features(item, event, self.df)
            out.append(Candidate(e, features, self.decision.probability(features)))
        return sorted(out, key=lambda c: (-c.probability, c.event))

    def _touch(self, event: int, item: Item) -> None:
        self.touched.pop(event, None)
        self.touched[event] = None
        while len(self.touched) > RECENT_EVENTS:
            self.touched.popitem(last=False)
        for k in self._keys(item):
            found = self.postings.setdefault(k, [])
            if event not in found:
                found.append(event)
                if len(found) > POSTINGS:
                    del found[0]

    def add(self, features: ArticleFeatures, *, force: int | None = None) -> Placement:
        """Place the next article of the stream; ``force`` (an event number, or -1 for a new one) overrides
        the decision — for fitting the decision on gold groupings (``bench/fit_grouping.py``)."""
        position = len(self.placements)
        item = make_item(features)
        self.df.add(item.rows)
        match = self.copies.find(features.id, features.sketch) if force is None else None
        self.copies.add(position, features.id, features.sketch)
        if match is not None:
            event = self.placements[match.article].event
            self.events[event].add(position, item, copy=True)
            placement = Placement(position, event, None, match.article, match.similarity)
        else:
            found = self.candidates(item)
            best = found[0] if found else None
            if force is not None and force >= 0:
                placement = Placement(position, force, None, compared=tuple(found))
                self.events[force].add(position, item, copy=False)
            elif force is None and best is not None and best.probability >= self.decision.threshold:
                placement = Placement(position, best.event, best.probability, chosen=best)
                self.events[best.event].add(position, item, copy=False)
            else:
                compared = tuple(found) if force is not None else ()
                placement = Placement(position, len(self.events), None, best_other=best, compared=compared)
                self.events.append(new_state(len(self.events), position, item))
        self._touch(placement.event, item)
        self.placements.append(placement)
        return placement


def _utc(when: dt.datetime) -> dt.datetime:
    """``when`` as a naive UTC time (a naive time is taken as UTC already)."""
    offset = when.utcoffset()
    return when.replace(tzinfo=None) - offset if offset is not None else when
