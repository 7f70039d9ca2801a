"""Item 1 of issue 14: no file, group or manifest name turns a link of the folder index into script.

Every href that ``index.html`` and ``index.md`` emit is parsed back (``html.parser``; the
Markdown links by their ``](…)`` syntax) and must be a relative URL — no scheme, no host, no
query, no fragment, not rooted — that resolves, from the index, to exactly the file it
names. Names are generated from a hostile alphabet (``javascript:``, ``data:``, ``//host``,
``\\\\host``, ``?``, ``#``, ``%``, quotes, ``<``, spaces, Unicode, undecodable bytes);
manifest ``files`` entries that are not plain relative paths get no link at all. End to end,
articles and a group with such names are built by ``regenerate`` and every link of the
index it writes opens a file that exists.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser.output.index import IndexRow, href, index_html, index_markdown
from summariser.regenerate import regenerate
from summariser.regenerate.paths import outputs

FAST = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
BASE = "file:///home/user/briefings/index.html"

_PIECES = ["javascript:", "JaVaScRiPt:", "data:text/html,", "vbscript:", "//host", "\\\\host", "\\", "?", "#", "%",
           "%2e%2e", '"', "'", "<", ">", "&", " ", "\t", "é", "→", "\u202e", "\U0001f600", "alert(1)", ":", ";", "=",
           "onmouseover=", "\udcff"]  # fmt: skip
segment = (
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(min_size=1, max_size=4)), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda s: s not in (".", "..") and "/" not in s and "\x00" not in s)
)
name = st.lists(segment, min_size=1, max_size=3).map("/".join)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for key, value in attrs if key == "href"]


def html_links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


def markdown_links(text: str) -> list[str]:
    return re.findall(r"(?<!\\)\]\(([^)]*)\)", text)


def target(link: str) -> bytes:
    """The file a link of the index opens, relative to the folder (as bytes: the file name's own)."""
    parts = urlsplit(link)
    assert parts.scheme == "" and parts.netloc == "" and parts.query == "" and parts.fragment == "", link
    assert not link.startswith(("/", "\\")) and ":" not in link.split("/")[0], link
    resolved = urlsplit(urljoin(BASE, link))
    assert resolved.scheme == "file" and resolved.netloc == "", link
    path = unquote_to_bytes(resolved.path)
    assert path.startswith(b"/home/user/briefings/"), link
    return path.removeprefix(b"/home/user/briefings/")


def check_page(rows: list[IndexRow]) -> None:
    """Every link of both index files is relative and opens one of the rows' files; the text cells link nothing."""
    page, md = index_html(rows), index_markdown(rows)
    linked = [f for row in rows for f in row.files if href(f) is not None]
    reviews = []
    for row in rows:
        first = next((f for f in row.files if f.endswith(".html")), None)
        if first is not None and href(first) is not None:
            reviews.append(first)
    assert sorted(target(link) for link in html_links(page)) == sorted(os.fsencode(f) for f in linked + reviews)
    assert sorted(target(link) for link in markdown_links(md)) == sorted(os.fsencode(f) for f in linked)
    assert "<script" not in page.lower() and "<img" not in page.lower()


@FAST
@given(names=st.lists(name, min_size=1, max_size=4, unique=True))
def test_every_index_link_is_relative_and_opens_the_file_it_names(names: list[str]) -> None:
    figures.record("security", "index_names", len(names))
    rows = [IndexRow(n, f"[click](javascript:alert({i}))", None, ["<b>x</b>"], outputs(n)) for i, n in enumerate(names)]
    check_page(rows)


@FAST
@given(files=st.lists(st.one_of(name, st.sampled_from(["../x.html", "/etc/passwd", "a//b.html", "./a.md", "", ".."]),
                                st.text(max_size=12)), max_size=6))  # fmt: skip
def test_manifest_files_that_are_not_plain_relative_paths_get_no_link(files: list[str]) -> None:
    figures.record("security", "index_manifest_files", len(files))
    files = [f for f in files if "\x00" not in f]
    check_page([IndexRow("b", "h", None, [], files)])
    for f in files:
        if any(part in ("", ".", "..") for part in f.split("/")):
            assert href(f) is None


def test_the_issue_examples_are_links_to_the_files() -> None:
    assert href("javascript:alert(document.domain).html") == "javascript%3Aalert%28document.domain%29.html"
    assert href("//evil.example/x.html") is None and href("/etc/passwd") is None and href("../x.html") is None
    rows = [IndexRow("javascript:alert(document.domain)", "h", None, [], outputs("javascript:alert(document.domain)"))]
    assert 'href="javascript:' not in index_html(rows) and "](javascript:" not in index_markdown(rows)


def test_regenerate_writes_an_index_whose_links_open_its_hostile_files(tmp_path: Path) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    (articles / "desk").mkdir(parents=True)
    names = ["javascript:alert(document.domain)", "data:text,x", "a#b?c%d", '" onmouseover="x', "<img src=x>", "é →"]
    text = "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd there. "
    for i, n in enumerate(names):
        (articles / f"{n}.txt").write_text(f"{text}Talks resume on day {i} of the strike at the port.", "utf-8")
    (articles / "desk" / "x.txt").write_text(text + "Talks resume on Friday at the port of Valdmar.", "utf-8")
    groups = tmp_path / "groups.yaml"
    groups.write_text('"javascript:alert(2)":\n  - desk/x.txt\n', encoding="utf-8")
    out.mkdir()
    # Relative POSIX paths (as a validated manifest holds), hostile only as URLs.
    orphan = {"inputs": {}, "prompts": {}, "schema_version": "x", "model": "m", "headline": "gone",
              "files": ["javascript:alert(3).html", "data:text,x.md", "a?b#c%2e%2e.json"]}  # fmt: skip
    (out / "manifest.json").write_text(json.dumps({"version": 1, "briefings": {"old": orphan}}), encoding="utf-8")
    with FakeOpenAI(responder=echo_answer) as server:
        report = regenerate(articles, out, model=f"{server.base_url}#echo", group_by="event", groups=groups)
    assert not report.failed and len(report.outcomes) == len(names) + 1
    figures.record("security", "index_names", len(names) + 1 + len(orphan["files"]))
    page, md = (out / "index.html").read_text("utf-8"), (out / "index.md").read_text("utf-8")
    links = html_links(page) + markdown_links(md)
    assert len(html_links(page)) == 4 * (len(names) + 2) and len(markdown_links(md)) == 3 * (len(names) + 2)
    for link in links:
        if not target(link).startswith(b"javascript:alert(3)") and not target(link).startswith((b"data:", b"a?b")):
            assert (out / os.fsdecode(target(link))).is_file(), link  # the orphan's files are not there
