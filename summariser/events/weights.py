"""The shipped weights of the grouping decision (`summariser.events.model.Decision`).

Written by ``bench/fit_grouping.py --write``: a logistic regression (scikit-learn, L2, C=0.1, features
standardised for the fit and mapped back) over the pair features of gold-placed streams of the
462 ECB+ dev documents (20 topics, 3 shuffled orders); the threshold is the one of
0.2, 0.3, 0.4, 0.5 that streams those documents best. Its cross-validated score
(leave-topics-out, each document placed by a model that never saw its topic) is in
``bench/results/grouping_variants.md``.
"""

from __future__ import annotations

__all__ = ["BIAS", "THRESHOLD", "WEIGHTS"]

WEIGHTS: dict[str, float] = {
    "tokens": 1.711811,
    "tokens_max": 4.93245,
    "stems": 0.217581,
    "person": 8.439695,
    "person_both": -1.384907,
    "org": 2.619317,
    "org_both": -0.062717,
    "place": 3.589755,
    "place_both": -0.652626,
    "other": 1.098609,
    "other_both": 0.284546,
    "numbers": 0.768479,
    "numbers_both": -1.69045,
    "years": 1.874472,
    "years_conflict": -0.532617,
    "dates": 0.795495,
    "size": -1.12687,
    "tokens_mean": 3.238896,
    "lead": 3.653903,
    "lead_max": 5.009735,
    "tokens_x_tokens": -7.644994,
    "tokens_x_person": -4.259983,
    "tokens_x_org": -1.07505,
    "tokens_x_place": 1.439476,
    "tokens_x_other": -2.709703,
    "tokens_x_numbers": 3.26332,
    "tokens_x_years": 5.16932,
}
BIAS = -4.04959
THRESHOLD = 0.2
