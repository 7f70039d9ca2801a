"""How much a new article looks like an event so far: the event's running state and the pair features.

An `EventState` keeps what its articles share — per namespace the sum of their hashed rows (the
centroid, `summariser.events.vectors`; its `CENTROID_TERMS` heaviest terms, so that comparing with an
event costs the same however long its story grows), the token rows of its `RECENT` latest articles, the
numbers, years and dates they state, when they were published — and is updated in place as an
article joins. `pair_features` compares one `Item` (an article's features and rows) with one
event and returns the named numbers `FEATURES` that the decision (`summariser.events.model`)
weighs:

* ``tokens`` / ``stems`` — TF-IDF cosine with the centroid; ``tokens_max`` / ``tokens_mean`` — the
  best and the mean cosine with the recent articles (a story that moves on stays close to its
  latest reports); ``lead`` / ``lead_max`` — the same for the words of the headline and the first
  sentences (`summariser.events.features.LEAD_SENTENCES`), where who, what and where are said;
* ``person`` ``org`` ``place`` ``other`` — TF-IDF cosine of the names of each kind, and
  ``person_both`` … — whether both sides name any (so that 0 means "different names", not "none");
* ``numbers`` — the share of the article's quantities the event states too (``numbers_both`` as
  above); ``years`` — the share of its years the event states; ``years_conflict`` — both state
  years and none in common; ``dates`` — it states a full date the event states;
* ``size`` — log(1 + articles in the event, copies counted once);
* ``tokens_x_…`` — ``tokens`` times ``tokens``, a kind of name, ``numbers`` or ``years``: a name or a
  number in common says more when the words agree too (the decision is otherwise linear).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np

from .features import ENTITY_KINDS, ArticleFeatures
from .vectors import EMPTY, DocumentFrequencies, Sparse, cosine, hashed

__all__ = [
    "CENTROID_TERMS",
    "FEATURES",
    "NAMESPACES",
    "RECENT",
    "EventState",
    "Item",
    "make_item",
    "new_state",
    "pair_features",
]

#: The namespaces of hashed terms: words, stems and one per kind of name.
NAMESPACES = ("tok", "lead", "stem", *ENTITY_KINDS)
#: Latest articles of an event whose token rows are kept for ``tokens_max``.
RECENT = 8
#: Terms an event's centroid keeps per namespace: its heaviest. A story of hundreds of articles gathers
#: tens of thousands of distinct words, and every comparison with it would cost as many; what a
#: story is about is in its most repeated ones. An ECB+ dev event (at most ~50 articles) stays under it.
CENTROID_TERMS = 2000
#: The pair features, in the order the decision's weights are stored.
FEATURES = (
    "tokens",
    "tokens_max",
    "stems",
    *(f for kind in ENTITY_KINDS for f in (kind, f"{kind}_both")),
    "numbers",
    "numbers_both",
    "years",
    "years_conflict",
    "dates",
    "size",
    "tokens_mean",
    "lead",
    "lead_max",
    *(f"tokens_x_{name}" for name in ("tokens", *ENTITY_KINDS, "numbers", "years")),
)


@dataclass(frozen=True)
class Item:
    """One article ready to compare: its features and its hashed rows per namespace."""

    features: ArticleFeatures
    rows: dict[str, Sparse]


def make_item(features: ArticleFeatures) -> Item:
    """Hash ``features``' words, stems and names into rows (one `hashed` call)."""
    terms: dict[str, Counter[str]] = {
        "tok": features.tokens,
        "lead": features.lead,
        "stem": features.stems,
        **features.entities,
    }
    return Item(features, hashed(terms))


@dataclass
class EventState:
    """What an event's articles so far have in common (module docstring)."""

    number: int
    founder: int
    sums: dict[str, Sparse]
    members: list[int] = field(default_factory=list)
    unique: int = 0
    recent: deque[Sparse] = field(default_factory=lambda: deque(maxlen=RECENT))
    recent_leads: deque[Sparse] = field(default_factory=lambda: deque(maxlen=RECENT))
    numbers: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    dates: set[dt.date] = field(default_factory=set)
    last: int = 0
    latest: dt.datetime | None = None
    tails: dict[str, float] = field(default_factory=dict)
    """Per namespace, the squared weights the centroid has cut (`CENTROID_TERMS`)."""

    def similarity(self, row: Sparse, ns: str, df: DocumentFrequencies) -> float:
        """Cosine of an article's ``row`` with this event's centroid of namespace ``ns``."""
        return cosine(row, self.sums[ns], df, self.tails.get(ns, 0.0))

    def add(self, position: int, item: Item, *, copy: bool) -> None:
        """Add the article at stream ``position``; a copy of an earlier one is listed but not counted again."""
        self.members.append(position)
        self.last = position
        when = item.features.when
        if when is not None and (self.latest is None or when > self.latest):
            self.latest = when
        if copy:
            return
        self.unique += 1
        for ns in NAMESPACES:
            whole = self.sums[ns] + item.rows[ns]
            self.sums[ns] = whole.heaviest(CENTROID_TERMS)
            if self.sums[ns] is not whole:  # what is cut still weighs in the norm (`vectors.cosine`)
                cut = float(np.dot(whole.values, whole.values) - np.dot(self.sums[ns].values, self.sums[ns].values))
                self.tails[ns] = self.tails.get(ns, 0.0) + cut
        self.recent.append(item.rows["tok"])
        self.recent_leads.append(item.rows["lead"])
        self.numbers.update(item.features.numbers)
        self.years.update(item.features.years)
        self.dates.update(item.features.dates)


def new_state(number: int, position: int, item: Item) -> EventState:
    """An event founded by the article at ``position``."""
    state = EventState(number, position, dict.fromkeys(NAMESPACES, EMPTY))
    state.add(position, item, copy=False)
    return state


def _share(mine: frozenset[str] | frozenset[int], theirs: Counter[str] | Counter[int]) -> float:
    return sum(1 for x in mine if x in theirs) / len(mine) if mine else 0.0


def pair_features(item: Item, event: EventState, df: DocumentFrequencies) -> dict[str, float]:
    """The `FEATURES` of ``item`` against ``event`` under the IDF of the stream so far."""
    f = item.features
    near = [cosine(item.rows["tok"], row, df) for row in event.recent]
    out = {
        "tokens": event.similarity(item.rows["tok"], "tok", df),
        "tokens_max": max(near, default=0.0),
        "stems": event.similarity(item.rows["stem"], "stem", df),
    }
    for kind in ENTITY_KINDS:
        both = item.rows[kind].nnz > 0 and event.sums[kind].nnz > 0
        out[kind] = event.similarity(item.rows[kind], kind, df) if both else 0.0
        out[f"{kind}_both"] = float(both)
    out["numbers"] = _share(f.numbers, event.numbers)
    out["numbers_both"] = float(bool(f.numbers) and bool(event.numbers))
    out["years"] = _share(f.years, event.years)
    out["years_conflict"] = float(bool(f.years) and bool(event.years) and not out["years"])
    out["dates"] = float(any(d in event.dates for d in f.dates))
    out["size"] = math.log1p(event.unique)
    out["tokens_mean"] = sum(near) / len(near) if near else 0.0
    out["lead"] = event.similarity(item.rows["lead"], "lead", df)
    out["lead_max"] = max((cosine(item.rows["lead"], row, df) for row in event.recent_leads), default=0.0)
    for name in ("tokens", *ENTITY_KINDS, "numbers", "years"):
        out[f"tokens_x_{name}"] = out["tokens"] * out[name]
    return out
