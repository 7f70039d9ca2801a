"""One-to-one pairing of gold and predicted list items, and precision / recall / F1.

Items are paired by optimal assignment (the Hungarian method,
`scipy.optimize.linear_sum_assignment`) on a similarity matrix: the pairing that maximises
the total similarity of the pairs that count. A pair counts only when its similarity reaches
the threshold; similarities under it are zeroed *before* the assignment, so a good pair is
never traded for two that would not count. Each item pairs at most once, so a duplicate
prediction ("Supply Chain" beside "supply chain resilience") is an extra item.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Pair", "Pairing", "pair", "prf"]


@dataclass(frozen=True)
class Pair:
    """Gold item ``gold`` paired with predicted item ``pred`` (indices) at ``similarity``."""

    gold: int
    pred: int
    similarity: float


@dataclass(frozen=True)
class Pairing:
    """The outcome of pairing: counted pairs, unpaired gold items (missing), unpaired predictions (extra)."""

    pairs: list[Pair] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)


def pair(
    gold: Sequence[str], pred: Sequence[str], similarity: Callable[[str, str], float], threshold: float
) -> Pairing:
    """Pair ``gold`` with ``pred`` one-to-one, maximising the similarity of pairs at or above ``threshold``."""
    if not gold or not pred:
        return Pairing(missing=list(range(len(gold))), extra=list(range(len(pred))))
    from scipy.optimize import linear_sum_assignment  # slow to import; only needed here

    matrix = np.array([[similarity(g, p) for p in pred] for g in gold], dtype=float)
    matrix[matrix < threshold] = 0.0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    pairs = [Pair(int(r), int(c), round(float(matrix[r, c]), 4)) for r, c in zip(rows, cols, strict=True)]
    pairs = [p for p in pairs if p.similarity >= threshold and p.similarity > 0]
    paired_gold, paired_pred = {p.gold for p in pairs}, {p.pred for p in pairs}
    return Pairing(
        pairs=sorted(pairs, key=lambda p: p.gold),
        missing=[i for i in range(len(gold)) if i not in paired_gold],
        extra=[j for j in range(len(pred)) if j not in paired_pred],
    )


def prf(matched: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts.

    An empty prediction has precision 1 and an empty gold list recall 1 (nothing was wrong,
    nothing was missed), so both empty scores 1 and a prediction where gold has nothing scores F1 0.
    """
    precision = matched / n_pred if n_pred else 1.0
    recall = matched / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
