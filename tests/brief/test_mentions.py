"""Countries and quotations read from the text itself (summariser.brief.mentions)."""

from __future__ import annotations

from summariser.brief.mentions import countries_in, quotes_in

TEXT = (
    "Michael Jordan met officials in Jordan and New Mexico. The U.S. and the UK signed; the European "
    "Commission’s envoy and Korea’s minister watched. Georgia Tech won.\n"
    '"We will win this fight," he said. "Not an assured thing at all," said Rachel Reeves.\n'
    "A key theme was “derisking rather than decoupling,” with Reeves expressing optimism.\n"
    "According to Tim Cook, “the phone is great today”. Reeves told reporters: “We will tax more.” "
    'The plan was "too big" to fail.'
)
PEOPLE = ["Michael Jordan", "Rachel Reeves", "Tim Cook"]


def test_countries_are_named_ones_in_order_of_first_mention() -> None:
    assert countries_in(TEXT) == ["Jordan", "United States", "United Kingdom", "European Union", "South Korea"]


def test_a_country_name_inside_a_person_or_place_name_is_not_a_mention() -> None:
    assert countries_in("Chad Smith visited New Mexico and Georgia Tech.") == []
    assert countries_in("The reporter, who hails from New Jersey, was suspended.") == []
    assert countries_in("Officials from Chad, Georgia and Mexico met.") == ["Chad", "Georgia", "Mexico"]


def test_adjectives_and_lower_case_words_are_not_country_mentions() -> None:
    assert countries_in("Chinese officials told us about french fries.") == []


def test_quotes_are_verbatim_and_attributed_to_the_speaker() -> None:
    found = [(q.text, q.speaker) for q in quotes_in(TEXT, PEOPLE)]
    assert found == [
        ("We will win this fight", "Michael Jordan"),  # "he said": the last person named before
        ("Not an assured thing at all", "Rachel Reeves"),
        ("derisking rather than decoupling", None),  # quoted by the article, said by nobody named
        ("the phone is great today", "Tim Cook"),
        ("We will tax more.", "Rachel Reeves"),  # surname as the subject of "told"
    ]  # "too big" has fewer than three words: a scare quote, not a quotation
    for quote in quotes_in(TEXT, PEOPLE):
        assert quote.text in TEXT


def test_more_quotes_than_the_limit_keep_attributed_ones_in_text_order() -> None:
    text = " ".join(f'"Unattributed remark number {i} here."' for i in range(5)) + ' "We agree on this," said Tim Cook.'
    found = quotes_in(text, ["Tim Cook"], limit=3)
    assert [q.speaker for q in found] == [None, None, "Tim Cook"]
    assert [q.start for q in found] == sorted(q.start for q in found)


def test_a_quote_over_a_line_break_is_found_with_its_whitespace_collapsed() -> None:
    (quote,) = quotes_in('Kessel said the union would "not sign anything\nthat leaves the night shift worse off".')
    assert quote.text == "not sign anything that leaves the night shift worse off"
