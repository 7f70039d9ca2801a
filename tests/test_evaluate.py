"""The evaluator's scoring: similarity, optimal pairing, attributes, texts, and whole briefings.

Predictions are hand-made `Briefing` objects (tests/helpers/briefings.py); no model runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.briefings import ARTICLE, dump, gold_briefing

from summariser.evaluation.pairing import pair, prf
from summariser.evaluation.scoring import aggregate, score_briefing
from summariser.evaluation.similarity import (
    attribute_match,
    country_similarity,
    label_similarity,
    location_key,
    name_similarity,
)
from summariser.evaluation.textscore import fact_coverage, rouge
from summariser.schemas import Person, SourceRef
from summariser.text.sentences import scoring_sentences


def metrics_of(pred_json: str, **kwargs: object) -> dict[str, float | None]:
    score = score_briefing("x", gold_briefing(), pred_json, **kwargs)  # type: ignore[arg-type]
    return aggregate([score])[3]


# --------------------------------------------------------------------------- similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Treasury Secretary Scott Bessent", "Scott Bessent"),
        ("U.S. Treasury Secretary Scott Bessent", "scott bessent"),
        ("François-Philippe Champagne", "Francois Philippe Champagne"),
        ("Canada’s Minister of Finance François-Philippe Champagne", "François-Philippe Champagne"),
        ("Koo Yun-Cheol", "Yun-Cheol Koo"),
    ],
)
def test_name_variants_are_the_same_person(a: str, b: str) -> None:
    assert name_similarity(a, b) == 1.0


def test_surname_only_pairs_but_other_people_do_not() -> None:
    assert name_similarity("Bessent", "Scott Bessent") >= 0.8
    assert name_similarity("Scott Bessent", "Scott Morrison") < 0.8
    assert name_similarity("Mark Carney", "Mark Rutte") < 0.8


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.", "United States"),
        ("US", "United States"),
        ("UK", "United Kingdom"),
        ("the UK", "Britain"),
        ("Korea", "South Korea"),
        ("EU", "European Union"),
    ],
)
def test_country_aliases_are_equal(a: str, b: str) -> None:
    assert country_similarity(a, b) == 1.0


def test_different_countries_never_pair_however_alike_their_names() -> None:
    assert country_similarity("South Korea", "North Korea") == 0.0
    assert country_similarity("Austria", "Australia") == 0.0


def test_organisation_names_normalise_acronyms_aliases_and_subsets() -> None:
    assert label_similarity("U.S. Treasury", "US Treasury") == 1.0
    assert label_similarity("United States Treasury", "US Treasury") == 1.0
    assert 0.8 <= label_similarity("Export-Import Bank", "Export-Import Bank of the United States") < 1.0
    assert label_similarity("European Commission", "European Central Bank") < 0.8


def test_attributes_match_by_token_overlap() -> None:
    assert attribute_match("Minister of Finance", "Finance Minister", "role")
    assert attribute_match("President and Chairman", "President", "role")
    assert attribute_match("Chancellor of the Exchequer", "chancellor of the exchequer", "role")
    assert not attribute_match("Treasury Secretary", "Secretary of State", "role")
    assert not attribute_match("Treasurer", "Minister of Finance", "role")
    assert attribute_match(None, None, "role")
    assert not attribute_match(None, "Commissioner", "role")
    assert not attribute_match("Prime Minister", None, "role")
    assert attribute_match("United Kingdom", "UK", "affiliation")
    assert attribute_match("United States", "U.S.", "affiliation")
    assert not attribute_match("Export-Import Bank of the United States", "US", "affiliation")
    assert attribute_match("Scott Bessent", "Bessent", "speaker")
    assert attribute_match("Scott Bessent", "Treasury Secretary Scott Bessent", "speaker")
    assert not attribute_match("Scott Bessent", "Mark Carney", "speaker")


def test_location_keys() -> None:
    assert location_key("Washington, D.C.") == location_key("Washington") == location_key("Washington DC")
    assert location_key("the UK") == location_key("United Kingdom")
    assert location_key("Paris, France") == location_key("Paris")
    assert location_key("Paris") != location_key("London")
    assert location_key(None) is None and location_key("  ") is None


# --------------------------------------------------------------------------- pairing


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


# --------------------------------------------------------------------------- texts


def test_rouge_of_identical_and_empty_texts() -> None:
    assert rouge("Port strike ends", "Port strike ends") == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge([], []) == {"rouge1": 1.0, "rouge2": 1.0, "rougeLsum": 1.0}
    assert rouge(["Port strike ends."], [])["rouge1"] == 0.0
    assert 0 < rouge("port strike ends in Rotterdam", "Rotterdam strike over")["rouge1"] < 1


def test_scoring_sentences_keep_abbreviations_together() -> None:
    text = "U.S. Treasury Secretary Scott Bessent spoke on Monday. Mr. Greer agreed. Talks end today."
    assert scoring_sentences(text) == [
        "U.S. Treasury Secretary Scott Bessent spoke on Monday.",
        "Mr. Greer agreed.",
        "Talks end today.",
    ]


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


# --------------------------------------------------------------------------- whole briefings


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
    data["summary"] = data["summary"][:1]
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
