"""B-cubed and pairwise scores of a grouping, on cases small enough to check by hand."""

from __future__ import annotations

import pytest

from summariser.evaluation.scoring.clusters import bcubed, pairwise, score_clusters


def test_a_perfect_grouping_scores_one_whatever_the_labels() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    scores = score_clusters({"a": "x", "b": "x", "c": "y"}, gold)
    assert (scores.bcubed.precision, scores.bcubed.recall, scores.bcubed.f1) == (1.0, 1.0, 1.0)
    assert (scores.pairwise.precision, scores.pairwise.recall) == (1.0, 1.0)
    assert (scores.groups, scores.gold_groups) == (2, 2)


def test_everything_in_one_group() -> None:
    # gold {a,b} {c,d}; all four together: each item's group has 4 items, 2 of its own event.
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    b3 = bcubed(dict.fromkeys(gold, 0), gold)
    assert b3.precision == pytest.approx(0.5) and b3.recall == 1.0
    assert b3.f1 == pytest.approx(2 / 3)
    pw = pairwise(dict.fromkeys(gold, 0), gold)
    assert pw.precision == pytest.approx(2 / 6) and pw.recall == 1.0  # 6 pairs put together, 2 right


def test_every_item_alone() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    b3 = bcubed({k: k for k in gold}, gold)
    assert b3.precision == 1.0
    assert b3.recall == pytest.approx((1 / 3 + 1 / 3 + 1 / 3 + 1) / 4)  # a, b, c see a third of their event
    pw = pairwise({k: k for k in gold}, gold)
    assert pw.precision == 1.0 and pw.recall == 0.0 and pw.f1 == 0.0


def test_one_item_in_the_wrong_group() -> None:
    # gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    predicted = {"a": "p", "b": "p", "c": "q", "d": "q", "e": "q"}
    b3 = bcubed(predicted, gold)
    # precision: a, b 1; c 1/3; d, e 2/3 → (2 + 1/3 + 4/3) / 5
    assert b3.precision == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # recall: a, b 2/3; c 1/3; d, e 1 → (4/3 + 1/3 + 2) / 5
    assert b3.recall == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)
    pw = pairwise(predicted, gold)
    # put together: ab, cd, ce, de (4); right: ab, de (2); gold pairs: ab, ac, bc, de (4)
    assert (pw.precision, pw.recall) == (pytest.approx(0.5), pytest.approx(0.5))


def test_the_two_sides_must_cover_the_same_items() -> None:
    with pytest.raises(ValueError, match="1 missing"):
        bcubed({"a": 1}, {"a": 1, "b": 2})
