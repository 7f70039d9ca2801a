"""The summary benchmark (`summariser.evaluation.dataset`), with `summarise` replaced by a stub.

The stub stands in for the model so the tests are fast and offline; what is tested is the
evaluator's handling: reading the dataset, Lead-3, ROUGE against the reference, and failures
counted rather than fatal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.briefings import gold_briefing

import summariser.brief.pipeline
from summariser.config import Settings
from summariser.errors import ConfigError, ValidationFailed
from summariser.evaluation import lead3, read_dataset, run_dataset
from summariser.schemas import Article, Briefing, SummaryPoint

ARTICLES = [
    {
        "id": "good",
        "article": "Mr. Smith won the U.S. race on Sunday. He thanked voters. Turnout was high. Rivals conceded later.",
        "reference": "Smith won the race on Sunday . Turnout was high .",
    },
    {
        "id": "broken",
        "article": "The council met. It voted to close the library. Residents protested. The mayor resigned.",
        "reference": "The council voted to close the library .",
    },
]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ARTICLES) + "\n", encoding="utf-8")
    return path


#: What the stub's validation failure carries (`ValidationFailed.details`).
FAILED_DATA: dict[str, Any] = {
    "attempts": 3,
    "usage": {"prompt_tokens": 30, "completion_tokens": 9, "total_tokens": 39},
    "last_answer": '{"summary": []}',
}


def fake_summarise(sources: Any, **_: Any) -> Briefing:
    article = sources if isinstance(sources, Article) else None
    if article is not None and "council" in article.text:
        raise ValidationFailed("the model's answer never validated (summary: too short)", **FAILED_DATA)
    briefing = gold_briefing()
    briefing.summary = [
        SummaryPoint(text="Smith won the race on Sunday."),
        SummaryPoint(text="Turnout was high."),
        SummaryPoint(text="Rivals conceded."),
    ]
    return briefing


def test_lead3_takes_the_first_three_sentences_keeping_abbreviations() -> None:
    assert lead3(ARTICLES[0]["article"]) == [
        "Mr. Smith won the U.S. race on Sunday.",
        "He thanked voters.",
        "Turnout was high.",
    ]


def test_read_dataset_honours_the_limit(dataset: Path) -> None:
    assert [row.id for row in read_dataset(dataset, limit=1)] == ["good"]
    assert len(read_dataset(dataset)) == 2


def test_failures_are_counted_and_lead3_is_scored_on_the_same_articles(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summariser.brief.pipeline, "summarise", fake_summarise)
    seen: list[tuple[int, str, bool | None]] = []
    report = run_dataset(
        dataset, Settings(), on_article=lambda i, n, r, a: seen.append((i, a, None if r is None else r.ok))
    )
    assert (report.scored, report.failures) == (1, 1)
    broken = report.articles[1]
    assert not broken.ok and broken.error is not None and broken.error.startswith("ValidationFailed")
    assert broken.error_details == FAILED_DATA  # in the report's JSON (``eval --json``) too
    assert json.loads(report.model_dump_json())["articles"][1]["error_details"] == FAILED_DATA
    assert report.articles[0].error_details is None
    assert broken.lead3  # Lead-3 is scored on every article read
    good = report.articles[0]
    assert good.ok and good.model["rouge1"] > good.lead3["rouge1"]  # the stub's summary is the reference
    assert report.model_rouge == good.model and report.lead3_rouge == good.lead3
    assert report.lead3_all_rouge["rouge1"] == pytest.approx(
        (good.lead3["rouge1"] + broken.lead3["rouge1"]) / 2, abs=1e-4
    )
    assert report.metrics["success_rate"] == 0.5 and report.metrics["model.rougeLsum"] == good.model["rougeLsum"]
    assert seen == [(0, "good", None), (0, "good", True), (1, "broken", None), (1, "broken", False)]


def test_an_error_that_would_fail_every_article_stops_the_run(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(*_: Any, **__: Any) -> Briefing:
        raise ConfigError("unknown model 'nope'")

    monkeypatch.setattr(summariser.brief.pipeline, "summarise", no_model)
    with pytest.raises(ConfigError):
        run_dataset(dataset, Settings())
