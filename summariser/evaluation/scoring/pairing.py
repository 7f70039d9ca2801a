"""One-to-one pairing of gold and predicted list items, and precision / recall / F1.

Items are paired by optimal assignment (the Hungarian method,
`scipy.optimize.linear_sum_assignment`) on a similarity matrix: the pairing that maximises
the total similarity of the pairs that count. A pair counts only when its similarity reaches
the threshold; similarities under it are zeroed *before* the assignment, so a good pair is
never traded for two that would not count. Each item pairs at most once, so a duplicate
prediction ("Supply Chain" beside "supply chain resilience") is an extra item.

The matrix costs gold × predicted similarities and the assignment cubic time, so only the
first `MAX_PAIRED_ITEMS` items of each list are paired (far more than any briefing lists:
the gold lists have at most a few dozen); the items beyond count as missing or extra and
`Pairing.over_limit` says how many there were, for the report to name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MAX_PAIRED_ITEMS", "Pair", "Pairing", "pair", "prf"]

#: Items of each list that `pair` pairs; the ones beyond count as missing (gold) or extra (predicted).
MAX_PAIRED_ITEMS = 200


@dataclass(frozen=True)
class Pair:
    """Gold item ``gold`` paired with predicted item ``pred`` (indices) at ``similarity``."""

    gold: int
    pred: int
    similarity: float


@dataclass(frozen=True)
class Pairing:
    """The outcome of pairing: counted pairs, unpaired gold items (missing), unpaired predictions (extra).

    ``over_limit``: items of both lists beyond `MAX_PAIRED_ITEMS`, left unpaired (0 for any real briefing).
    """

    pairs: list[Pair] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    over_limit: int = 0


def pair(
    gold: Sequence[str], pred: Sequence[str], similarity: Callable[[str, str], float], threshold: float
) -> Pairing:
    """Pair ``gold`` with ``pred`` one-to-one, maximising the similarity of pairs at or above ``threshold``.

    Only the first `MAX_PAIRED_ITEMS` of each list take part (see the module docstring).
    """
    over = max(0, len(gold) - MAX_PAIRED_ITEMS) + max(0, len(pred) - MAX_PAIRED_ITEMS)
    n_gold, n_pred = len(gold), len(pred)
    gold, pred = gold[:MAX_PAIRED_ITEMS], pred[:MAX_PAIRED_ITEMS]
    if not gold or not pred:
        return Pairing(missing=list(range(n_gold)), extra=list(range(n_pred)), over_limit=over)
    from scipy.optimize import linear_sum_assignment  # slow to import; only needed here

    matrix = np.array([[similarity(g, p) for p in pred] for g in gold], dtype=float)
    matrix[matrix < threshold] = 0.0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    pairs = [Pair(int(r), int(c), round(float(matrix[r, c]), 4)) for r, c in zip(rows, cols, strict=True)]
    pairs = [p for p in pairs if p.similarity >= threshold and p.similarity > 0]
    paired_gold, paired_pred = {p.gold for p in pairs}, {p.pred for p in pairs}
    return Pairing(
        pairs=sorted(pairs, key=lambda p: p.gold),
        missing=[i for i in range(n_gold) if i not in paired_gold],
        extra=[j for j in range(n_pred) if j not in paired_pred],
        over_limit=over,
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
