"""summariser.text.normalise: character folding, offset-keeping normalisation, words, stems, name keys."""

from __future__ import annotations

import re
import unicodedata

import pytest
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.text.names import after_possessive, strip_titles
from summariser.text.normalise import (
    _BLOCK,
    APOSTROPHE_END,
    APOSTROPHES,
    DASHES,
    POSSESSIVE_END,
    QUOTES,
    fold_chars,
    normalise,
    numbers,
    plain_key,
    stems,
    strip_accents,
    whole_word,
    words,
)
from summariser.text.stopwords import CONTENT_STOP_WORDS


def test_strip_accents_drops_combining_marks_only() -> None:
    assert strip_accents("Müller, São Paulo, Ærø") == "Muller, Sao Paulo, Ærø"  # Æ and ø are letters, not accents
    assert strip_accents("ﬁnance") == "finance"  # NFKD also splits ligatures


def test_fold_chars_makes_quotes_and_dashes_ascii() -> None:
    assert fold_chars("“José’s” plan — 2025–26 ‘deal’ «non»") == '"Jose\'s" plan - 2025-26 \'deal\' "non"'


def test_normalise_collapses_space_and_acronym_periods_and_maps_back() -> None:
    text = "The  U.S.\n“deal” — José’s"
    norm = normalise(text)
    assert norm.text == 'The US "deal" - Jose\'s'
    assert norm.lower == norm.text.lower()
    assert len(norm.origin) == len(norm.text)
    start = norm.lower.index("us")
    assert text[slice(*norm.span(start, start + 2))] == "U.S"  # the last period is dropped too: "U.S." → "US"
    start = norm.lower.index("jose")
    assert text[slice(*norm.span(start, start + 4))] == "José"


def test_normalise_keeps_periods_that_end_words() -> None:
    assert normalise("It ended. J. Smith left.").text == "It ended. J Smith left."
    assert normalise("  padded  ").text == "padded" and normalise("").text == ""


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="aéZ U.S.“”—’ \n\t1,", max_size=40))
def test_every_normalised_character_comes_from_its_origin(text: str) -> None:
    norm = normalise(text)
    assert len(norm.origin) == len(norm.text) == len(norm.lower)
    assert list(norm.origin) == sorted(norm.origin)
    for ch, i in zip(norm.text, norm.origin, strict=True):
        source = fold_chars(text[i])
        assert ch in source or (ch == " " and text[i].isspace()), (ch, text[i])
    assert norm.text == norm.text.strip() and "  " not in norm.text


def one_character_at_a_time(text: str) -> tuple[str, str, list[int]]:
    """`normalise` as it was written before it copied runs of ASCII whole: (text, lower, origin)."""
    chars: list[str] = []
    origin: list[int] = []
    last = ""
    for i, c in enumerate(text):
        c = c.translate(QUOTES).translate(DASHES)
        if c.isspace():
            if last and last != " ":
                chars.append(" ")
                origin.append(i)
                last = " "
            continue
        if c == "." and i > 0 and text[i - 1].isalpha() and (i < 2 or not text[i - 2].isalnum()):
            continue
        for d in unicodedata.normalize("NFKD", c):
            if not unicodedata.combining(d):
                chars.append(d)
                origin.append(i)
                last = d
    if last == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in chars), origin


#: Characters each branch of `normalise` sees: ASCII runs (the backtick folded), white space of both
#: kinds, periods, quotes, dashes, accents and combining marks, a character whose lower case is longer
#: ("İ"), a final sigma, one whose NFKD holds a space ("¨") or a period ("․").
_NORMALISED = "aZ 1`.,'\n\t\x1c\xa0\u3000“”—’éİΣς¨․\u0301ﬁ"


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=_NORMALISED, max_size=60) | st.text(max_size=60))
def test_normalise_is_the_one_character_at_a_time_fold(text: str) -> None:
    norm = normalise(text)
    assert (norm.text, norm.lower, list(norm.origin)) == one_character_at_a_time(text)


