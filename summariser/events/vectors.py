"""Sparse TF-IDF for a stream: hashed term vectors and document frequencies counted as articles arrive.

Grouping is online, so the inverse document frequencies may only come from the articles seen so
far, never from the future. Every term of an article is hashed (scikit-learn's `FeatureHasher`,
`N_FEATURES` buckets, one namespace per kind of term: ``tok|``, ``stem|``, ``person|`` …) into
a `Sparse` row weighted 1 + log(count) and scaled to unit length; `DocumentFrequencies` counts, per bucket, the articles
seen with it — a fixed-size array, so memory does not grow with the stream — and gives the
smoothed IDF, log((n + 1) / (df + 1)) + 1, that `cosine` applies to both sides at comparison
time (an event's centroid is the sum of its articles' unit rows, so a long report does not outweigh
three short ones; weighted when compared; a row's
weights and norm are computed once per placement, as the IDF only changes when an article is counted).
A row is a pair of numpy arrays (sorted bucket numbers, weights): comparing two costs a few
vectorised operations, whatever the size of the hash space.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.feature_extraction import FeatureHasher

__all__ = ["EMPTY", "MEMO_ROWS", "N_FEATURES", "DocumentFrequencies", "Sparse", "cosine", "hashed"]

#: Hash buckets shared by every namespace (2**20: collisions are rare for a news vocabulary).
N_FEATURES = 2**20

#: Rows whose TF-IDF weights are remembered between two counted articles (one placement compares
#: an article with a bounded set of candidate events; describing events compares many more).
MEMO_ROWS = 4096

_HASHER = FeatureHasher(n_features=N_FEATURES, input_type="dict", alternate_sign=False)


@dataclass(frozen=True)
class Sparse:
    """A sparse row: sorted, distinct bucket numbers and their weights."""

    indices: NDArray[np.int64]
    values: NDArray[np.float64]

    @property
    def nnz(self) -> int:
        """How many buckets are non-zero."""
        return len(self.indices)

    def __add__(self, other: Sparse) -> Sparse:
        if not other.nnz:
            return self
        if not self.nnz:
            return other
        joined, where = np.unique(np.concatenate([self.indices, other.indices]), return_inverse=True)
        values = np.bincount(where, weights=np.concatenate([self.values, other.values]), minlength=len(joined))
        return Sparse(joined.astype(np.int64), values.astype(np.float64))

    def heaviest(self, k: int) -> Sparse:
        """This row with only its ``k`` largest weights (ties: the lower bucket first), or itself if no larger."""
        if self.nnz <= k:
            return self
        keep = np.sort(np.lexsort((self.indices, -self.values))[:k])
        return Sparse(self.indices[keep], self.values[keep])


EMPTY = Sparse(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def hashed(terms: Mapping[str, Mapping[str, int]]) -> dict[str, Sparse]:
    """Namespace → the row of its terms, each weighted 1 + log(count), the row scaled to unit length (so that
    every article weighs the same in an event's centroid, however long it is); one hashing call for all namespaces."""
    names = list(terms)
    rows = [{f"{ns}|{term}": 1.0 + math.log(count) for term, count in terms[ns].items() if count > 0} for ns in names]
    matrix = csr_matrix(_HASHER.transform(rows))
    matrix.sum_duplicates()
    matrix.sort_indices()
    out = {}
    for i, ns in enumerate(names):
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        values = matrix.data[lo:hi].astype(np.float64)
        norm = math.sqrt(float(np.dot(values, values)))
        out[ns] = Sparse(matrix.indices[lo:hi].astype(np.int64), values / norm if norm else values)
    return out


class DocumentFrequencies:
    """How many articles seen so far have each hash bucket, and the IDF that follows."""

    def __init__(self) -> None:
        self.counts: NDArray[np.int32] = np.zeros(N_FEATURES, dtype=np.int32)
        self.articles = 0
        self._memo: dict[int, tuple[Sparse, NDArray[np.float64], float]] = {}

    def weighted_norm(self, row: Sparse) -> tuple[NDArray[np.float64], float]:
        """``row``'s TF-IDF weights and their norm, remembered until the next article is counted."""
        hit = self._memo.get(id(row))
        if hit is not None and hit[0] is row:
            return hit[1], hit[2]
        weights = self.weighted(row)
        norm = math.sqrt(float(np.dot(weights, weights)))
        if len(self._memo) >= MEMO_ROWS:
            self._memo.clear()
        self._memo[id(row)] = (row, weights, norm)
        return weights, norm

    def add(self, rows: Mapping[str, Sparse]) -> None:
        """Count one more article, whose namespaces' rows are ``rows``."""
        self.articles += 1
        self._memo.clear()
        for row in rows.values():
            self.counts[row.indices] += 1

    def idf(self, indices: NDArray[np.int64]) -> NDArray[np.float64]:
        """Smoothed IDF of the buckets ``indices``: log((n + 1) / (df + 1)) + 1."""
        idf: NDArray[np.float64] = np.log((self.articles + 1.0) / (self.counts[indices] + 1.0)) + 1.0
        return idf

    def rare_idf(self) -> float:
        """The IDF of a term one article so far has had."""
        return math.log((self.articles + 1.0) / 2.0) + 1.0

    def weighted(self, row: Sparse) -> NDArray[np.float64]:
        """The TF-IDF weights of ``row``'s buckets."""
        return row.values * self.idf(row.indices)


def cosine(a: Sparse, b: Sparse, df: DocumentFrequencies, b_tail: float = 0.0) -> float:
    """Cosine of the TF-IDF forms of ``a`` and ``b`` under the IDF of ``df`` (0 when either is empty).

    ``b_tail`` is the sum of the squared weights ``b`` has dropped (`Sparse.heaviest`): rare terms, each
    weighed at the IDF of a term seen once, so that the norm is nearly the uncut row's."""
    if not a.nnz or not b.nnz:
        return 0.0
    (wa, na), (wb, nb) = df.weighted_norm(a), df.weighted_norm(b)
    if b_tail:
        nb = math.sqrt(nb * nb + b_tail * df.rare_idf() ** 2)
    if a.nnz > b.nnz:
        a, b, wa, wb = b, a, wb, wa
    at = np.minimum(np.searchsorted(b.indices, a.indices), b.nnz - 1)
    hit = b.indices[at] == a.indices
    dot = float(np.dot(wa[hit], wb[at[hit]]))
    if dot == 0.0:
        return 0.0
    return dot / (na * nb)
