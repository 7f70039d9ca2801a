"""The vocabulary of consequences (`summariser.text.consequence`): every forward-looking sentence
drafting may take as an implication states a consequence grounding keeps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summariser.text.consequence import CONSEQUENCE, FORWARD

#: Words of both vocabularies, their near misses and plain words, for sentences made of them.
WORDS = (
    "will would could may might won't plans to plan expects expected to warns warned warn threatens threatened "
    "threaten must likely cost cut next because union strike port prices rose fell talks said the a of it was"
).split()


def test_a_threat_is_forward_looking_and_a_consequence() -> None:
    for sentence in ("Unions threatened a strike.", "The minister warned of delays.", "Prices will rise."):
        assert FORWARD.search(sentence) and CONSEQUENCE.search(sentence), sentence
    assert not CONSEQUENCE.search("Grain traders said prices rose two percent.")
    assert CONSEQUENCE.search("The stoppage cost exporters 40 million euros.") and not FORWARD.search("It cost 4.")


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join))
def test_every_forward_looking_sentence_states_a_consequence(sentence: str) -> None:
    assert not FORWARD.search(sentence) or CONSEQUENCE.search(sentence)
