"""Exact and near-duplicate copies of one story: found before any grouping decision, counted once.

An exact copy has the same content hash (`Article.id`, the SHA-256 of the cleaned text). A near
copy — the same wire story with another headline, a line added or a byline changed — shares most
of its word 5-shingles: each article keeps a bottom-k MinHash sketch of them
(`summariser.events.features.ArticleFeatures.sketch`), and two sketches estimate the shingles'
Jaccard similarity as the share of the k smallest hashes of their union that both hold. An
inverted index from hash value to the articles that hold it (`POSTINGS` most recent per value)
gives the candidates, so the cost of a new article does not grow with the stream. Only the `PREFIX`
smallest values of each sketch are indexed (prefix filtering): two sketches whose estimated Jaccard
reaches `NEAR_DUPLICATE` always share one of them (`PREFIX`), so no copy is missed, and the index
holds 26 entries an article, not 64 deques (4.5 GB at 100,000 articles). The sketches themselves
are kept in one growing array, 8 bytes a value, not tuples of Python ints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .features import SKETCH_SIZE

__all__ = ["NEAR_DUPLICATE", "POSTINGS", "PREFIX", "DuplicateIndex", "Match", "jaccard"]

#: Estimated shingle Jaccard from which an article is a near-duplicate copy of an earlier one.
NEAR_DUPLICATE = 0.6
#: Articles remembered per sketch value (the most recent): bounds the candidates of a new article.
POSTINGS = 16
#: The smallest values of a sketch that are indexed. Two sketches at estimated Jaccard >= `NEAR_DUPLICATE`
#: share at least ceil(0.6 k) of the k smallest values of their union, so each has at most
#: k - ceil(0.6 k) <= 25 values of its own below their smallest shared value: that value is among the
#: first 26 of both.
PREFIX = SKETCH_SIZE - math.ceil(NEAR_DUPLICATE * SKETCH_SIZE) + 1


def jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The shingle Jaccard similarity two bottom-k sketches estimate (1.0 for two empty texts)."""
    if not a and not b:
        return 1.0
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    shared = set(a) & set(b)
    return sum(1 for h in union if h in shared) / len(union)


@dataclass(frozen=True)
class Match:
    """An earlier article the new one copies: its position in the stream, and how much (1.0 = exact)."""

    article: int
    similarity: float
    exact: bool


@dataclass
class DuplicateIndex:
    """The articles seen so far, by content hash and by the smallest values of their sketches."""

    by_id: dict[str, int] = field(default_factory=dict)
    by_hash: dict[int, int | list[int]] = field(default_factory=dict)
    """Sketch value -> the article (or the `POSTINGS` latest articles) whose first `PREFIX` values hold it."""
    _sketches: NDArray[np.uint64] = field(default_factory=lambda: np.zeros((1024, SKETCH_SIZE), dtype=np.uint64))
    _lengths: NDArray[np.uint8] = field(default_factory=lambda: np.zeros(1024, dtype=np.uint8))

    def sketch(self, position: int) -> tuple[int, ...]:
        """The sketch of the article at ``position``."""
        return tuple(int(h) for h in self._sketches[position, : self._lengths[position]])

    def find(self, article_id: str, sketch: tuple[int, ...]) -> Match | None:
        """The earlier article this one copies (exactly, else the most similar above `NEAR_DUPLICATE`)."""
        if (first := self.by_id.get(article_id)) is not None:
            return Match(first, 1.0, True)
        hits: set[int] = set()
        for h in sketch[:PREFIX]:
            found = self.by_hash.get(h)
            if found is not None:
                hits.update(found if isinstance(found, list) else (found,))
        best: Match | None = None
        for earlier in sorted(hits):
            similarity = jaccard(sketch, self.sketch(earlier))
            if similarity >= NEAR_DUPLICATE and (best is None or similarity > best.similarity):
                best = Match(earlier, similarity, False)
        return best

    def add(self, position: int, article_id: str, sketch: tuple[int, ...]) -> None:
        """Remember the article at ``position`` of the stream (positions come in order, from 0)."""
        self.by_id.setdefault(article_id, position)
        if position >= len(self._lengths):
            grow = max(position + 1, 2 * len(self._lengths))
            self._sketches = np.resize(self._sketches, (grow, SKETCH_SIZE))
            self._lengths = np.resize(self._lengths, grow)
        self._sketches[position, : len(sketch)] = np.array(sketch, dtype=np.uint64)
        self._lengths[position] = len(sketch)
        for h in sketch[:PREFIX]:
            found = self.by_hash.get(h)
            if found is None:
                self.by_hash[h] = position
            elif isinstance(found, int):
                self.by_hash[h] = [found, position]
            else:
                found.append(position)
                if len(found) > POSTINGS:
                    del found[0]
