"""The edit mode stays inert on a hostile briefing: markup in every field is shown as text, in Chromium.

Every string of the briefing — headline, bullets, names, roles, quotes, themes, places, the
source title and text, the dropped items, the model's name and notes, the sources.yaml
paths — carries payloads that would run script if any of it reached the page as HTML
(closing the data block, an ``onerror`` image, an ``onload`` SVG). The page is opened, an
item edited and one added from a selection that follows an emoji (offsets are counted in
code points, as Python counts them), and saved: no payload ran, no element came from the
data, the saved file carries the payloads as text and passes ``summariser gold check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.briefings import gold_briefing
from helpers.browser import chromium, select_text, wait_for_file
from helpers.cli import run

from summariser.ingest.read import load_sources
from summariser.output.editing import EditPage
from summariser.output.review import render_review
from summariser.schemas import Briefing, BriefingMeta, Evidence, GroundingIssue, GroundingReport, Person

PAYLOADS = [
    "</script><script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "</style><script>window.__pwned = 4</script>",
]
NAME = "Zoë 🙂 Okafor"


def _hostile(i: int) -> str:
    return f"{PAYLOADS[i % len(PAYLOADS)]} x{i}"


def hostile_briefing(article: Path) -> Briefing:
    """`gold_briefing` with a payload in every string, and one located person after an emoji.

    Its source is ``article`` (written here), read as the pipeline reads it, so that its
    doc id and text are the ones ``gold check`` finds through ``sources.yaml``.
    """
    base = gold_briefing()
    article.write_text(
        f"{_hostile(0)}\n\n🙂🙂 The harbour spokesperson {NAME} said talks went on.\n\n{_hostile(1)}\n",
        encoding="utf-8",
    )
    (read,) = load_sources([str(article)])
    text, doc = read.text, read.id
    at = text.index(NAME)
    ev = Evidence(doc_id=doc, start=at, end=at + len(NAME), quote=NAME, match="exact")
    briefing = base.model_copy(deep=True)
    briefing.headline = _hostile(0)
    for i, point in enumerate(briefing.summary):
        point.text = _hostile(i)
    for i, person in enumerate(briefing.people):
        person.name, person.role, person.affiliation = _hostile(i), _hostile(i + 1), _hostile(i + 2)
    briefing.people.append(Person(name=NAME, role=_hostile(3), evidence=[ev]))
    for i, org in enumerate(briefing.organisations):
        org.name = _hostile(i)
    briefing.countries = [_hostile(i) for i in range(2)]
    for i, quote in enumerate(briefing.quotes):
        quote.text, quote.speaker = _hostile(i), _hostile(i + 1)
    briefing.themes = [_hostile(i) for i in range(3)]
    for i, implication in enumerate(briefing.implications):
        implication.text = _hostile(i)
    briefing.location = _hostile(2)
    briefing.sources[0].doc_id, briefing.sources[0].title, briefing.sources[0].text = doc, _hostile(3), text
    briefing.grounding = GroundingReport(
        dropped=[GroundingIssue(field="people", item=_hostile(1), reason=_hostile(2), closest=ev)]
    )
    briefing.meta = BriefingMeta(model=_hostile(0), notes=[_hostile(1)])
    return briefing


@pytest.mark.browser
def test_a_hostile_briefing_stays_inert_in_edit_mode(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    briefing = hostile_briefing(tmp_path / "article.txt")
    html = render_review(briefing, EditPage("hostile", [_hostile(2), _hostile(3)]))
    for payload in PAYLOADS:
        assert payload not in html
    assert html.count("<script") == 3  # the viewer, the data block, the edit mode
    page = tmp_path / "hostile.html"
    page.write_text(html, encoding="utf-8")
    downloads = tmp_path / "downloads"
    with chromium(downloads) as driver:
        driver.get(page.as_uri())
        pwned = "return [window.__pwned, document.querySelectorAll('img, svg, iframe, object').length]"
        assert driver.execute_script(pwned) == [None, 0]
        assert len(driver.find_elements(By.TAG_NAME, "script")) == 3
        assert driver.find_element(By.CSS_SELECTOR, "header h1").text == _hostile(0)
        person = driver.find_element(By.ID, "people-0")
        person.click()
        person.send_keys("e")
        role = person.find_element(By.CSS_SELECTOR, "input[name=role]")
        assert role.get_attribute("value") == _hostile(1)
        role.clear()
        role.send_keys(PAYLOADS[1], Keys.ENTER)
        assert PAYLOADS[1] in person.text
        select_text(driver, driver.find_element(By.ID, "sources"), NAME)
        driver.find_element(By.CSS_SELECTOR, "button[data-add=people]").click()
        driver.find_element(By.ID, "dropped-0").send_keys("r")
        assert driver.execute_script(pwned) == [None, 0]
        driver.find_element(By.ID, "save-gold").click()
        saved = wait_for_file(downloads / "hostile.json")
        assert driver.find_element(By.ID, "sources-line").text.strip().splitlines()[0] == "hostile:"
        assert driver.execute_script(pwned) == [None, 0]
    gold = Briefing.model_validate_json(saved.read_bytes())
    assert gold.people[0].role == PAYLOADS[1] and gold.headline == _hostile(0)
    added, restored = gold.people[-2:]
    text = briefing.sources[0].text
    assert text is not None
    assert added.name == NAME and [(e.start, e.end) for e in added.evidence] == [
        (text.index(NAME), text.index(NAME) + len(NAME))
    ]
    assert briefing.grounding is not None
    assert restored.name == _hostile(1) and restored.evidence == [briefing.grounding.dropped[0].closest]
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "hostile.json").write_bytes(saved.read_bytes())
    (folder / "sources.yaml").write_text("hostile: [article.txt]\n", encoding="utf-8")
    checked = run("gold", "check", str(folder))
    assert checked.returncode == 0, checked.stdout + checked.stderr
