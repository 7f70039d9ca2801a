"""Drafting (`summariser.brief.draft`): the name candidates the entities prompt lists for the model."""

from __future__ import annotations

from summariser.brief.draft import name_candidates


def test_name_candidates_strip_titles_and_possessives() -> None:
    text = (
        "Treasury Secretary Scott Bessent met Australia’s Treasurer Jim Chalmers and Mexico’s Secretary of "
        "Finance and Public Credit Edgar Amador Zamora. JP Morgan Managing Director Jay Horine spoke."
    )
    found = name_candidates(text)
    for name in ("Scott Bessent", "Jim Chalmers", "Edgar Amador Zamora", "Jay Horine"):
        assert name in found
    assert not [c for c in found if "Secretary" in c or "’s" in c]
