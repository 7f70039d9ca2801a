"""The evaluator's similarity of names, countries, labels, attributes and places
(`summariser.evaluation.scoring.similarity`).
"""

from __future__ import annotations

import pytest

from summariser.evaluation.scoring.similarity import (
    attribute_match,
    country_similarity,
    label_similarity,
    location_key,
    name_similarity,
)


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
