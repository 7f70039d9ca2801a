"""The format parsers (`summariser.ingest.formats`), through `load_source`: what each fixture format
gives as articles (Markdown, HTML, JSON, JSON Lines).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import paths
from helpers.articles import only

from summariser.ingest.read import load_source
from summariser.text.dates import event_date

FIXTURES = paths.FIXTURES / "articles"
UTC = dt.UTC


def test_markdown_fixture_loses_its_syntax() -> None:
    article = only(FIXTURES / "harbour_fees.md")
    text = article.text
    assert article.title == "Valdmar cuts harbour fees to win back shipping lines"
    assert article.published == dt.datetime(2026, 2, 4)
    assert text.startswith("Valdmar cuts harbour fees to win back shipping lines\n\nPublished: 4 February 2026")
    for syntax in ("#", "**", "](", "![", "`", "cranes.jpg", "> "):
        assert syntax not in text
    assert "The Valdmar Port Authority said yesterday that it would cut harbour fees by 12%" in text
    assert "- Fees for vessels over 300 metres fall by a fifth." in text
    assert "“We have to compete on price as well as on speed,” port director Anneli Ross said." in text
    mention = event_date(article)
    assert mention is not None and mention.date == dt.date(2026, 2, 3)


def test_html_fixture_keeps_the_article_and_drops_the_page() -> None:
    article = only(FIXTURES / "port_strike.html")
    text = article.text
    assert article.title == "Port strike halts grain exports"
    assert article.published == dt.datetime(2026, 3, 10, 7, 15, tzinfo=UTC)
    assert text.startswith("Port strike halts grain exports\n")
    assert "walked off the job on Monday, halting grain shipments" in text
    assert "Grain traders warned that a prolonged stoppage could push up wheat prices" in text
    for junk in ("Trending", "Oil slips", "Cookie settings", "Privacy", "All rights reserved", "Home"):
        assert junk not in text
    mention = event_date(article)
    assert mention is not None and mention.date == dt.date(2026, 3, 9)


def test_json_fixture() -> None:
    article = only(FIXTURES / "rail_tender.json")
    assert article.title == "Northline rail tender draws four bidders"
    assert article.published == dt.datetime(2026, 2, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert "Advertisement" not in article.text and article.removed == ("Advertisement",)
    assert "Four consortia submitted bids on Tuesday" in article.text
    mention = event_date(article)
    assert mention is not None and mention.date == dt.date(2026, 2, 17)


def test_jsonl_fixture_gives_two_articles() -> None:
    first, second = load_source(FIXTURES / "wires.jsonl")
    assert first.title == "Lanmore council approves flood barrier"  # given, "body" key
    assert first.published == dt.datetime(2026, 1, 20)
    assert first.text.startswith("Lanmore city council approved a 40-million-euro flood barrier")
    assert second.title == "Kessbrook airport reopens runway"  # inferred from the first line
    assert second.published == dt.datetime(2026, 1, 22, 18, 40, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert first.id != second.id
    assert first.path == second.path == str(FIXTURES / "wires.jsonl")
    assert [m.date for m in map(event_date, (first, second)) if m] == [
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 22),
    ]


def test_markdown_front_matter_and_code_fences(tmp_path: Path) -> None:
    path = tmp_path / "note.markdown"
    path.write_text(
        '---\ntitle: "Ferry fares rise"\ndate: 2026-02-04T10:00:00Z\n---\n\n# Fares *up*\n\n'
        "Fares rise by 4% on the [Ess crossing](https://example.org).\n\n"
        "```\nraw code\n```\n\n***\n\n* snake_case stays\n",
        encoding="utf-8",
    )
    article = only(path)
    assert (article.title, article.published) == ("Ferry fares rise", dt.datetime(2026, 2, 4, 10, tzinfo=UTC))
    assert article.text == "Fares up\n\nFares rise by 4% on the Ess crossing.\n\nraw code\n\n- snake_case stays"
