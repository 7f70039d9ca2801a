"""summariser.text.sentences: the one sentence end, the splitters on it, and the callers it replaced.

The ``_OLD_*`` regexes are the four copies that grounding, guard, cleaning and mentions held
before they shared this module: the new functions must cut where those did (the only
deliberate difference, ``]`` as a closer in grounding, is tested on its own).
"""

from __future__ import annotations

import re

from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.text import sentences
from summariser.text.sentences import (
    ends,
    ends_like_sentence,
    last_end,
    pieces,
    scoring_sentences,
    sentence_around,
    spans,
    split,
)

TEXT = 'U.S. officials met on Monday. “We agree,” she said. "It works."\nNo mark here\n\n  Last one!'

_OLD_GROUNDING = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*")
_OLD_GUARD = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)|\n")
_OLD_CLEANING = re.compile(r"[.!?…\"”’')\]]$")
_OLD_MENTIONS = re.compile(r"[.!?][”\"’']?\s+(?=[A-Z“\"])")


def _old_grounding_spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _OLD_GROUNDING.finditer(text):
        if text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


def _texts(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=60)


PUNCTUATED = "ab Z.!?…\"'”’)“(\n\t "


def test_spans_are_offsets_of_each_sentence_stopping_at_its_mark() -> None:
    found = spans(TEXT)
    assert [TEXT[s:e] for s, e in found] == [
        "U.S.",  # no abbreviation list: a predictable cut
        "officials met on Monday.",
        "“We agree,” she said.",
        '"It works.',  # the closing quote stays between sentences …
        "No mark here",  # a line break ends a sentence
        "Last one!",
    ]
    assert found[0] == (0, 4) and found[-1] == (len(TEXT) - 9, len(TEXT))
    assert spans("He said “no.”") == [(0, 13)]  # … except after the text's last sentence


def test_split_is_the_stripped_sentences() -> None:
    assert split(TEXT)[2:4] == ["“We agree,” she said.", '"It works.']
    assert split("  \n\n ") == [] and split("One") == ["One"]


def test_blank_text_and_leading_space_keep_grounding_offsets() -> None:
    assert spans("") == [] and spans("   ") == []
    assert spans("  Lead. Next") == [(0, 7), (8, 12)]  # the first span starts at 0, as it always did
    assert spans("Trailing  \nnext") == [(0, 10), (11, 15)]  # space before a line break stays in the span


@settings(max_examples=examples(400), deadline=None)
@given(_texts(PUNCTUATED))
def test_spans_cut_where_grounding_cut(text: str) -> None:
    assert spans(text) == _old_grounding_spans(text)


def test_a_bracket_after_a_mark_now_closes_a_sentence_in_grounding_too() -> None:
    text = "He said [it was over.] Then he left."
    assert split(text) == ["He said [it was over.", "Then he left."]
    assert len(_old_grounding_spans(text)) == 1  # the one unified difference: "]" was no closer there


def test_ends_are_after_the_closers_or_the_line_break() -> None:
    text = 'One. "Two!" Three\nFour… (five.) six'
    assert [text[:e][-2:] for e in ends(text)] == ["e.", '!"', "e\n", "r…", ".)"]


@settings(max_examples=examples(400), deadline=None)
@given(_texts(PUNCTUATED + "]"))
def test_ends_are_the_guards_sentence_ends(text: str) -> None:
    old = [m.end() for m in _OLD_GUARD.finditer(text)]
    assert ends(text) == [e for e in old if e < len(text) or text.endswith("\n")]  # only the end-of-text one differs


def test_pieces_keep_everything_but_white_space() -> None:
    text = "He called it a 'gold digger.' Fowler replied. Fans cheered… \"Great,\" one said."
    assert pieces(text) == ["He called it a 'gold digger.'", "Fowler replied.", "Fans cheered…", '"Great," one said.']
    assert " ".join(pieces(text)) == text


