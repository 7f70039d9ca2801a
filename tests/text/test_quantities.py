"""The quantities a sentence states: what each number counts, in what unit — and the numbers that are none."""

from __future__ import annotations

import pytest

from summariser.text.quantities import quantities


def read(text: str) -> list[tuple[str, float, str, str]]:
    """(kind or label, value, unit, the span's text) of every quantity of ``text``."""
    return [(q.kind or q.label, q.value, q.unit, text[q.start : q.end]) for q in quantities(text)]


def test_casualties_are_read_from_the_words_after_or_before_the_number() -> None:
    found = read("A magnitude 6.4 earthquake struck on Sunday, killing at least 30 people and injuring 120.")
    assert found == [
        ("magnitude", 6.4, "count", "magnitude 6.4"),
        ("deaths", 30.0, "count", "killing at least 30"),
        ("injured", 120.0, "count", "injuring 120"),
    ]
    assert read("Officials said 45 people were killed.") == [("deaths", 45.0, "count", "45 people were killed")]


def test_a_revised_count_is_the_quantity_its_subject_names_not_a_number_in_between() -> None:
    text = "The death toll from Sunday's magnitude 6.4 earthquake rose to 45 on Monday."
    kinds = {kind: value for kind, value, _, _ in read(text)}
    assert kinds == {"magnitude": 6.4, "deaths": 45.0}
    assert read("The agency raised the number of injured to four.")[0][:2] == ("injured", 4.0)


def test_a_vote_count_gives_the_votes_for_and_against() -> None:
    assert [(k, v) for k, v, _, _ in read("Lawmakers approved the bill by 212 votes to 198.")] == [
        ("votes for", 212.0),
        ("votes against", 198.0),
    ]
    assert [(k, v) for k, v, _, _ in read("The senate voted 54 in favour and 46 against.")] == [
        ("votes for", 54.0),
        ("votes against", 46.0),
    ]
    score = read("The score was 2 to 1 at half time.")  # no vote in the sentence: no tally
    assert not [k for k, _, _, _ in score if k.startswith("votes")]


def test_amounts_keep_their_currency_and_scale_and_what_they_are_for() -> None:
    [first] = quantities("The government pledged $2 billion for reconstruction.")
    [second] = quantities("Lestria raised its reconstruction pledge to $3.5 billion.")
    assert (first.unit, first.value, first.written) == ("$", 2e9, "$2 billion")
    assert (second.unit, second.value, second.label) == ("$", 3.5e9, "reconstruction pledge")
    assert first.same_quantity(second)
    [euros] = quantities("He put the cost at 9 million euros a day.")
    assert (euros.unit, euros.value) == ("€", 9e6)
    [share] = quantities("Turnout rose to 64 percent.")
    assert (share.unit, share.label) == ("percent", "Turnout")


def test_counted_nouns_name_the_quantity() -> None:
    [homes] = quantities("The office said 120 homes were damaged.")
    [again] = quantities("By Tuesday 300 homes had been damaged.")
    [ships] = quantities("The strike stranded 14 bulk carriers at anchor.")
    assert homes.same_quantity(again) and not homes.same_quantity(ships)
    assert ships.label == "bulk carriers"


@pytest.mark.parametrize(
    "text",
    [
        "The cuts were made on January 5 and reversed in 2026.",  # a date, a year
        "The 45-year-old was detained at 07:15.",  # an age, a time
        "It was the 3rd time this year.",  # an ordinal
        "About 30 people attended the meeting for three days.",  # too general to tell quantities apart
        "One of the bridges reopened.",  # a number word with nothing counted right after it
        "The 15-time winner drew a 400-strong crowd.",  # numbers inside compounds
        "Police said 17 Police Scotland officers found two years ago.",  # names and adverbs count nothing
        "Ross County beat them 2 on Saturday.",  # nothing ties the number to the words before it
    ],
)
def test_numbers_that_count_nothing_nameable_are_no_quantity(text: str) -> None:
    assert quantities(text) == []


def test_different_classes_or_units_are_different_quantities() -> None:
    [dead] = quantities("The quake killed 30 people.")
    [hurt] = quantities("The quake injured 30 people.")
    [dollars] = quantities("Donors gave $5 million for reconstruction.")
    [euros] = quantities("Donors gave 5 million euros for reconstruction.")
    assert not dead.same_quantity(hurt) and not dollars.same_quantity(euros)
