"""Optimal pairing of gold and predicted items, and precision, recall and F1 (`evaluation.scoring.pairing`)."""

from __future__ import annotations

import pytest

from summariser.evaluation.scoring.pairing import pair, prf
from summariser.evaluation.scoring.similarity import name_similarity


def test_pairing_is_optimal_not_greedy() -> None:
    table = {("a", "x"): 0.95, ("a", "y"): 0.85, ("b", "x"): 0.85, ("b", "y"): 0.1}
    result = pair(["a", "b"], ["x", "y"], lambda g, p: table[(g, p)], 0.8)
    # Greedy would take a–x (the best single pair) and leave b unpaired.
    assert {(p.gold, p.pred) for p in result.pairs} == {(0, 1), (1, 0)}
    assert result.missing == [] and result.extra == []


def test_pairs_under_the_threshold_do_not_count_and_items_pair_once() -> None:
    result = pair(["Scott Bessent", "Mark Carney"], ["Bessent", "Bessent", "Jim Chalmers"], name_similarity, 0.8)
    assert [(p.gold, p.pred) for p in result.pairs] == [(0, 0)]
    assert result.missing == [1] and result.extra == [1, 2]


def test_prf_conventions() -> None:
    assert prf(2, 4, 2) == (1.0, 0.5, pytest.approx(2 / 3))
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing to find, nothing invented
    assert prf(0, 0, 3)[2] == 0.0  # everything invented
    assert prf(0, 3, 0)[2] == 0.0  # everything missed
