"""Drafting (`summariser.brief.draft`): the summary the model picks by number, filled from the opening.

The model's numbers are taken as given when they point at sentences (main news first);
bad numbers and repeats are left out; a part gets as many bullets as its sentences of
content allow (three, fewer for a short item), the opening sentences filling in when the
model picked too few. `same_fact` is the one "these two sentences state one fact" rule.
"""

from __future__ import annotations

import pytest

from summariser.brief.draft import _summary, content_sentences, distinct, same_fact
from summariser.brief.grounding import bullets_required
from summariser.brief.numbering import number

STORY = (
    "GENEVA (Reuters)\n"
    "The World Health Organization approved a malaria vaccine made by Bharat Biotech on Tuesday.\n"
    "The shot was tested on 4,000 children in trials in Kenya and Ghana over two years.\n"
    "Gavi will ship the first doses next month, with UNICEF handling procurement for poorer countries.\n"
    "Officials said more supply deals would follow later this year."
)


def test_the_model_s_numbers_are_the_summary_in_its_order() -> None:
    numbered = number(STORY)
    summary, lead = _summary(numbered, [3, 2, 3, 17], needed=3)
    assert summary[:2] == [numbered.sentence(3), numbered.sentence(2)]
    assert len(summary) == 3 and lead == 1  # too few good numbers: the opening fills in
    assert summary[2] == numbered.sentence(1)  # the first sentence not yet used ("GENEVA (Reuters)" has no number)
    assert "GENEVA (Reuters)" in numbered.prompt.splitlines()[0]


def test_a_short_item_needs_as_many_bullets_as_it_has_sentences_of_content() -> None:
    two = number("Oil rose 2% on Monday after OPEC agreed to cut output. Analysts expect further gains this week.")
    assert len(content_sentences(two)) == 2 and bullets_required(len(content_sentences(two))) == 2
    summary, lead = _summary(two, [], needed=2)
    assert len(summary) == 2 and lead == 2
    one = number("GENEVA (Reuters) - The WHO approved a malaria vaccine on Tuesday, officials said.")
    assert bullets_required(len(content_sentences(one))) == 1


def test_one_fact_stated_twice_is_one_bullet() -> None:
    a = (
        "US Treasury Secretary Scott Bessent on Monday convened a high-level finance ministerial in Washington "
        "to strengthen and diversify critical minerals supply chains, including rare earth elements."
    )
    b = (
        "Treasury Secretary Scott Bessent convened a Finance Ministerial to discuss solutions to secure and "
        "diversify critical minerals supply chains, with rare earths explicitly highlighted as a focus."
    )
    other = (
        "For its part, the US highlighted actions and investments already undertaken and planned steps to build "
        "more resilient, secure, and diversified critical minerals supply chains."
    )
    assert same_fact(a, b) and not same_fact(a, other) and not same_fact(b, other)
    assert distinct([a, b, other]) == [a, other]


@pytest.mark.parametrize("numbers", [[], [0], [-1, 99], [1, 1, 1]])
def test_any_answer_gives_a_full_summary(numbers: list[int]) -> None:
    numbered = number(STORY)
    summary, _ = _summary(numbered, numbers, needed=3)
    assert len(summary) == 3 and len(set(summary)) == 3
    assert all(s in STORY for s in summary) and "GENEVA (Reuters)" not in summary


def test_sentences_that_state_different_numbers_are_different_facts() -> None:
    a = "Councillor Ruth Okoye said item 4 of the harbour budget should be reviewed, as costs rose 3 percent."
    b = "Councillor Ruth Okoye said item 5 of the harbour budget should be reviewed, as costs rose 4 percent."
    assert not same_fact(a, b) and distinct([a, b]) == [a, b]
    assert same_fact(a, a.replace("Councillor ", ""))  # same numbers, same words: one fact
    wrapped = number("Oil rose 2% on Monday. Oil rose 2% on Monday, traders said. Gold fell 1% on Monday.")
    assert len(distinct(content_sentences(wrapped), most=3)) == 2  # bullets needed count the fact once
