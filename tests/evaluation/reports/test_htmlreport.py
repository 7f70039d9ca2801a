"""eval's diff page (`summariser.evaluation.reports.html`): the score chart, and links back to review pages.

Every missing, extra and wrong item links to that briefing's review page at that item: the
link's target page exists, holds an element with the anchor's id, and that element shows
the item. The chart is inline SVG, one bar per metric (two beside a baseline).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers.briefings import gold_briefing, write_set
from helpers.cli import run

from summariser.schemas import Organisation

LINK = re.compile(r'<a href="([^"#]+)#([^"]+)"[^>]*>(.*?)</a>', re.S)


def _item_text(page: Path, anchor: str) -> str:
    """The text of the review page's element with id ``anchor``: an item (its label and detail), or the headline."""
    source = page.read_text(encoding="utf-8")
    found = re.search(rf'<(li|h1)[^>]* id="{re.escape(anchor)}"[^>]*>(.*?)</\1>', source, re.S)
    assert found, f"{page.name} has no item #{anchor}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(2)))


def test_missing_extra_and_wrong_items_link_to_their_review_pages(tmp_path: Path) -> None:
    gold = gold_briefing()
    pred = gold.model_copy(deep=True)
    del pred.people[1]  # Pieter de Vries: missing
    pred.organisations.append(Organisation(name="Rotterdam Harbour Board"))  # extra
    pred.people[0].role = "mayor"  # Maria Jansen: a wrong role
    gold_dir, pred_dir = write_set(tmp_path, {"port": gold}, {"port": pred})
    page = tmp_path / "report" / "diff.html"
    result = run("eval", "--gold", str(gold_dir), "--pred", str(pred_dir), "--html", str(page))
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    links = {(target, anchor, html.unescape(label)) for target, anchor, label in LINK.findall(text)}
    assert ("diff-pages/port.gold.html", "people-1", "Pieter de Vries") in links
    assert (
        "diff-pages/port.pred.html",
        f"organisations-{len(pred.organisations) - 1}",
        "Rotterdam Harbour Board",
    ) in links
    assert ("diff-pages/port.pred.html", "people-0", "Maria Jansen") in links
    for target, anchor, label in links:
        shown = _item_text(page.parent / target, anchor)
        assert " ".join(label.split()).strip("“”") in " ".join(shown.split()), (target, anchor, label)
    assert " src=" not in text and "http" not in text and "@import" not in text


def test_the_scores_are_a_chart_beside_the_baseline(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_set(tmp_path, {"port": gold_briefing()}, {"port": gold_briefing()})
    base = tmp_path / "base.json"
    assert run("eval", "--gold", str(gold_dir), "--pred", str(pred_dir), "--save-baseline", str(base)).returncode == 0
    page = tmp_path / "diff.html"
    result = run("eval", "--gold", str(gold_dir), "--pred", str(pred_dir), "--baseline", str(base), "--html", str(page))
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    (chart,) = re.findall(r'<svg class="chart".*?</svg>', text, re.S)
    bars = re.findall(r"<g><title>([^:]+):", chart)
    assert "people.f1" in bars and "summary.rougeLsum" in bars
    assert chart.count('class="now') == len(bars) and chart.count('class="base"') == len(bars)
