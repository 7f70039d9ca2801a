"""The title a text writes right before a name (`summariser.text.titles`)."""

from __future__ import annotations

import pytest

from summariser.text.titles import title_before

CASES = [
    ("Attendees included Australia’s Treasurer Jim Chalmers, and", "Jim Chalmers", "Treasurer", None, "Australia"),
    ("by US Trade Representative Jamieson Greer, and", "Jamieson Greer", "US Trade Representative", None, None),
    ("Greer, Export-Import Bank of the United States President and Chairman John Jovanovic, and", "John Jovanovic",
     "President and Chairman", "Export-Import Bank of the United States", None),
    ("and JP Morgan Managing Director Jay Horine, indicating", "Jay Horine", "Managing Director", "JP Morgan", None),
    ("This comes a month after Prime Minister Mark Carney said", "Mark Carney", "Prime Minister", None, None),
    ("even as he and Ontario Premier Doug Ford pitched", "Doug Ford", "Ontario Premier", None, None),
    ("Treasury Secretary Scott Bessent convened", "Scott Bessent", "Treasury Secretary", None, None),
    ("and Korea’s Deputy Prime Minister and Minister of Economy and Finance Yun-Cheol Koo, alongside",
     "Yun-Cheol Koo", "Deputy Prime Minister and Minister of Economy and Finance", None, "Korea"),
    ("GENEVA (Reuters) - WHO Director-General Tedros Adhanomi Ghebreyesus said", "Tedros Adhanomi Ghebreyesus",
     "Director-General", "WHO", None),
    ("the UK’s Chancellor of the Exchequer Rachel Reeves, placing", "Rachel Reeves", "Chancellor of the Exchequer",
     None, "UK"),
    ("Manchester United manager Louis van Gaal said", "Louis van Gaal", "manager", "Manchester United", None),
    ("the European Commission’s Valdis Dombrovskis, whose", "Valdis Dombrovskis", None, None, "European Commission"),
    # a word that qualifies a title is the title's, not an organisation ("Deputy First" is no name)
    ("Scotland’s Deputy First Minister John Swinney said", "John Swinney", "Deputy First Minister", None, "Scotland"),
    ("At Torquay Magistrates’ Court, District Judge Kevin Grey said", "Kevin Grey", "District Judge", None, None),
    ("Labour’s Shadow Chancellor Rachel Reeves said", "Rachel Reeves", "Shadow Chancellor", None, "Labour"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "role", "organisation", "possessor"), CASES)
def test_the_title_before_a_name_is_split_into_role_organisation_and_possessor(
    text: str, name: str, role: str | None, organisation: str | None, possessor: str | None
) -> None:
    stated = title_before(text, text.index(name))
    assert stated is not None
    assert (stated.role, stated.organisation, stated.possessor) == (role, organisation, possessor)


@pytest.mark.parametrize(
    ("text", "name"),
    [("Yesterday Smith said", "Smith"), ("Bessent emphasized", "Bessent"), ("talks on Trade Smith said", "Smith"),
     ("the report, Smith said", "Smith")],
)  # fmt: skip
def test_no_title_is_read_where_none_is_written(text: str, name: str) -> None:
    assert title_before(text, text.index(name)) is None


def test_the_affiliation_is_the_possessor_the_organisation_or_a_leading_country() -> None:
    def affiliation(text: str, name: str) -> str | None:
        stated = title_before(text, text.index(name))
        return stated.affiliation if stated else None

    assert affiliation("by US Trade Representative Jamieson Greer", "Jamieson Greer") == "US"
    assert affiliation("WHO Director-General Tedros Ghebreyesus said", "Tedros Ghebreyesus") == "WHO"
    assert affiliation("Australia’s Treasurer Jim Chalmers", "Jim Chalmers") == "Australia"
    assert affiliation("Prime Minister Mark Carney said", "Mark Carney") is None