def test_normalise_is_the_same_across_its_blocks() -> None:
    """Past `_BLOCK` characters, long runs of ASCII and of accents, and a block of ASCII beside one beyond it."""
    text = ("The U.S. deal.  " * 5000) + ("Société Générale ΣΑΣ. " * 4000) + "x" * 70_000 + " İ."
    norm = normalise(text)
    assert len(text) > 3 * _BLOCK
    assert (norm.text, norm.lower, list(norm.origin)) == one_character_at_a_time(text)


def test_words_keep_possessives_and_numbers_whole() -> None:
    found = words("France's GDP rose 1,200.5 points — 3 times")
    assert found == ["France's", "GDP", "rose", "1,200.5", "points", "3", "times"]


def test_stems_leave_out_stop_words_numbers_and_possessives() -> None:
    assert stems("The ministers said France’s exports rose 12%") == frozenset({"minist", "franc", "export", "rose"})
    assert stems("said the of") == frozenset()
    assert "said" in CONTENT_STOP_WORDS and stems("Café") == stems("Cafe")


def test_numbers_drop_thousands_separators_and_final_periods() -> None:
    assert numbers("It cost $1,000 in 2025, up 3.5% from 7.") == {"1000", "2025", "3.5", "7"}


def test_plain_key_of_names_and_labels() -> None:
    assert plain_key("François-Philippe  Champagne’s") == "francois philippe champagne"
    assert plain_key("the U.S. Treasury's") == "the u s treasury"
    assert plain_key("Rio Tinto`s") == "rio tinto"
    assert plain_key("  ") == ""


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_one_spelling_of_a_possessive_for_every_reader_of_names(apostrophe: str) -> None:
    owner = f"Australia{apostrophe}s"
    assert POSSESSIVE_END.search(owner) and APOSTROPHE_END.sub("", owner) == "Australia"
    assert after_possessive(f"{owner} Treasurer Jim Chalmers") == ["Treasurer", "Jim", "Chalmers"]
    assert strip_titles(f"{owner} Treasurer Jim Chalmers") == "Jim Chalmers"
    assert plain_key(f"{owner} exports") == "australia exports"
    plural = f"Reuters{apostrophe}"  # the bare apostrophe of a plural: cleaned off a name, owns no title
    assert APOSTROPHE_END.sub("", plural) == "Reuters" and POSSESSIVE_END.search(plural) is None


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=30))
def test_plain_key_is_what_names_fold_was(text: str) -> None:
    import re

    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[’'`]s\b", "", plain)
    assert plain_key(text) == " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def test_normalise_folds_marks_and_keeps_offsets() -> None:
    text = "The  U.S. “deal” — José’s"
    norm = normalise(text)
    assert norm.lower == 'the us "deal" - jose\'s'
    start = norm.lower.index("jose")
    assert text[slice(*norm.span(start, start + 4))] == "José"


def test_one_whole_word_matcher_three_ways_of_joining_words() -> None:
    text = "Ford-Smith and Ford's son met Ford; it's late"

    def at(needle: str, joiners: str | None = None) -> list[int]:
        found = whole_word(needle) if joiners is None else whole_word(needle, joiners=joiners)
        return [m.start() for m in found.finditer(text)]

    assert at("Ford") == [15, 30]  # a hyphenated name is one word
    assert at("Ford", APOSTROPHES) == [0, 30]  # a possessive is one word
    assert at("Ford", "") == [0, 15, 30]  # word characters alone join
    assert at("it", APOSTROPHES) == [] and at("it", "") == [36]
    assert whole_word("ford", re.IGNORECASE).search("FORD") is not None


def test_a_territory_after_of_is_no_persons_name() -> None:
    assert strip_titles("Princess Eugenie of York") == "Eugenie"
    assert strip_titles("Duchess of Cambridge") == "Duchess of Cambridge"  # a title naming no one: kept whole
    assert strip_titles("Secretary of State John Kerry") == "John Kerry"
    assert strip_titles("Robert Earl Keen") == "Robert Earl Keen"  # a middle name, not a peer's title
