"""Names (`summariser.text.names`): countries by name and alias, one person under several names,
and what is not a person.
"""

from __future__ import annotations

import pytest

from summariser.text.names import country_name, not_a_person, same_person
from summariser.text.normalise import plain_key


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("U.S.", "United States"), ("US", "United States"), ("the United States", "United States"),
        ("UK", "United Kingdom"), ("Britain", "United Kingdom"), ("Korea", "South Korea"),
        ("Korea, Republic of", "South Korea"), ("EU", "European Union"), ("European Union", "European Union"),
        ("Russia", "Russia"), ("Viet Nam", "Vietnam"), ("Türkiye", "Turkey"), ("Japan", "Japan"),
        ("JP Morgan", None), ("Major European", None), ("Roland Lescure", None), ("", None),
    ],
)  # fmt: skip
def test_country_names(raw: str, expected: str | None) -> None:
    assert country_name(raw) == expected


def test_fold_and_same_person() -> None:
    assert plain_key("François-Philippe  Champagne’s") == "francois philippe champagne"
    assert same_person("Bessent", "Scott Bessent")
    assert same_person("Treasury Secretary Scott Bessent", "Scott Bessent")
    assert same_person("scott bessent", "Scott Bessent")
    assert not same_person("Scott Bessent", "Scott Morrison")
    assert not same_person("Mark Carney", "Mark")


def test_not_a_person_by_its_words_or_by_what_the_drafts_say_of_it() -> None:
    assert not_a_person("Export-Import Bank") == "organisation"  # an organisation word
    assert not_a_person("Information Technology") == "topic"  # a portfolio
    assert not_a_person("Baltic Cereals") is None  # nothing in the name itself …
    assert not_a_person("Baltic Cereals", affiliations=["baltic cereals"]) == "affiliation"  # … another's employer
    assert not_a_person("Valdmar Port Authority", affiliations=["Valdmar Port Authority"]) == "affiliation"
    assert not_a_person("Nordgrain", organisations=["NORDGRAIN"]) == "organisation"  # listed as an organisation
    assert not_a_person("Information Technology", organisations=["Information Technology"]) == "organisation"
    assert not_a_person("Tomas Rinne", organisations=["Nordgrain"], affiliations=["Baltic Cereals"]) is None


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [("SNP", "Scottish National Party", True), ("CPS", "Crown Prosecution Service", True),
     ("SNP", "Scottish Labour Party", False), ("Snp", "Scottish National Party", False), ("BBC", "BBC", False)],
)  # fmt: skip
def test_an_acronym_is_the_initials_of_the_capitalised_words(short: str, full: str, expected: bool) -> None:
    from summariser.text.names import is_acronym_of

    assert is_acronym_of(short, full) is expected
