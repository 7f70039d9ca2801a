"""ROUGE and fact coverage of summary texts (`summariser.evaluation.scoring.textscore`)."""

from __future__ import annotations

from summariser.evaluation.scoring.textscore import fact_coverage, rouge


def test_rouge_of_identical_and_empty_texts() -> None:
    assert rouge("Port strike ends", "Port strike ends") == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge([], []) == {"rouge1": 1.0, "rouge2": 1.0, "rougeLsum": 1.0}
    assert rouge(["Port strike ends."], [])["rouge1"] == 0.0
    assert 0 < rouge("port strike ends in Rotterdam", "Rotterdam strike over")["rouge1"] < 1


def test_fact_coverage_needs_half_the_words_in_one_bullet_and_every_number() -> None:
    facts = [
        "Harbour workers in Rotterdam ended a three-day strike after Portvale raised pay by 4 percent.",
        "Union leader Maria Jansen called the deal a fair result.",
        "The European Union and the United Kingdom had urged both sides to settle.",
    ]
    bullets = [
        "Rotterdam harbour workers ended their strike when Portvale raised pay by 5 percent.",  # wrong number
        "Maria Jansen, the union leader, said the deal was fair.",  # paraphrase
        "Shipping resumed.",
    ]
    checks = fact_coverage(facts, bullets)
    assert [c.covered for c in checks] == [False, True, False]
    assert checks[0].missing_numbers == ("4",) and checks[0].recall >= 0.5
    assert checks[1].best == 1
    assert checks[2].recall < 0.5 and "urg" in " ".join(checks[2].missing_words)
