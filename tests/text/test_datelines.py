"""Wire datelines are found at the start of a sentence, and nothing else is taken for one."""

from __future__ import annotations

import pytest

from summariser.text.datelines import dateline


@pytest.mark.parametrize(
    ("sentence", "rest", "place", "agency"),
    [
        ("ROTTERDAM, March 4 (Reuters) - Dock workers walked out.", "Dock workers walked out.", "ROTTERDAM", "Reuters"),
        ("LIMA, Peru (AP) — A magnitude 7.2 earthquake struck.", "A magnitude 7.2 earthquake struck.", "LIMA", "AP"),
        ("LONDON, Sept 18 — The High Court blocked the sale.", "The High Court blocked the sale.", "LONDON", None),
        ("MANCHESTER, England — Daniel Okoro scored.", "Daniel Okoro scored.", "MANCHESTER", None),
        ("(CNN) -- The police said on Monday.", "The police said on Monday.", None, "CNN"),
        ("NEW YORK, Jan. 5, 2024 (AP) — Stocks fell.", "Stocks fell.", "NEW YORK", "AP"),
        ("WASHINGTON (Reuters) - U.S. officials met.", "U.S. officials met.", "WASHINGTON", "Reuters"),
        ("(CNN)ESPN's Britt McHenry apologised.", "ESPN's Britt McHenry apologised.", None, "CNN"),
        ("Washington (CNN)They may not be aliens.", "They may not be aliens.", "Washington", "CNN"),
    ],
)
def test_a_dateline_is_cut_off_its_sentence(sentence: str, rest: str, place: str | None, agency: str | None) -> None:
    found = dateline(sentence)
    assert found is not None
    assert sentence[found.end :] == rest
    assert (found.place, found.agency) == (place, agency)


@pytest.mark.parametrize(
    "sentence",
    [
        "US - China talks resumed on Monday.",
        "The U.S. - China talks resumed.",
        "Dock workers walked out on Monday.",
        "NATO - the alliance said it would meet.",
        "BREAKING: the minister resigned.",
        "LONDON is expensive - everyone says so.",
        "Apple (AAPL) - shares rose on Monday.",
        "Paris (AFP) said the talks failed.",
        "(Reuters) said the talks failed.",
    ],
)
def test_no_dateline_is_found_where_there_is_none(sentence: str) -> None:
    assert dateline(sentence) is None
