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
    "tokens": 0.815779,
    "tokens_max": 5.044231,
    "stems": -1.352917,
    "person": 7.688232,
    "person_both": -1.749767,
    "org": 3.129139,
    "org_both": 0.046458,
    "place": 3.376651,
    "place_both": -0.600205,
    "other": 1.346254,
    "other_both": 0.273649,
    "numbers": 0.713366,
    "numbers_both": -1.424553,
    "years": 1.90766,
    "years_conflict": -0.564141,
    "dates": 0.830515,
    "size": -1.032793,
    "tokens_mean": 4.175153,
    "lead": 4.834271,
    "lead_max": 5.136777,
    "tokens_x_tokens": -7.90366,
    "tokens_x_person": -2.320499,
    "tokens_x_org": -2.455185,
    "tokens_x_place": 0.558067,
    "tokens_x_other": -4.30538,
    "tokens_x_numbers": 4.225402,
    "tokens_x_years": 4.589534,
}
BIAS = -4.116428
THRESHOLD = 0.2
