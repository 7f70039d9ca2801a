"""Reading articles (`summariser.ingest.read`) from files, text or `Article` objects: plain text read and
cleaned, one id per text, a one-line error for every bad input, the title and publication time
inferred from the top lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest
from helpers import paths
from helpers.articles import only

from summariser.errors import InputError
from summariser.ingest.read import load_source, load_sources, make_article
from summariser.text.dates import event_date

FIXTURES = paths.FIXTURES / "articles"
UTC = dt.UTC


def sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "secret.txt", b"Text.")

    real_open = os.open

    def denied(name: object, *args: object, **kwargs: object) -> int:
        if os.fsdecode(name).endswith("secret.txt"):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)  # chmod 000 does not stop root
    with pytest.raises(InputError, match=r"secret\.txt cannot be read \(permission denied\)"):
        load_source(path)


def test_empty_text_and_wrong_type() -> None:
    with pytest.raises(InputError, match="the article text is empty"):
        load_source("   ")
    with pytest.raises(InputError, match="cannot read int objects"):
        load_source(42)  # type: ignore[arg-type]


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
