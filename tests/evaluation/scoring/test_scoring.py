"""Scoring whole briefings against gold (`summariser.evaluation.scoring.briefing`).

Predictions are hand-made `Briefing` objects (tests/helpers/briefings.py); no model runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.briefings import ARTICLE, dump, gold_briefing

from summariser.evaluation.scoring.briefing import aggregate, score_briefing
from summariser.schemas import Person, SourceRef


def metrics_of(pred_json: str, **kwargs: object) -> dict[str, float | None]:
    score = score_briefing("x", gold_briefing(), pred_json, **kwargs)  # type: ignore[arg-type]
    return aggregate([score])[3]


def test_a_perfect_prediction_scores_full_marks() -> None:
    metrics = metrics_of(dump(gold_briefing()))
    scored = {k: v for k, v in metrics.items() if v is not None}
    assert scored and all(v == 1.0 for v in scored.values()), scored
    assert metrics["briefing.grounding_rate"] is None  # the prediction has no grounding report


def test_name_variants_and_aliases_in_a_prediction_still_score_full_marks() -> None:
    pred = gold_briefing()
    pred.people[2] = Person(
        name="U.S. Trade Representative Jamieson Greer", role="trade representative", affiliation="U.S."
    )
    pred.countries = ["the Netherlands", "US", "EU", "UK"]
    metrics = metrics_of(dump(pred))
    for key in ("people.f1", "people.role", "people.affiliation", "countries.f1"):
        assert metrics[key] == 1.0, key


def test_a_deliberately_wrong_prediction_scores_low_on_exactly_the_fields_it_got_wrong() -> None:
    pred = gold_briefing()
    pred.people[1] = pred.people[1].model_copy(update={"role": "Foreign Minister"})  # wrong role
    pred.countries = ["Netherlands", "United States", "European Union", "Germany"]  # UK → Germany
    pred.event_date = dt.date(2026, 3, 9)  # wrong date
    score = score_briefing("wrong", gold_briefing(), dump(pred))
    metrics = aggregate([score])[3]
    low = {k for k, v in metrics.items() if v is not None and v < 1.0}
    assert low == {"people.role", "countries.f1", "event_date.accuracy"}
    assert metrics["people.role"] == 0.75 and metrics["event_date.accuracy"] == 0.0
    assert metrics["countries.f1"] == 0.75
    # The diff says what was wrong.
    wrong = [p for p in score.lists["people"].pairs if not p.attributes["role"].match]
    assert [(p.gold, p.attributes["role"].gold, p.attributes["role"].pred) for p in wrong] == [
        ("Pieter de Vries", "Economy Minister", "Foreign Minister")
    ]
    assert score.lists["countries"].missing == ["United Kingdom"] and score.lists["countries"].extra == ["Germany"]
    assert (score.scalars["event_date"].gold, score.scalars["event_date"].pred) == ("2026-03-10", "2026-03-09")


def test_missing_and_invented_items_lower_recall_and_precision() -> None:
    pred = gold_briefing()
    pred.people = [*pred.people[:2], Person(name="Jan Smit", role="mayor")]
    score = score_briefing("p", gold_briefing(), dump(pred)).lists["people"]
    assert (score.matched, score.gold, score.pred) == (2, 4, 3)
    assert score.missing == ["Jamieson Greer", "Anna Berg"] and score.extra == ["Jan Smit"]
    assert score.precision == pytest.approx(2 / 3, abs=1e-4) and score.recall == 0.5


def test_names_not_in_the_source_are_listed() -> None:
    pred = gold_briefing()
    pred.people.append(Person(name="Hans Invented"))
    score = score_briefing("p", gold_briefing(), dump(pred))
    assert score.names_not_in_source == ["Hans Invented"] and score.names_checked == 7


def test_names_are_looked_up_in_the_given_texts_when_the_prediction_has_none() -> None:
    pred = gold_briefing()
    pred.sources = [SourceRef(doc_id="a1")]
    assert score_briefing("p", gold_briefing(), dump(pred)).names_checked is None
    score = score_briefing("p", gold_briefing(), dump(pred), source_texts=[ARTICLE.replace("Maersk", "a rival")])
    assert score.names_not_in_source == ["Maersk"]


def test_an_invalid_prediction_scores_as_invalid_without_crashing() -> None:
    data = gold_briefing().model_dump(mode="json")
    data["headline"] = " ".join(["word"] * 30)
    data["summary"] = []
    score = score_briefing("bad", gold_briefing(), dump(data))
    assert not score.valid
    assert any(e.startswith("headline") for e in score.errors) and any(e.startswith("summary") for e in score.errors)
    metrics = aggregate([score])[3]
    assert metrics["briefing.schema_valid"] == 0.0
    assert metrics["people.f1"] == 0.0 and metrics["summary.rouge1"] == 0.0 and metrics["event_date.accuracy"] == 0.0


def test_text_that_is_not_json_is_an_invalid_prediction() -> None:
    score = score_briefing("bad", gold_briefing(), '{"headline": "cut off')
    assert not score.valid and score.errors[0].startswith("not JSON")


def test_aggregates_are_micro_averaged_over_briefings() -> None:
    good = score_briefing("a", gold_briefing(), dump(gold_briefing()))
    pred = gold_briefing()
    pred.people = []
    empty = score_briefing("b", gold_briefing(), dump(pred))
    lists, scalars, texts, metrics = aggregate([good, empty])
    assert (lists["people"].matched, lists["people"].gold, lists["people"].pred) == (4, 8, 4)
    assert metrics["people.f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5, abs=1e-4)
    assert scalars["event_date"].accuracy == 1.0 and texts["summary"].fact_coverage == 1.0
