"""``summariser gold check`` and ``gold init``, and ``eval``'s refusal of unreviewed gold, as real subprocesses.

A gold folder is made from the Rotterdam briefing (`helpers.briefings`) with its article on
disk and every evidence span located in it, so that a clean folder checks clean and each
fault added to it is one line naming the file and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.briefings import ARTICLE, gold_briefing
from helpers.cli import assert_clean_failure, run

from summariser.ingest.read import load_sources
from summariser.output.render import to_json
from summariser.schemas import UNREVIEWED, Briefing, Evidence, SourceRef


def located_briefing(root: Path) -> Briefing:
    """The Rotterdam gold briefing, its source the article file ``root/articles/port.txt``, every name located."""
    article = root / "articles" / "port.txt"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(ARTICLE, encoding="utf-8")
    (read,) = load_sources([str(article)])
    briefing = gold_briefing()
    briefing.sources = [SourceRef(doc_id=read.id, title="Port strike ends", path=str(article))]
    for person in briefing.people:
        at = read.text.index(person.name)
        person.evidence = [
            Evidence(doc_id=read.id, start=at, end=at + len(person.name), quote=person.name, match="exact")
        ]
    return briefing


def gold_folder(root: Path) -> Path:
    gold = root / "gold"
    gold.mkdir()
    (gold / "port.json").write_text(to_json(located_briefing(root)), encoding="utf-8")
    (gold / "sources.yaml").write_text("# the articles\nport:\n  - articles/port.txt\n", encoding="utf-8")
    return gold


def test_a_clean_gold_folder_checks_clean(tmp_path: Path) -> None:
    result = run("gold", "check", str(gold_folder(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and "1 gold file, no problems" in result.stderr


def test_every_problem_is_one_line_and_the_exit_is_non_zero(tmp_path: Path) -> None:
    gold = gold_folder(tmp_path)
    data = json.loads((gold / "port.json").read_text(encoding="utf-8"))
    data["people"][1]["evidence"][0]["start"] += 1  # off by one
    data["organisations"][0]["evidence"] = [
        {"doc_id": "elsewhere", "start": 0, "end": 3, "quote": "abc", "match": "exact"}
    ]
    (gold / "port.json").write_text(json.dumps(data), encoding="utf-8")
    (gold / "broken.json").write_text('{"headline": 3}', encoding="utf-8")
    (gold / "sources.yaml").write_text("port: [articles/port.txt]\nghost: [articles/none.txt]\n", encoding="utf-8")
    result = run("gold", "check", str(gold))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert any("broken.json: not a valid briefing: headline" in line for line in lines)
    assert any("broken.json: " in line and "has no entry for it" in line for line in lines)
    assert any("people[1] 'Pieter de Vries'" in line and "should quote 'Pieter de Vries'" in line for line in lines)
    assert any("organisations[0] 'Portvale'" in line and "not among its sources" in line for line in lines)
    assert any("sources.yaml: names ghost, but there is no ghost.json" in line for line in lines)
    assert result.stderr.startswith("error: ") and "problems in" in result.stderr
    as_json = run("gold", "check", str(gold), "--json")
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and report["checked"] == 2 and len(report["problems"]) == len(lines)


def test_an_article_that_changed_since_the_gold_was_made_is_a_problem(tmp_path: Path) -> None:
    gold = gold_folder(tmp_path)
    (tmp_path / "articles" / "port.txt").write_text(ARTICLE.replace("Tuesday", "Wednesday"), encoding="utf-8")
    result = run("gold", "check", str(gold))
    assert result.returncode == 1 and "an article changed since the gold was made" in result.stdout


def test_gold_init_drafts_unreviewed_gold_that_eval_refuses_unless_allowed(tmp_path: Path) -> None:
    briefings = tmp_path / "briefings"
    (briefings / "desk").mkdir(parents=True)
    (briefings / "desk" / "port.json").write_text(to_json(located_briefing(tmp_path)), encoding="utf-8")
    (briefings / "notes.json").write_text("{}", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "sources.yaml").write_text("# kept\n", encoding="utf-8")
    made = run("gold", "init", str(briefings), str(gold), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert f"wrote {gold / 'desk__port.json'} (unreviewed)" in made.stdout and "skipped" in made.stdout
    draft = Briefing.model_validate_json((gold / "desk__port.json").read_bytes())
    assert draft.meta is not None and draft.meta.notes == [UNREVIEWED]
    assert (gold / "sources.yaml").read_text(encoding="utf-8") == "# kept\ndesk__port:\n- articles/port.txt\n"
    again = run("gold", "init", str(briefings), str(gold), "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["written"] == []  # the draft is kept

    checked = run("gold", "check", str(gold))
    assert checked.returncode == 1 and "an unreviewed draft" in checked.stdout
    assert run("gold", "check", str(gold), "--allow-unreviewed").returncode == 0
    preds = tmp_path / "preds"
    preds.mkdir()
    (preds / "desk__port.json").write_bytes((briefings / "desk" / "port.json").read_bytes())
    assert_clean_failure(run("eval", "--gold", str(gold), "--pred", str(preds)), "unreviewed", "--allow-unreviewed")
    allowed = run("eval", "--gold", str(gold), "--pred", str(preds), "--allow-unreviewed", "--json", "-")
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["metrics"]["people.f1"] == 1.0
