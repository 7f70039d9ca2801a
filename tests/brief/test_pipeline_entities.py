"""Who and what on stories the pipeline was never tuned on, replayed from the embedded 1.5B model.

Five wire stories written for these tests (tests/fixtures/entities/): a port strike with
companies and a union, an earthquake with agencies and towns, a court ruling, a carmaker's
job cuts and a cup semi-final. The model's answers are recorded cassettes (one per story):
the model types the names the text mentions (`schemas.EntityKinds`), and the rules settle them
(`brief.entities`). Re-record (needs the model):
``SUMMARISER_RECORD=1 .venv/bin/pytest tests/brief/test_pipeline_entities.py``.
"""

from __future__ import annotations

import pytest
from helpers.paths import FIXTURES

from summariser import Briefing, Settings, summarise
from summariser.text.datelines import dateline

STORIES = FIXTURES / "entities"


@pytest.fixture
def brief(llm_settings: Settings) -> object:
    def run(name: str) -> Briefing:
        return summarise([str(STORIES / f"{name}.txt")], settings=llm_settings)

    return run


def names(items: list[object]) -> set[str]:
    return {i.name for i in items}


def no_claim_opens_with_a_dateline(briefing: Briefing) -> None:
    for claim in [*briefing.summary, *briefing.implications]:
        assert dateline(claim.text) is None, claim.text


def test_port_strike_people_are_people_and_every_company_and_union_an_organisation(brief: object) -> None:
    briefing = brief("port_strike")  # type: ignore[operator]
    assert names(briefing.people) == {"Niek Stam", "Micky Adriaansens"}
    assert {"FNV", "APM Terminals", "Hutchison Ports ECT", "Port of Rotterdam Authority", "VNO-NCW"} <= names(
        briefing.organisations
    )
    assert not names(briefing.organisations) & names(briefing.places)
    assert "Hook of Holland" in names(briefing.places)
    stam = next(p for p in briefing.people if p.name == "Niek Stam")
    assert stam.role == "negotiator" and stam.affiliation == "FNV"  # "FNV negotiator Niek Stam"
    assert next(p for p in briefing.people if p.name == "Micky Adriaansens").role == "Economy Minister"
    no_claim_opens_with_a_dateline(briefing)


def test_quake_agencies_are_organisations_towns_are_places_and_peru_is_kept(brief: object) -> None:
    briefing = brief("quake")  # type: ignore[operator]
    assert names(briefing.people) == {"Dina Boluarte"}
    assert {"U.S. Geological Survey", "National Emergency Operations Center", "Pacific Tsunami Warning Center"} <= (
        names(briefing.organisations)
    )
    assert {"Lima", "Acarí", "Yauca", "Arequipa", "Chala"} <= names(briefing.places)
    assert "Peru" in briefing.countries  # named five times ("southern Peru", "Peru's Geophysical Institute")
    assert "Peru" not in names(briefing.organisations) | names(briefing.places)
    no_claim_opens_with_a_dateline(briefing)


@pytest.mark.parametrize(
    ("story", "people", "organisations", "places"),
    [
        ("court", {"Eleanor Whitcombe", "Samuel Okafor", "Priya Raman"}, {"Ofwat", "Clean Rivers Trust", "Barclays"},
         {"London", "Oxfordshire", "Berkshire"}),
        ("company", {"Anders Lindqvist", "Ebba Busch"}, {"Nordvik Motors", "IF Metall", "Handelsbanken"},
         {"Trollhättan", "Gothenburg"}),
        ("sport", {"Daniel Okoro", "Sofia Lindgren", "Martin Hale", "Callum Reid"}, {"Football Association"},
         {"Wembley Stadium"}),
    ],
)  # fmt: skip
def test_other_kinds_of_news(
    brief: object, story: str, people: set[str], organisations: set[str], places: set[str]
) -> None:
    briefing = brief(story)  # type: ignore[operator]
    assert people <= names(briefing.people)
    assert not names(briefing.people) & (names(briefing.organisations) | names(briefing.places))
    assert organisations <= names(briefing.organisations)
    assert places <= names(briefing.places)
    no_claim_opens_with_a_dateline(briefing)
