"""Cleaning article text (`summariser.ingest.cleaning`): junk lines, category labels and trailing
disclaimers out, idempotently — on hand-made text, the fixtures, generated text and the shared seeds.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import paths
from helpers.articles import only
from helpers.tiers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser.ingest.cleaning import clean_text
from summariser.ingest.read import load_source
from summariser.text.dates import event_date

FIXTURES = paths.FIXTURES / "articles"
SEEDS = paths.SEEDS


def test_clean_text_normalises_characters_and_whitespace() -> None:
    raw = "Cafe\u0301 owners\u200b protest\x07  \r\nSecond\u00ad line\t \r\r\n\n\n\nThird\u2028line\ufeff"
    text, removed = clean_text(raw)
    assert text == "Café owners protest\nSecond line\n\nThird\nline"
    assert removed == []


def test_clean_text_junk_lines_and_glued_junk() -> None:
    raw = (
        "Ferry fares rise\n\nFares rise by 4% from May.\nRead more »\nAdvertisement\n"
        "Read more: Fuel costs climb\n"
        "Back to top buttonThe operator blamed fuel costs.\n"
        "Sign up for our daily newsletter\nWe use cookies to improve your experience.\n"
        "Prices were last raised in 2024.Related Articles\n"
        "RELATEDNESS of fares and fuel is clear.\nSubscribe to the view that fares will keep rising, he said."
    )
    text, removed = clean_text(raw)
    assert text.split("\n") == [
        "Ferry fares rise",
        "",
        "Fares rise by 4% from May.",
        "",
        "The operator blamed fuel costs.",
        "Prices were last raised in 2024.",
        "RELATEDNESS of fares and fuel is clear.",
        "Subscribe to the view that fares will keep rising, he said.",
    ]
    assert removed == [
        "Read more »",
        "Advertisement",
        "Read more: Fuel costs climb",
        "Back to top button",
        "Sign up for our daily newsletter",
        "We use cookies to improve your experience.",
        "Related Articles",
    ]


def test_disclaimer_dropped_only_at_the_end() -> None:
    middle = "Not a recommendation to buy or sell, the regulator said of the fund's marketing."
    raw = f"Fund closes\n\n{middle}\n\nThe fund closed on Friday.\n\n© 2026 Harbour Daily. All rights reserved."
    text, removed = clean_text(raw)
    assert middle in text
    assert text.endswith("The fund closed on Friday.")
    assert removed == ["© 2026 Harbour Daily. All rights reserved."]
    # Single-newline paragraphs, two disclaimers in a row, a hard-wrapped one.
    raw = (
        "Prices rose.\nThe author has no securities in the companies named.\n"
        "This article is for informational purposes only and\ndoes not constitute investment advice."
    )
    assert clean_text(raw)[0] == "Prices rose."
    # Never the whole text.
    assert clean_text("All rights reserved.")[0] == "All rights reserved."


def test_category_label_only_above_a_title() -> None:
    assert clean_text("Forex\n\nDollar slips against the yen\n\nText.")[0] == "Dollar slips against the yen\n\nText."
    kept = "Forex\n\nThe dollar slipped against the yen on Monday."
    assert clean_text(kept)[0] == kept  # the next line is a sentence, not a title
    kept = "Update\n\n2026-01-13 00:52:00\n\nText."
    assert clean_text(kept)[0] == kept  # the next line is a timestamp, not a title


def test_clean_fixture_is_idempotent() -> None:
    for path in FIXTURES.iterdir():
        for article in load_source(path):
            assert clean_text(article.text) == (article.text, [])


NEWSY = st.sampled_from(
    [
        "Forex",
        "Dollar slips against the yen",
        "2026-01-13 00:52:00",
        "Summary:",
        "  • Allies back the plan",
        "Related Articles",
        "Back to top button",
        "Back to top buttonThe Treasury acted.",
        "Related",
        "Read more",
        "The meeting was held on Monday.",
        "Prices rose.Related Articles",
        "© 2026 Example News. All rights reserved.",
        "The author holds no licenses.",
        "Information for this story was found via the sources",
        "and companies.",
        "Sign up for our newsletter",
        "Click here to subscribe",
        "Advertisement",
        "",
        " ",
        "\t",
        "\u200b",
        "e\u0301",
        "\r",
        "\x0c",
        "A",
        "B c",
        "RELATED",
    ]
)


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NEWSY, st.sampled_from(["\n", "\n\n", "", " ", "\r\n", "\n\n\n"])), max_size=12))
def test_clean_text_is_idempotent_on_news_like_text(parts: list[tuple[str, str]]) -> None:
    once = clean_text("".join(piece + sep for piece, sep in parts))[0]
    assert clean_text(once)[0] == once


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_clean_text_is_idempotent_on_any_text(raw: str) -> None:
    once, _ = clean_text(raw)
    assert clean_text(once) == (once, [])
    assert "\r" not in once and "\u200b" not in once and once == once.strip("\n")


# --------------------------------------------------------------------------- the real seeds (optional)

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed articles are not available")


@needs_seeds
def test_seed_000() -> None:
    (path,) = SEEDS.glob("000_*.txt")
    article = only(path)
    assert article.published == dt.datetime(2026, 1, 13, 0, 52)
    mention = event_date(article)
    assert mention is not None and mention.date == dt.date(2026, 1, 12)
    for junk in ("Related Articles", "Back to top button", "The author holds no licenses"):
        assert junk not in article.text
    assert "2026-01-13 00:52:00" in article.text and article.title and article.title in article.text


@needs_seeds
def test_seed_003() -> None:
    (path,) = SEEDS.glob("003_*.txt")
    article = only(path)
    assert article.published is None
    assert event_date(article) is None
    assert "The US Treasury is elevating critical minerals" in article.text
    assert "The author holds no licenses" not in article.text
    assert article.text.endswith("“not an assured opportunity.”")


@needs_seeds
def test_seeds_glued_together_keep_the_glued_sentence() -> None:
    joined = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    text, removed = clean_text(joined)
    assert "\n\nThe US Treasury is elevating critical minerals" in text
    assert "Back to top button" in removed and "Back to top" not in text
    assert clean_text(text)[0] == text
