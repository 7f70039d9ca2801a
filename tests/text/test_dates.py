"""Tests of summariser.text.dates: datelines, explicit and relative date mentions, the event date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.ingest.read import make_article
from summariser.text.dates import DateMention, event_date, find_date_mentions, find_timestamp, parse_timestamp

UTC = dt.UTC
# 2026-01-13 is a Tuesday; 2026-01-12 a Monday.
TUESDAY = dt.datetime(2026, 1, 13, 0, 52)
MONDAY = dt.datetime(2026, 1, 12, 18, 0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-01-13 00:52:00", dt.datetime(2026, 1, 13, 0, 52)),
        ("2026-01-13T00:52:00Z", dt.datetime(2026, 1, 13, 0, 52, tzinfo=UTC)),
        ("January 13, 2026", dt.datetime(2026, 1, 13)),
        ("Tuesday, 13 January 2026 08:00 GMT", dt.datetime(2026, 1, 13, 8, tzinfo=UTC)),
        (
            "13 January 2026, 08:00 (UTC+1)",
            dt.datetime(2026, 1, 13, 8, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        ("Published on 13 Jan. 2026 at 8 a.m.", dt.datetime(2026, 1, 13, 8)),
        ("Posted: 2026-01-13 | 08:00", dt.datetime(2026, 1, 13, 8)),
        ("  Updated: Jan 14, 2026  ", dt.datetime(2026, 1, 14)),
    ],
)
def test_parse_timestamp(line: str, expected: dt.datetime) -> None:
    parsed = parse_timestamp(line)
    assert parsed == expected
    assert parsed is not None and (parsed.utcoffset() is None) == (expected.utcoffset() is None)


@pytest.mark.parametrize(
    "line",
    [
        "Markets rose on Monday",
        "Updated 2 hours ago",
        "2026 was a record year",
        "January 13",  # no year: not a dateline
        "January 13, 2026: ministers meet in Washington",
        "February 30, 2026",
        "",
    ],
)
def test_not_a_timestamp(line: str) -> None:
    assert parse_timestamp(line) is None


def test_find_timestamp_looks_only_at_the_top() -> None:
    assert find_timestamp("Title\n\n2026-01-13 00:52:00\n\nBody.") == dt.datetime(2026, 1, 13, 0, 52)
    assert find_timestamp("A.\nB.\nC.\nD.\nE.\nF.\n2026-01-13") is None


def dates(text: str, published: dt.datetime | None = TUESDAY) -> list[tuple[str, dt.date, str]]:
    return [(m.text, m.date, m.kind) for m in find_date_mentions(text, published)]


@pytest.mark.parametrize(
    ("text", "said", "date"),
    [
        ("The deal was signed on January 12, 2026 in Rome.", "January 12, 2026", dt.date(2026, 1, 12)),
        ("The deal was signed on 12 January 2026 in Rome.", "12 January 2026", dt.date(2026, 1, 12)),
        ("The deal was signed on Jan. 12, 2026 in Rome.", "Jan. 12, 2026", dt.date(2026, 1, 12)),
        ("The deal was signed on Jan 12 in Rome.", "Jan 12", dt.date(2026, 1, 12)),
        ("The deal was signed on 2026-01-12 in Rome.", "2026-01-12", dt.date(2026, 1, 12)),
        ("The deal was signed on the 12th of January.", "12th of January", dt.date(2026, 1, 12)),
        ("It was signed on Monday, January 12, 2026.", "Monday, January 12, 2026", dt.date(2026, 1, 12)),
        ("The talks began on December 30.", "December 30", dt.date(2025, 12, 30)),  # nearest year
        ("The talks end on February 2.", "February 2", dt.date(2026, 2, 2)),
    ],
)
def test_explicit_dates(text: str, said: str, date: dt.date) -> None:
    assert dates(text) == [(said, date, "explicit")]


def test_explicit_dates_need_a_real_day_and_a_year_or_a_publication_date() -> None:
    assert dates("Due on February 30, 2026 or in March 2026.") == []
    assert dates("The talks began on December 30.", published=None) == []
    assert dates("Signed January 12, 2026.", published=None) == [("January 12, 2026", dt.date(2026, 1, 12), "explicit")]
    assert dates("Janet met Mayor Sun in 2026.") == []


@pytest.mark.parametrize(
    ("text", "published", "said", "date"),
    [
        ("Ministers met on Monday in Washington.", TUESDAY, "Monday", dt.date(2026, 1, 12)),
        ("Ministers met on Monday in Washington.", MONDAY, "Monday", dt.date(2026, 1, 12)),  # same day
        ("Ministers met last Monday.", TUESDAY, "last Monday", dt.date(2026, 1, 12)),
        ("Ministers met last Monday.", MONDAY, "last Monday", dt.date(2026, 1, 5)),
        ("Shares fell on Sunday night.", TUESDAY, "Sunday", dt.date(2026, 1, 11)),
        ("Wednesday's vote was close.", TUESDAY, "Wednesday", dt.date(2026, 1, 7)),
        ("Shares fell yesterday.", TUESDAY, "yesterday", dt.date(2026, 1, 12)),
        ("Shares fell the day before yesterday.", TUESDAY, "the day before yesterday", dt.date(2026, 1, 11)),
        ("Shares fell today.", TUESDAY, "today", dt.date(2026, 1, 13)),
        ("Shares fell earlier today.", TUESDAY, "earlier today", dt.date(2026, 1, 13)),
        ("The vote is tonight.", TUESDAY, "tonight", dt.date(2026, 1, 13)),
        ("Shares fell This morning.", TUESDAY, "This morning", dt.date(2026, 1, 13)),
    ],
)
def test_relative_days(text: str, published: dt.datetime, said: str, date: dt.date) -> None:
    assert dates(text, published) == [(said, date, "relative")]


@pytest.mark.parametrize(
    "text",
    [
        "Ministers meet next Monday.",
        "Ministers meet this coming week.",
        "Ministers meet this Monday.",
        "Replies are due by Friday.",
        "Markets close early on Fridays.",
        "Shares fell last week and last month.",
        "Shares may fall tomorrow.",
    ],
)
def test_future_or_vague_references_are_not_resolved(text: str) -> None:
    assert dates(text) == []


def test_relative_days_need_a_publication_date() -> None:
    assert dates("Ministers met on Monday and again yesterday.", published=None) == []


def test_publication_line_is_reported_as_published() -> None:
    text = "Ministers meet\n\n2026-01-13 00:52:00\n\nMinisters met on Monday. The next round is on January 20."
    found = find_date_mentions(text, TUESDAY)
    assert [(m.text, m.kind) for m in found] == [
        ("2026-01-13 00:52:00", "published"),
        ("Monday", "relative"),
        ("January 20", "explicit"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Monday Jan 12, 2026-01-13 yesterday today last next\n"))))
def test_mentions_are_ordered_spans_of_the_text(text: str) -> None:
    found = find_date_mentions(text, TUESDAY)
    assert all(text[m.start : m.end] == m.text for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_date_mention_is_frozen() -> None:
    mention = DateMention(dt.date(2026, 1, 12), 0, 6, "Monday", "relative")
    with pytest.raises(AttributeError):
        mention.start = 3  # type: ignore[misc]


def test_event_date_skips_title_and_timestamp() -> None:
    article = make_article(
        "Monday markets: dollar slips\n\n2026-01-13 00:52:00\n\nSummary:\n\n  • Dollar slips\n\n"
        "The dollar slipped yesterday after data showed slower growth. Officials meet on January 20."
    )
    assert article.title == "Monday markets: dollar slips"
    mention = event_date(article)
    assert mention is not None
    assert (mention.text, mention.date, mention.kind) == ("yesterday", dt.date(2026, 1, 12), "relative")
    assert article.text[mention.start : mention.end] == "yesterday"


def test_event_date_none_without_dates() -> None:
    assert event_date(make_article("Ministers met to discuss minerals.\nNo date is given.")) is None
    undated = make_article("Ministers met on Monday to discuss minerals.")  # no publication time: unresolved
    assert undated.published is None and event_date(undated) is None
