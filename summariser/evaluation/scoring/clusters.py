"""Scoring a grouping against gold groups: B-cubed and pairwise precision, recall and F1.

Both take two mappings from item to group label (any hashable labels; the two sides' labels need
not match) over the same items.

* **B-cubed** (Bagga & Baldwin 1998): per item, precision is the share of its predicted group that
  shares its gold group, recall the share of its gold group that shares its predicted group; both
  averaged over items, F1 of the two averages.
* **Pairwise**: over all unordered pairs of items, precision is the share of pairs put together
  that gold puts together, recall the share of gold's pairs put together. With no predicted pairs
  (all singletons) precision is 1.0; with no gold pairs recall is 1.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["ClusterScores", "Scores", "bcubed", "pairwise", "score_clusters"]


@dataclass(frozen=True)
class Scores:
    """Precision, recall and their F1."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0.0 when both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class ClusterScores:
    """B-cubed and pairwise scores of one grouping, with its number of groups and gold's."""

    bcubed: Scores
    pairwise: Scores
    groups: int
    gold_groups: int


def _check(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> None:
    if set(predicted) != set(gold):
        missing = len(set(gold) - set(predicted))
        extra = len(set(predicted) - set(gold))
        raise ValueError(f"the grouping and the gold must cover the same items ({missing} missing, {extra} extra)")


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """B-cubed precision and recall of ``predicted`` against ``gold`` (module docstring)."""
    _check(predicted, gold)
    if not gold:
        return Scores(1.0, 1.0)
    both = Counter((predicted[i], gold[i]) for i in gold)
    sizes_p, sizes_g = Counter(predicted.values()), Counter(gold.values())
    precision = sum(n * n / sizes_p[p] for (p, _), n in both.items()) / len(gold)
    recall = sum(n * n / sizes_g[g] for (_, g), n in both.items()) / len(gold)
    return Scores(precision, recall)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """Pairwise precision and recall of ``predicted`` against ``gold`` (module docstring)."""
    _check(predicted, gold)
    together = sum(_pairs(n) for n in Counter((predicted[i], gold[i]) for i in gold).values())
    put = sum(_pairs(n) for n in Counter(predicted.values()).values())
    wanted = sum(_pairs(n) for n in Counter(gold.values()).values())
    return Scores(together / put if put else 1.0, together / wanted if wanted else 1.0)


def score_clusters(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> ClusterScores:
    """B-cubed and pairwise scores, and the number of groups on each side."""
    return ClusterScores(
        bcubed(predicted, gold),
        pairwise(predicted, gold),
        len(set(predicted.values())),
        len(set(gold.values())),
    )
