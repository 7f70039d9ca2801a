"""Item 7 of issue 24: text from models and sources is inert in every Markdown file the tool writes.

A model-written headline ``[x](javascript:alert(1)) <img src=x onerror=alert(1)>`` and the
themes were written raw into a briefing's ``.md``, and ``index.md`` carried a raw ESC byte
from a file name. Every Markdown writer now builds its lines with one escaper,
`summariser.output.markdown.text`. Generated hostile strings (links, images, raw HTML,
autolinks, code, emphasis, block markers, line breaks, entities, control characters, pipes)
fill every field of a briefing and every cell of the index; the output is parsed back with a
real CommonMark parser (markdown-it-py, with GFM tables and strikethrough) and must have
exactly the structure the same document has with a plain word in each field, show each
string as its text, and hold no control character. A real ``regenerate`` on articles whose
names carry escape sequences writes none into ``index.md`` or a briefing's ``.md``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST
from helpers.paths import FIXTURES
from helpers.regenerate import echo_url
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from summariser.output.index import IndexRow, index_markdown
from summariser.output.markdown import UNSAFE, text
from summariser.output.render import to_markdown
from summariser.regenerate import regenerate
from summariser.schemas import Briefing

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
FRAGMENTS = [
    "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "![i](http://e.example/x.png)", "<http://evil.example>",
    "<script>alert(1)</script>", "<!-- c -->", "<?php ?>", "<a href='x'>", "`code`", "``", "**b**", "*e*", "_e_",
    "__b__", "~~s~~", "~s~", "# ", "## ", " #", " ##", "> ", "- ", "+ ", "* ", "1. ", "2) ", "---", "===", "***",
    "_ _ _", "|", "| a | b |\n|---|---|", "\n", "\r\n", "\n\n", "\t", "    ", "\x1b[31m", "\x1b]8;;http://evil\x07",
    "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\u2028", "\x85", "\x0b", "&lt;", "&#106;", "&amp;", "&", "\\", "\\\n",
    "[x]: http://evil.example", "[^1]", "[ ]", "[x]", "]", "www.evil.example", "http://evil.example/a",
    "https://e.example", "mailto:a@b.example", "xmpp:a@b.example", "me@evil.example", "```", "~~~", "javascript:",
    "\ud800", "snake_case", "C#", "10:30", "St. Louis (U.S.)", "“quoted” — said",
]  # fmt: skip
HOSTILE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=5).map("".join)
HEADLINE = HOSTILE.filter(lambda s: len(s.split()) <= 16)
#: What a line of this document may never hold: a control character other than the line's own end.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(value: str) -> str:
    """What a renderer must show for ``value``: the string on one line, control characters as visible escapes."""
    line = re.sub("[ \t\n\r\x0b\x0c\x85\u2028\u2029]+", " ", value).strip()
    return UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", line
    )


def skeleton(document: str) -> list[Any]:
    """The document's structure as the parser sees it: every block and inline token, text merged, content left out."""
    out: list[Any] = []
    for token in MD.parse(document):
        out.append((token.type, token.tag, token.nesting))
        if token.children is not None:
            kids: list[tuple[str, str, int]] = []
            for child in token.children:
                kind = "text" if child.type in ("text", "text_special") else child.type
                if not (kind == "text" and kids and kids[-1][0] == "text"):
                    kids.append((kind, child.tag, child.nesting))
            out.append(tuple(kids))
    return out


def rendered_text(document: str) -> list[str]:
    """The text of every inline part of the document, as a renderer shows it."""
    return [
        "".join(c.content for c in t.children or [] if c.type in ("text", "text_special", "code_inline"))
        for t in MD.parse(document)
        if t.type == "inline"
    ]


def briefing(s: list[str]) -> Briefing:
    """A briefing with the strings ``s`` (in this order) in every text field the Markdown shows."""
    return Briefing.model_validate(
        {
            "headline": s[0],
            "location": s[1],
            "summary": [{"text": s[2]}, {"text": s[3]}],
            "people": [{"name": s[4], "role": s[5], "affiliation": s[6]}],
            "organisations": [{"name": s[7]}, {"name": s[8]}],
            "countries": [s[9]],
            "quotes": [{"text": s[10], "speaker": s[11]}],
            "themes": [s[12], s[13]],
            "implications": [{"text": s[14]}],
            "conflicts": [{"field": "event_date", "subject": s[15], "values": [
                {"value": s[16], "doc_ids": ["a"]}, {"value": "2026-01-02", "doc_ids": ["b"]}]}],
            "grounding": {"dropped": [{"field": "people", "item": s[17], "reason": s[18]}],
                          "ungrounded": [{"field": "quotes", "item": s[19], "reason": "x"}]},
            "sources": [{"doc_id": s[20], "title": s[21]}],
            "meta": {"model": s[22], "prompts": {"entities": "3"}},
        }
    )  # fmt: skip


