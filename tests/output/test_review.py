"""The review page (`summariser.output.review`): rendered from a real grounded briefing and driven in a
real Chromium.

The briefing comes from summarise() against the scripted loopback server (so grounding is
the real code), the page is written by the real ``summariser review`` command, and the
browser test uses Debian's chromium through its chromedriver (Selenium). A screenshot of
the page after the click is saved to ``test-artifacts/review.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import cli
from helpers.browser import chromium
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.paths import ARTIFACTS
from helpers.scripted import ARTICLE, KESSEL, OTHER, entities, overview, run

from summariser.output.render import to_json
from summariser.output.review import render_review, segments
from summariser.schemas import Briefing, Evidence

#: A place the model "says" the event happened in that no source names: grounding drops it.
INVENTED = {"name": "Port Invented"}


@pytest.fixture
def briefing(tmp_path: Path) -> Briefing:
    """A merged, grounded briefing of two articles with one invented place dropped."""
    with FakeOpenAI() as server:
        server.push(
            entities([KESSEL]),
            Reply(200, completion(overview([], location=INVENTED["name"]))),
            entities([{"name": "Henrik Aalto", "role": "Transport Minister", "affiliation": None}]),
            Reply(
                200,
                completion(
                    overview(
                        [],
                        summary=[1, 4, 2],  # the talks, the traders, Kessel
                    )
                ),
            ),
        )
        return run(server, tmp_path, [ARTICLE, OTHER])


def review_file(briefing: Briefing, tmp_path: Path) -> Path:
    """Write the briefing JSON and turn it into a page with the real CLI command."""
    src = tmp_path / "briefing.json"
    src.write_text(to_json(briefing), encoding="utf-8")
    out = tmp_path / "page" / "review.html"
    result = cli.run("review", src, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_segments_cut_the_text_at_every_evidence_boundary() -> None:
    segs = segments("abcdefgh", [(1, 4, "a"), (3, 6, "b")])
    assert [(s.text, s.ev_ids) for s in segs] == [
        ("a", []),
        ("bc", ["a"]),
        ("d", ["a", "b"]),
        ("ef", ["b"]),
        ("gh", []),
    ]
    assert "".join(s.text for s in segs) == "abcdefgh"


def test_the_page_is_self_contained_and_keeps_the_source_text_intact(briefing: Briefing, tmp_path: Path) -> None:
    html = review_file(briefing, tmp_path).read_text(encoding="utf-8")
    assert " src=" not in html and " href=" not in html and "@import" not in html and "url(" not in html
    assert INVENTED["name"] in html  # the dropped place is listed
    assert html.count('class="source"') == 2


def test_source_text_is_escaped_and_misplaced_evidence_is_listed_not_highlighted(briefing: Briefing) -> None:
    src = briefing.sources[0]
    assert src.text is not None
    hostile = briefing.model_copy(deep=True)
    hostile.sources[0].text = src.text + "\n<script>alert(1)</script>"
    bad = Evidence(doc_id=src.doc_id, start=0, end=5, quote="not the text there", match="exact")
    hostile.summary[0].evidence = [bad]
    html = render_review(hostile)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evidence that does not fit its source" in html and "not the text there" in html


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


@pytest.mark.browser
def test_clicking_a_bullet_highlights_its_source_span_in_chromium(
    briefing: Briefing, tmp_path: Path, browser: object
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    page = review_file(briefing, tmp_path)
    browser.get(page.as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "#sources span.ev.active") == []

    bullet = briefing.summary[1]  # in the briefing's order: the second summary item on the page
    items = browser.find_elements(By.XPATH, "//h2[text()='Summary']/following-sibling::ul[1]/li")
    assert len(items) == len(briefing.summary) and bullet.text in items[1].text
    items[1].click()
    active = browser.find_elements(By.CSS_SELECTOR, "#sources span.ev.active")
    assert active, "clicking the bullet highlighted nothing"
    highlighted = "".join(el.text for el in active)
    assert highlighted.split() == " ".join(e.quote for e in bullet.evidence).split()
    (doc,) = {el.find_element(By.XPATH, "ancestor::article").get_attribute("id") for el in active}
    assert doc == f"doc-{bullet.evidence[0].doc_id}"
    assert "selected" in (items[1].get_attribute("class") or "")

    # Keyboard: Enter on a person moves the highlight to that person's mentions.
    person = browser.find_element(By.XPATH, "//h2[text()='People']/following-sibling::ul[1]/li[1]")
    person.send_keys(Keys.ENTER)
    names = {el.text for el in browser.find_elements(By.CSS_SELECTOR, "#sources span.ev.active")}
    assert names and all(briefing.people[0].name.split()[-1] in n for n in names)

    dropped = browser.find_element(By.ID, "dropped")
    assert INVENTED["name"] in dropped.text and "named in no source" in dropped.text

    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "review.png"))
