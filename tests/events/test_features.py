"""What grouping reads from one article (`summariser.events.features`), with the real spaCy pipeline."""

from __future__ import annotations

from summariser.events.features import article_features
from summariser.ingest.read import make_article


def people(text: str) -> dict[str, int]:
    return dict(article_features(make_article(text, path="a.txt")).entities["person"])


def test_a_bare_surname_counts_for_the_one_full_name_that_ends_with_it() -> None:
    swimmer = people(
        "Esther Williams, the swimmer and actress, died on Thursday in Los Angeles. "
        "Williams was 91 and had starred in Million Dollar Mermaid."
    )
    assert swimmer == {"esther williams": 2}


def test_two_people_who_share_a_surname_stay_two_people_across_articles() -> None:
    swimmer = people("Esther Williams, the swimmer and actress, died on Thursday in Los Angeles.")
    player = people("Kevin Williams signed a new contract with the Minnesota Vikings on Friday.")
    assert set(swimmer).isdisjoint(player)


def test_a_surname_two_full_names_end_with_is_left_as_it_is() -> None:
    final = people(
        "Serena Williams beat Venus Williams in the final at Wimbledon on Saturday. "
        "Williams said afterwards that she was tired."
    )
    assert final == {"serena williams": 1, "venus williams": 1, "williams": 1}
