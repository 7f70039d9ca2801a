"""Exact and near-duplicate copies of one story: found before any grouping decision, counted once.

An exact copy has the same content hash (`Article.id`, the SHA-256 of the cleaned text). A near
copy — the same wire story with another headline, a line added or a byline changed — shares most
of its word 5-shingles: each article keeps a bottom-k MinHash sketch of them
(`summariser.events.features.ArticleFeatures.sketch`), and two sketches estimate the shingles'
Jaccard similarity as the share of the k smallest hashes of their union that both hold. An
inverted index from hash value to the articles that hold it (`POSTINGS` most recent per value)
gives the candidates, so the cost of a new article does not grow with the stream.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from .features import SKETCH_SIZE

__all__ = ["NEAR_DUPLICATE", "POSTINGS", "DuplicateIndex", "Match", "jaccard"]

#: Estimated shingle Jaccard from which an article is a near-duplicate copy of an earlier one.
NEAR_DUPLICATE = 0.6
#: Articles remembered per sketch value (the most recent): bounds the candidates of a new article.
POSTINGS = 16


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
    """The articles seen so far, by content hash and by sketch value."""

    by_id: dict[str, int] = field(default_factory=dict)
    by_hash: dict[int, deque[int]] = field(default_factory=dict)
    sketches: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def find(self, article_id: str, sketch: tuple[int, ...]) -> Match | None:
        """The earlier article this one copies (exactly, else the most similar above `NEAR_DUPLICATE`)."""
        if (first := self.by_id.get(article_id)) is not None:
            return Match(first, 1.0, True)
        hits: Counter[int] = Counter(a for h in sketch for a in self.by_hash.get(h, ()))
        need = max(1, int(NEAR_DUPLICATE * len(sketch) / 2))  # fewer shared values cannot reach the bar
        best: Match | None = None
        for earlier, count in sorted(hits.items()):
            if count < need:
                continue
            similarity = jaccard(sketch, self.sketches[earlier])
            if similarity >= NEAR_DUPLICATE and (best is None or similarity > best.similarity):
                best = Match(earlier, similarity, False)
        return best

    def add(self, position: int, article_id: str, sketch: tuple[int, ...]) -> None:
        """Remember the article at ``position`` of the stream."""
        self.by_id.setdefault(article_id, position)
        self.sketches[position] = sketch
        for h in sketch:
            self.by_hash.setdefault(h, deque(maxlen=POSTINGS)).append(position)
