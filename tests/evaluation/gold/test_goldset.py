"""Gold articles briefed on the fly from ``sources.yaml`` (`summariser.evaluation.gold.sets`), with
`summarise` replaced by a stub that records what it was asked to brief.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.briefings import gold_briefing, write_set

import summariser.brief.pipeline
from summariser.config import Settings
from summariser.errors import InputError
from summariser.evaluation import evaluate, generate_predictions, load_gold
from summariser.schemas import Briefing


def test_gold_articles_are_briefed_from_sources_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gold_dir, _ = write_set(tmp_path / "project", {"port": gold_briefing()}, {})
    article = tmp_path / "articles" / "port.txt"
    article.parent.mkdir()
    article.write_text("Harbour workers in Rotterdam ended a strike.", encoding="utf-8")
    (gold_dir / "sources.yaml").write_text("port:\n  - ../articles/port.txt\n", encoding="utf-8")
    calls: list[list[str]] = []

    def record(paths: list[str], **_: Any) -> Briefing:
        calls.append(paths)
        return gold_briefing()

    monkeypatch.setattr(summariser.brief.pipeline, "summarise", record)
    gold = load_gold(gold_dir)
    saved = tmp_path / "made"
    raw = generate_predictions(gold, gold_dir, Settings(), save_to=saved)
    assert calls == [[str(tmp_path / "articles" / "port.txt")]]
    assert json.loads((saved / "port.json").read_text())["headline"] == gold_briefing().headline
    assert evaluate(gold_dir, raw, gold).metrics["people.f1"] == 1.0


def test_a_gold_name_missing_from_sources_yaml_fails_before_any_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_dir, _ = write_set(tmp_path, {"port": gold_briefing(), "other": gold_briefing()}, {})
    (gold_dir / "sources.yaml").write_text("port: [a.txt]\n", encoding="utf-8")
    monkeypatch.setattr(summariser.brief.pipeline, "summarise", lambda *a, **k: pytest.fail("briefed too early"))
    with pytest.raises(InputError, match="no entry for gold other"):
        generate_predictions(load_gold(gold_dir), gold_dir, Settings())
