"""Stop words (`summariser.text.stopwords`): each comparison leaves out its own named list, and the
lists differ exactly as the module says."""

from __future__ import annotations

from summariser.evaluation.scoring.similarity import token_f1
from summariser.evaluation.scoring.textscore import content_words
from summariser.text.normalise import stems
from summariser.text.stopwords import (
    CONTENT_STOP_WORDS,
    FACT_STOP_WORDS,
    FUNCTION_WORDS,
    LABEL_STOP_WORDS,
    REPORTING_WORDS,
)


def test_the_two_lists_of_function_words_differ_only_as_documented() -> None:
    assert REPORTING_WORDS | {"because", "much"} == CONTENT_STOP_WORDS - FACT_STOP_WORDS
    assert {"me", "my"} == FACT_STOP_WORDS - CONTENT_STOP_WORDS
    assert FUNCTION_WORDS == CONTENT_STOP_WORDS & FACT_STOP_WORDS
    assert {"s"} == LABEL_STOP_WORDS - FUNCTION_WORDS


def test_each_comparison_leaves_out_its_own_list() -> None:
    # grounding: what a sentence states, not who said it
    assert stems("The minister said my plan failed because of much debt") == frozenset(
        {"minist", "my", "plan", "fail", "debt"}
    )
    # gold facts: a fact's "said" is a word the summary must carry; "my" is not
    assert content_words("The minister said my plan failed") == ["minist", "said", "plan", "fail"]
    # labels: the few words two spellings of one role differ by
    assert token_f1("Minister of Finance", "Finance Minister") == 1.0
    assert token_f1("Minister for the Economy", "Economy Minister") == 1.0