@settings(max_examples=examples(300), deadline=None)
@given(_texts(PUNCTUATED + "]"))
def test_pieces_joined_give_back_the_collapsed_text(text: str) -> None:
    collapsed = " ".join(text.split())
    assert " ".join(pieces(collapsed)) == collapsed


def test_last_end_is_the_last_sentence_end_followed_by_space_inside_the_limit() -> None:
    text = "First one. Second one? Third one."
    assert last_end(text, len(text)) == len("First one. Second one?")
    assert last_end(text, 11) == len("First one.")  # the space after the mark is inside the limit
    assert last_end(text, 10) is None  # ". " does not fit: no cut
    assert last_end('She said "yes." Then', 20) == len('She said "yes."')  # a cut never splits a quote from its mark


def test_sentence_around_needs_a_capital_after_the_mark() -> None:
    text = "At 5 p.m. on Tuesday the U.S. envoy said “we are ready.” Then Reeves spoke. Next."
    start, end = text.index("“"), text.index("”") + 1
    begin, stop = sentence_around(text, start, end - 2)
    assert text[begin:stop] == "At 5 p.m. on Tuesday the U.S. envoy said “we are ready."
    begin, stop = sentence_around(text, text.index("Reeves"), text.index("Reeves"))
    assert text[begin:stop] == "Then Reeves spoke."
    assert sentence_around("no mark at all", 3, 5) == (0, len("no mark at all"))


def test_sentence_around_ignores_line_breaks_without_a_mark() -> None:
    text = "Nilsen said\n“It ends in 2028.” Done."  # an opening quote after the line break: still one sentence
    assert sentence_around(text, text.index("“"), text.index("”") - 1) == (0, text.index("”"))


@settings(max_examples=examples(400), deadline=None)
@given(_texts(".!?\"'”’“ AZab\n"), st.integers(0, 60), st.integers(0, 60))
def test_sentence_around_matches_mentions_where_marks_and_closers_agree(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    if re.search(r"[.!?][\"'”’]{2}", text):  # two closers in a row: mentions used to allow one only
        return
    old_begin = max((m.end() for m in _OLD_MENTIONS.finditer(text, 0, start + 1)), default=0)
    following = _OLD_MENTIONS.search(text, end)
    assert sentence_around(text, start, end) == (old_begin, following.start() + 1 if following else len(text))


def test_ends_like_sentence_is_the_last_character() -> None:
    assert ends_like_sentence("It rained.") and ends_like_sentence("(Reuters)") and ends_like_sentence("“Go”")
    assert not ends_like_sentence("Read more") and not ends_like_sentence("") and not ends_like_sentence("x. ")


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="ab .!?…\"”’')]( ", max_size=12))
def test_ends_like_sentence_is_what_cleaning_tested(line: str) -> None:
    assert ends_like_sentence(line) == bool(_OLD_CLEANING.search(line))


def test_marks_and_closers_are_the_regexes_classes() -> None:
    for mark in sentences.MARKS:
        closed = mark + sentences.CLOSERS
        assert sentences.END.fullmatch(closed) is None  # needs white space after
        assert [m.end() for m in sentences.END.finditer(f"a{closed} b")] == [1 + len(closed)]


def test_scoring_sentences_follow_the_published_convention() -> None:
    text = "U.S. Treasury Secretary Scott Bessent spoke on Monday. Mr. Greer agreed."
    assert scoring_sentences(text) == ["U.S. Treasury Secretary Scott Bessent spoke on Monday.", "Mr. Greer agreed."]
    assert split(text)[0] == "U.S."  # the grounding splitter does not know abbreviations


def test_scoring_sentences_keep_abbreviations_together() -> None:
    text = "U.S. Treasury Secretary Scott Bessent spoke on Monday. Mr. Greer agreed. Talks end today."
    assert scoring_sentences(text) == [
        "U.S. Treasury Secretary Scott Bessent spoke on Monday.",
        "Mr. Greer agreed.",
        "Talks end today.",
    ]