FIELDS = 23


def plain(value: str) -> str:
    """The harmless stand-in of ``value`` in the reference document: a word, or nothing for a blank."""
    return "x" if shown(value) else ""


def check(document: str, reference: str, strings: list[str]) -> None:
    assert skeleton(document) == skeleton(reference), document
    assert not RAW_CONTROL.search(document), repr(document)
    document.encode("utf-8")  # writable as it is
    texts = "\n".join(rendered_text(document))
    for value in strings:
        assert shown(value) in texts, (value, document)


@FAST
@given(headline=HEADLINE, rest=st.lists(HOSTILE, min_size=FIELDS - 1, max_size=FIELDS - 1))
def test_hostile_text_in_every_briefing_field_renders_as_text(headline: str, rest: list[str]) -> None:
    strings = [headline, *rest]
    figures.record("security", "markdown_fields", FIELDS)
    document = to_markdown(briefing(strings))
    check(document, to_markdown(briefing([plain(s) for s in strings])), strings)


@FAST
@given(cells=st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=3, unique_by=lambda c: c[0]))
def test_hostile_names_headlines_and_sources_render_as_text_in_the_index(cells: list[tuple[str, str, str]]) -> None:
    figures.record("security", "markdown_index_cells", 3 * len(cells))
    cells = sorted(cells, key=lambda c: c[0])  # the index sorts by name: the reference's names keep that order
    rows = [IndexRow(n, h, None, [s], [f"b{i}.json"]) for i, (n, h, s) in enumerate(cells)]
    plain_rows = [IndexRow(f"n{i}", plain(h), None, [plain(s)], [f"b{i}.json"]) for i, (_, h, s) in enumerate(cells)]
    document = index_markdown(rows)
    reference = index_markdown(plain_rows)
    assert skeleton(document) == skeleton(reference), document
    assert not RAW_CONTROL.search(document), repr(document)
    texts = "\n".join(rendered_text(document))
    for name, headline, source in cells:
        for value in (name, headline, source):
            assert shown(value) in texts, (value, document)


def test_the_audited_headline_and_themes_are_no_link_and_no_html() -> None:
    attack = "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    strings = [attack] * FIELDS
    document = to_markdown(briefing(strings))
    kinds = {t.type for block in MD.parse(document) for t in [block, *(block.children or [])]}
    assert not kinds & {"link_open", "image", "html_inline", "html_block"}, document
    assert MD.render(document).count("<a ") == 0 and "<img" not in MD.render(document)


@pytest.mark.parametrize(
    "plain_text",
    ["Talks resume at 10:30 in St. Louis (U.S.) — union says 'no'.", "Inflation fell to 2.6 percent, down from 3.1!",
     "snake_case names, C# and 3.75 percent", "Ukraine's grain: 12 ships (3 loaded) wait; talks on Friday?"],
)  # fmt: skip
def test_ordinary_text_is_written_as_it_is(plain_text: str) -> None:
    assert text(plain_text) == plain_text


def test_a_regenerate_run_writes_no_control_character_into_markdown(tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    body = (FIXTURES / "articles" / "port_strike.txt").read_text(encoding="utf-8")
    names = ["a\x1b[31mred.txt", "b\x1b]8;;https:evil\x07link.txt", "c\u202eexe.txt", "[x](javascript:alert(1)).txt"]
    for name in names:
        (articles / name).write_text(body, encoding="utf-8")
    with FakeOpenAI(responder=echo_answer) as server:
        report = regenerate(articles, out, model=echo_url(server))
    assert report.failed == [] and len(report.outcomes) == len(names)
    figures.record("security", "markdown_index_cells", len(names))
    for md_file in out.glob("*.md"):
        document = md_file.read_text(encoding="utf-8")
        assert not RAW_CONTROL.search(document), (md_file.name, document)
        kinds = {t.type for block in MD.parse(document) for t in [block, *(block.children or [])]}
        assert not kinds & {"image", "html_inline", "html_block"}, document
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "\\x1b" in index and "\\u202e" in index  # shown, not obeyed


@pytest.mark.parametrize("unit", ["#", "&a", "_", "www.", "http:", "a@", "\x1b", "[", "1", "\n"])
def test_a_long_hostile_text_is_escaped_in_linear_time(unit: str) -> None:
    value = unit * (200_000 // len(unit)) + " x #"
    started = time.perf_counter()
    text(value)
    assert time.perf_counter() - started < 2.0
    figures.record("security", "hostile_sizes_timed")
