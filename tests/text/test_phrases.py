"""`summariser.text.phrases`: capitalised phrases, and where a text writes a word (`Words`, `only_at`)."""

from __future__ import annotations

import re

import pytest

from summariser.text.phrases import Words, capitalised_phrases, only_at

TEXT = (
    "U.S. officials met Geo-Tech staff. Like many, the U.S. side liked it. Geo-Tech's U.S.A. office; Ford-Smith, Ford."
)


def scanned(text: str, word: str) -> list[int]:
    """The whole-word offsets by a scan of the text: what `Words` finds from its index."""
    return [m.start() for m in re.finditer(rf"(?<![\w’']){re.escape(word)}(?![\w’'])", text)]


@pytest.mark.parametrize(
    "word", ["U.S.", "U.S", "Geo-Tech", "Geo", "Ford", "Ford-Smith", "Like", "like", "Tech", "x", "(U"]
)
def test_words_finds_a_word_where_a_scan_of_the_text_would(word: str) -> None:
    assert Words(TEXT).offsets(word) == scanned(TEXT, word)


def test_words_does_not_find_a_word_inside_a_longer_one() -> None:
    words = Words("Stamford and Stam; Stam's boat")
    assert words.offsets("Stam") == [13]  # "Stam's" is one word: an apostrophe binds, as in "O'Neill"
    assert words.offsets("Stamf") == []


def test_only_at_says_whether_a_word_is_written_only_at_the_offsets() -> None:
    text = "Dock workers struck. The dock was shut. Dock pay fell."
    words = Words(text)
    assert only_at(words, "Dock", {0, 40})
    assert not only_at(words, "Dock", {0})
    assert not only_at(words, "Rotterdam", {0})  # a word the text never writes says nothing


def test_a_capital_that_only_opens_sentences_is_not_a_phrase_but_the_name_after_it_is() -> None:
    text = "Late Okoro goal wins it. Late on, the Port of Rotterdam shut."
    starts = {0, 25}
    phrases = [p for p, _ in capitalised_phrases(text, starts)]
    assert "Okoro" in phrases and "Port of Rotterdam" in phrases
    assert not any(p.startswith("Late") for p in phrases)
    assert phrases == [p for p, _ in capitalised_phrases(text, starts, Words(text))]
