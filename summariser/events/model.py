"""The decision "does this article belong to that event?": a logistic model over the pair features.

`Decision` turns the pair features of an article and one candidate event
(`summariser.events.similarity.FEATURES`) into a probability, sigmoid(bias + Σ weight × feature);
the online assignment (`summariser.events.assign`) puts the article into the candidate with the
highest probability when it reaches ``threshold``, and founds a new event otherwise. The shipped
weights are `summariser.events.weights` (fit by ``bench/fit_grouping.py``); `DEFAULT_DECISION` is
that fit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from . import weights
from .similarity import FEATURES

__all__ = ["DEFAULT_DECISION", "Decision"]


@dataclass(frozen=True)
class Decision:
    """A logistic decision: weights per feature name (missing ones weigh 0), a bias and the joining threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(FEATURES))
        if unknown:
            raise ConfigError(f"unknown grouping feature {unknown[0]!r}; use one of {', '.join(FEATURES)}")
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"the grouping threshold must be between 0 and 1, not {self.threshold:g}")

    def probability(self, features: Mapping[str, float]) -> float:
        """sigmoid(bias + Σ weight × feature): how likely the article belongs to the event."""
        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


DEFAULT_DECISION = Decision(weights.WEIGHTS, weights.BIAS, weights.THRESHOLD)
