"""The shipped weights of the grouping decision (`summariser.events.model.Decision`).

Placeholder until ``bench/fit_grouping.py`` writes the fit.
"""

from __future__ import annotations

__all__ = ["BIAS", "THRESHOLD", "WEIGHTS"]

WEIGHTS: dict[str, float] = {"tokens": 10.0, "person": 2.0, "place": 1.0}
BIAS = -4.0
THRESHOLD = 0.5
