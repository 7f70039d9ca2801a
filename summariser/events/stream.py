"""`EventStream`: articles in one at a time, events out — the incremental form of `summariser.events.api.group`.

``stream.add(article)`` reads the article (`summariser.events.features`), places it
(`summariser.events.assign.Grouper`: a copy joins its original, else the best candidate event
or a new one) and returns the `Member` it became; ``stream.grouping()`` describes every event so
far (`summariser.events.describe`). Adding an article costs the same however long the stream is;
describing the events costs time in proportion to the articles seen. A later article never moves
an earlier one, so an event's id (``ev-`` + its founder's content hash) and its members so far
hold as the stream grows — what a caller that keeps events in step (a folder of briefings per
event, a story's updates) can rely on.
"""

from __future__ import annotations

import datetime as dt

from ..schemas import Article
from .assign import Grouper, Placement
from .describe import key_names, label, reason
from .features import ArticleFeatures, article_day, article_features
from .model import DEFAULT_DECISION, Decision
from .results import Event, Grouping, Member
from .similarity import make_item

__all__ = ["DEFAULT_WINDOW", "EventStream"]

#: How far apart in publication time an article and an event's latest article may be (both dated).
DEFAULT_WINDOW = dt.timedelta(days=14)


class EventStream:
    """The online grouping of a stream of articles (module docstring)."""

    def __init__(self, decision: Decision = DEFAULT_DECISION, window: dt.timedelta | None = DEFAULT_WINDOW) -> None:
        self.decision = decision
        self._grouper = Grouper(decision=decision, window=window)
        self._articles: list[Article] = []
        self._names: list[str] = []
        self._features: list[ArticleFeatures] = []
        self._event_ids: list[str] = []
        self._numbers: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def add(
        self,
        article: Article,
        name: str | None = None,
        *,
        event: str | None = None,
        features: ArticleFeatures | None = None,
    ) -> Member:
        """Place ``article`` (named ``name`` in the results: its path as given) and return its `Member`.

        ``event`` places it in that event (founded, with that id, if there is none yet) instead of
        deciding: a caller that keeps a grouping replays its past, and an analyst's corrections, so.
        ``features`` are the article's own, read before (`summariser.events.stored`); default: read now.
        """
        features = article_features(article) if features is None else features
        force = None if event is None else self._numbers.get(event, -1)
        placement = self._grouper.add(features, force=force)
        self._articles.append(article)
        self._names.append(name or article.path or f"text:{article.id}")
        self._features.append(features)
        if placement.event == len(self._event_ids):
            new = event or f"ev-{article.id[:12]}"
            if new in self._numbers:  # a founder seen before (removed, then added again): a fresh id
                new = f"{new}-{len(self._event_ids)}"
            self._numbers[new] = len(self._event_ids)
            self._event_ids.append(new)
        return self._member(placement)

    def _member(self, placement: Placement) -> Member:
        article = self._articles[placement.position]
        score = placement.similarity if placement.copy_of is not None else placement.probability
        return Member(
            article=self._names[placement.position],
            id=article.id,
            title=article.title,
            published=article.published,
            position=placement.position,
            score=None if score is None else round(score, 4),
            reason=reason(placement, self.decision, self._names, self._event_ids),
            copy_of=None if placement.copy_of is None else self._names[placement.copy_of],
        )

    def event_of(self, position: int) -> str:
        """The id of the event the article at stream ``position`` is in."""
        return self._event_ids[self._grouper.placements[position].event]

    def grouping(self) -> Grouping:
        """Every event so far, in the order they were founded."""
        return Grouping(events=[self._event(number) for number in range(len(self._event_ids))])

    def _event(self, number: int) -> Event:
        state = self._grouper.events[number]
        placements = [self._grouper.placements[p] for p in state.members]
        originals = [p.position for p in placements if p.copy_of is None]
        features = [self._features[p] for p in originals]
        df = self._grouper.df
        rows = {p: make_item(self._features[p]).rows["tok"] for p in originals}
        # the label is a headline where one is known: the most central article with one, else the most central
        central = max(
            originals, key=lambda p: (self._articles[p].title is not None, state.similarity(rows[p], "tok", df), -p)
        )
        days = [d for d in (article_day(self._articles[p]) for p in state.members) if d is not None]
        return Event(
            id=self._event_ids[number],
            label=label(self._articles[central]),
            articles=[self._names[p] for p in state.members],
            size=state.unique,
            start=min(days, default=None),
            end=max(days, default=None),
            people=key_names(features, "person"),
            organisations=key_names(features, "org"),
            places=key_names(features, "place"),
            members=[self._member(p) for p in placements],
        )
