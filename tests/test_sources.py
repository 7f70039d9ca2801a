"""Tests of summariser.ingest (read, formats, limits, cleaning): building articles from every input kind."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.ingest import limits
from summariser.ingest.cleaning import clean_text
from summariser.ingest.read import load_source, load_sources, make_article
from summariser.schemas import Article
from summariser.text.dates import event_date

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
UTC = dt.UTC


def only(path: Path | str) -> Article:
    articles = load_source(path)
    assert len(articles) == 1
    return articles[0]


def sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- fixtures per format


def test_txt_fixture_is_cleaned_and_dated() -> None:
    path = FIXTURES / "port_strike.txt"
    article = only(path)
    text = article.text
    assert article.title == "Dockworkers walk out at Valdmar port, halting grain exports"
    assert article.published == dt.datetime(2026, 3, 10, 7, 15)
    assert article.path == str(path)
    assert article.id == sha16(text)
    # The title and the timestamp line stay (grounding cites them); the category label goes.
    assert text.startswith("Dockworkers walk out at Valdmar port, halting grain exports\n\n2026-03-10 07:15:00\n")
    assert "Markets" not in text.split("\n")
    # The site's own summary list stays.
    assert "Summary:\n\n  • Strike halts grain loading at the Valdmar terminal" in text
    # Junk lines go; the sentence glued to "Back to top button" stays, as its own paragraph.
    assert "Related Articles" not in text and "Back to top" not in text
    assert "\n\nThe port authority called the walkout unlawful" in text
    # The trailing disclaimer goes; a mid-text paragraph with a © stays.
    assert "The author holds no licenses" not in text and "Information for this story" not in text
    assert "Court filings marked © Valdmar Port Authority show" in text
    assert text.endswith("could push up wheat prices across the region.")
    assert article.removed[0] == "Markets"
    assert {"Related Articles", "Back to top button"} <= set(article.removed)
    assert article.removed[-1].startswith("Information for this story was found via")
    mention = event_date(article)
    assert mention is not None and mention.date == dt.date(2026, 3, 9) and mention.text == "Monday"


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


# --------------------------------------------------------------------------- one id per text

BODY = (
    "Lanmore opens new ferry terminal\n\n"
    "Lanmore opened its new ferry terminal on Friday, doubling passenger capacity on the Ess crossing.\n\n"
    "Mayor Ida Brenner said the terminal would handle 3 million passengers a year."
)


def test_same_text_same_id_whatever_the_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"title": "Other title", "content": BODY}), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"article": BODY}) + "\n", encoding="utf-8")
    (tmp_path / "d.md").write_text("# " + BODY, encoding="utf-8")
    (tmp_path / "e.txt").write_bytes(b"\xef\xbb\xbf" + BODY.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "f.news").write_text(BODY + "\n\nRelated Articles\n", encoding="utf-8")  # unknown suffix: text
    articles = load_sources([*sorted(tmp_path.iterdir()), BODY])
    assert len(articles) == 7
    assert {a.id for a in articles} == {sha16(BODY)}
    assert {a.text for a in articles} == {BODY}
    assert articles[1].title == "Other title"
    assert articles[-1].path is None


def test_load_sources_keeps_order_and_passes_articles_through(tmp_path: Path) -> None:
    ready = make_article("Already built.\nSecond line.")
    path = tmp_path / "x.txt"
    path.write_text("Ferry fares rise.", encoding="utf-8")
    articles = load_sources([ready, path, str(path), "Some article text.\nWith two lines."])
    assert articles[0] is ready
    assert [a.text for a in articles[1:]] == [
        "Ferry fares rise.",
        "Ferry fares rise.",
        "Some article text.\nWith two lines.",
    ]
    assert load_sources(str(path))[0].text == "Ferry fares rise."  # a lone str is not iterated


@pytest.mark.parametrize(
    ("value", "is_path"),
    [
        ("notes/missing.txt", True),
        ("missing.md", True),
        ("data/missing", True),
        ("Stocks fell 2% on Monday as investors weighed rate/inflation data.", False),
        ("Ferry fares rise", False),
        ("Line one\nline two.txt", False),
        ("x" * 1100 + ".txt", False),
    ],
)
def test_str_is_path_or_text(value: str, is_path: bool) -> None:
    if is_path:
        with pytest.raises(InputError, match=f"no such file: {value}; check the path"):
            load_source(value)
    else:
        assert load_source(value)[0].path is None


# --------------------------------------------------------------------------- bad inputs


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES = {
    "empty.txt": (b"", "is empty"),
    "blank.txt": (b"  \n\t\n \n", "is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    "noise.txt": (bytes(range(1, 9)) * 50 + b"\xc3\xa9" * 10, "binary"),
    "latin1.txt": (
        "Café prices rose on Monday.".encode("latin-1"),
        "not UTF-8 text (invalid byte at offset 3)",
    ),
    "utf16.txt": ("Hello".encode("utf-16"), "UTF-16"),
    "junk.txt": (b"Related Articles\n\nBack to top button\n", "no article text left"),
    "broken.json": (b'{"title": "x",', "is not valid JSON"),
    "deep.json": (b"[" * 100_000, "nested too deeply"),
    "deep_value.json": (
        b'{"text": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested too deeply",
    ),
    "notext.json": (b'{"title": "x", "summary": "y"}', '"text"'),
    "scalar.json": (b'"just a string"', "not a JSON object"),
    "emptylist.json": (b"[]", "holds no articles"),
    "badtitle.json": (b'{"title": 3, "text": "A sentence."}', '"title"'),
    "baddate.json": (b'{"text": "A sentence.", "published": "soonish"}', '"published"'),
    "badline.jsonl": (b'{"text": "ok"}\n\n{oops\n', "line 3 is not valid JSON"),
    "noline.jsonl": (b"\n\n", "is empty"),
    "nav.html": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main article text"),
    "nothing.html": (b"<html><body></body></html>", "no main article text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_line_input_error_naming_it(tmp_path: Path, name: str) -> None:
    data, expected = BAD_FILES[name]
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        load_source(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert expected in message
    assert ";" in message  # problem; fix


def test_latin1_message_says_how_to_convert(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin1.txt", "Café".encode("latin-1"))
    with pytest.raises(InputError, match="iconv -f latin1 -t utf-8"):
        load_source(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_source(tmp_path / "nope.txt")
    assert str(caught.value) == f"no such file: {tmp_path / 'nope.txt'}; check the path"
    with pytest.raises(InputError) as caught:
        load_source(tmp_path)
    assert str(caught.value) == f"{tmp_path} is a directory; pass the article files inside it, e.g. {tmp_path}/*.txt"


def test_too_large_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(limits.MAX_INPUT_BYTES + 1)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError, match=r"big\.txt is over the 20 MB input limit"):
        load_source(big)


def test_input_limit_is_a_module_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "a.txt", b"A short article of forty-odd bytes, really.")
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError, match=r"a\.txt is over"):
        load_source(path)
    with pytest.raises(InputError, match="the article text is over"):
        make_article("x" * 11)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "secret.txt", b"Text.")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # chmod 000 does not stop root
    with pytest.raises(InputError, match=r"secret\.txt cannot be read \(permission denied\)"):
        load_source(path)


def test_empty_text_and_wrong_type() -> None:
    with pytest.raises(InputError, match="the article text is empty"):
        load_source("   ")
    with pytest.raises(InputError, match="cannot read int objects"):
        load_source(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- clean_text


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


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NEWSY, st.sampled_from(["\n", "\n\n", "", " ", "\r\n", "\n\n\n"])), max_size=12))
def test_clean_text_is_idempotent_on_news_like_text(parts: list[tuple[str, str]]) -> None:
    once = clean_text("".join(piece + sep for piece, sep in parts))[0]
    assert clean_text(once)[0] == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_is_idempotent_on_any_text(raw: str) -> None:
    once, _ = clean_text(raw)
    assert clean_text(once) == (once, [])
    assert "\r" not in once and "\u200b" not in once and once == once.strip("\n")


# --------------------------------------------------------------------------- make_article


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Dollar slips against the yen", "Dollar slips against the yen"),
        ("The dollar slipped against the yen on Monday.", None),  # ends in a period
        (" ".join(["word"] * 21), None),  # too long
        ("2026-01-13 00:52:00", None),  # a timestamp
        ("• Allies back the plan", None),  # a bullet
    ],
)
def test_title_inference(first_line: str, title: str | None) -> None:
    assert make_article(f"{first_line}\n\nBody text here.").title == title


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("2026-01-13 00:52:00", dt.datetime(2026, 1, 13, 0, 52)),
        ("2026-01-13T00:52:00Z", dt.datetime(2026, 1, 13, 0, 52, tzinfo=UTC)),
        ("January 13, 2026", dt.datetime(2026, 1, 13)),
        (
            "Jan 13, 2026 8:00 AM ET",
            dt.datetime(2026, 1, 13, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ),
        ("Published: 13 January 2026", dt.datetime(2026, 1, 13)),
        ("Updated Jan 14, 2026", dt.datetime(2026, 1, 14)),
    ],
)
def test_published_inference(line: str, published: dt.datetime) -> None:
    article = make_article(f"Dollar slips against the yen\n\n{line}\n\nThe dollar slipped on Monday.")
    assert article.published == published
    assert (article.published.utcoffset() is None) == (published.utcoffset() is None)
    assert line in article.text


def test_published_prefers_published_over_updated_and_never_guesses() -> None:
    text = "Title here\nUpdated: 14 January 2026\nPublished: 13 January 2026\n\nBody."
    assert make_article(text).published == dt.datetime(2026, 1, 13)
    assert make_article("Title here\n\nThe dollar slipped on Monday.").published is None
    assert make_article("Title\n\n" + "Para.\n" * 8 + "2026-01-13 00:52:00").published is None  # not near the top


def test_given_title_and_published_win() -> None:
    when = dt.datetime(2026, 1, 1, tzinfo=UTC)
    article = make_article("Inferred title\n\n2026-01-13\n\nBody.", title="  Given   title ", published=when)
    assert (article.title, article.published) == ("Given title", when)


def test_make_article_on_junk_only_text() -> None:
    with pytest.raises(InputError, match="no article text left"):
        make_article("Related Articles\nBack to top button", path="page.txt")


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
