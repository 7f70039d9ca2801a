"""Typed candidates: the names of a text, numbered for the model, and the rules that settle their kinds.

The model's side is played here by hand-written kinds (an answer a model could give), to test
each rule alone; what the embedded model really answers on unseen stories is tested
from recorded cassettes in test_pipeline_entities.py.
"""

from __future__ import annotations

from pathlib import Path

from summariser.brief.entities import ask_model, candidates, settle
from summariser.schemas import EntityKinds

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "entities"
PORT = (FIXTURES / "port_strike.txt").read_text(encoding="utf-8")
QUAKE = (FIXTURES / "quake.txt").read_text(encoding="utf-8")


def names(text: str) -> list[str]:
    return [c.name for c in candidates(text)]


def answer(text: str, **kinds: list[str]) -> EntityKinds:
    """The model's answer typing the named candidates so (``person=[…]``, …), every other one "other"."""
    typed = {name: kind for kind, listed in kinds.items() for name in listed}
    found = candidates(text)
    return ask_model(found).model_validate({c.name: typed.get(c.name, "other") for c in found})


def test_candidates_hold_every_name_once_under_its_fullest_form() -> None:
    found = names(PORT)
    expected = [
        "Port of Rotterdam Authority",
        "APM Terminals",
        "Hutchison Ports ECT",
        "Maersk",
        "MSC",
        "FNV",
        "Hook of Holland",
        "Niek Stam",
        "Micky Adriaansens",
        "VNO-NCW",
        "ING",
        "Reuters",
        "Rotterdam",
    ]
    assert set(expected) <= set(found)
    assert len(found) == len({n.lower() for n in found})
    assert "Stam" not in found and "Hook" not in found  # a surname and a fragment fold into the full names
    assert "Netherlands" not in found and "Dutch" not in found  # countries and nationalities are read apart


def test_candidates_leave_countries_out_and_find_towns_spacy_misses() -> None:
    found = names(QUAKE)
    assert "Peru" not in found
    assert {"Lima", "Acarí", "Yauca", "Arequipa", "Ica", "Chala"} <= set(found)
    assert {"U.S. Geological Survey", "Dina Boluarte", "National Emergency Operations Center"} <= set(found)


def test_every_candidate_is_written_in_the_text() -> None:
    for text in (PORT, QUAKE):
        assert all(name in text or name.upper() in text for name in names(text))


def test_the_model_kinds_are_taken() -> None:
    got = settle(answer(PORT, person=["Niek Stam"], organisation=["FNV", "Maersk"], place=["Hook of Holland"]),
                 candidates(PORT), PORT)  # fmt: skip
    assert got.people[0].name == "Niek Stam"
    assert {"FNV", "Maersk"} <= set(got.organisations)
    assert "Hook of Holland" in got.places
    assert all(p.role is None and p.affiliation is None for p in got.people)  # read from the text later


def test_the_answer_has_one_key_per_name_and_one_kind_each() -> None:
    found = candidates(PORT)
    schema = ask_model(found).model_json_schema()
    assert list(schema["properties"]) == [c.name for c in found] == schema["required"]
    assert all(p["enum"] == ["person", "organisation", "place", "other"] for p in schema["properties"].values())


def test_a_name_shaped_like_an_organisation_is_one_whatever_the_model_says() -> None:
    people = ["U.S. Geological Survey", "National Emergency Operations Center", "Dina Boluarte"]
    got = settle(answer(QUAKE, person=people), candidates(QUAKE), QUAKE)
    assert [p.name for p in got.people] == ["Dina Boluarte"]
    assert {"U.S. Geological Survey", "National Emergency Operations Center"} <= set(got.organisations)


def test_a_one_word_person_that_spacy_calls_a_place_or_an_organisation_is_not_a_person() -> None:
    got = settle(answer(QUAKE, person=["AP", "Chala"]), candidates(QUAKE), QUAKE)
    assert [p.name for p in got.people] == ["Dina Boluarte"]  # called "other", but titled: a person
    assert "AP" in got.organisations and "Chala" in got.places


def test_without_an_answer_only_the_rules_type_names() -> None:
    got = settle(None, candidates(PORT), PORT)
    # titled ("FNV negotiator Niek Stam", "Economy Minister Micky Adriaansens"): people
    assert [p.name for p in got.people] == ["Niek Stam", "Micky Adriaansens"]
    assert "APM Terminals" in got.organisations and "Niek Stam" not in got.organisations


def test_names_hold_nothing_a_json_key_or_a_grammar_rule_would_escape() -> None:
    text = 'Peru sits on the Pacific "Ring of Fire", the U.S. Geological Survey said. Back\\slash Co said.'
    found = names(text)
    assert "Ring of Fire" in found and "U.S. Geological Survey" in found
    assert not any(set(n) & set('"\\“”') for n in found)
