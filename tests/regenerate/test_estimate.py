"""The dry run's token estimate (`summariser.regenerate.estimate`): per briefing and in all, what
the run then really sends, every part of a long article, cached requests at 0, nothing written.

The model is the deterministic echo stand-in (helpers.echo_model) behind a loopback server, or
the embedded models' recorded cassettes for the tokenizer's exact count.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.articles import long_article
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.paths import CASSETTES, FIXTURES
from helpers.regenerate import echo_url, three_articles

from summariser.brief.pipeline import plan_parts
from summariser.config import load_settings
from summariser.ingest.read import load_source
from summariser.llm.backends import resolve
from summariser.llm.tokens.counting import PromptCounter, request_cost
from summariser.regenerate import dry_run, regenerate
from summariser.regenerate.cost import PlanEstimate

NAMES = ["harbour_fees", "port_strike", "rail_tender"]
"""The briefings of `helpers.regenerate.three_articles`, in plan order."""


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


def estimate_of(articles: Path, out: Path, model: str, **options: object) -> PlanEstimate:
    """The estimate of a dry run of ``articles`` into ``out`` with ``model``."""
    plan = dry_run(articles, out, model=model, **options)  # type: ignore[arg-type]
    assert plan.estimate is not None
    return plan.estimate


def test_the_total_is_the_sum_of_the_briefings_and_grows_with_more_articles(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    three = estimate_of(articles, tmp_path / "out", echo_url(server))
    assert [e.name for e in three.briefings] == NAMES and not three.exact
    assert all(e.requests == 2 and e.cached == 0 and e.error is None for e in three.briefings)
    assert three.prompt_tokens == sum(e.prompt_tokens for e in three.briefings) > 0
    assert three.completion_tokens == sum(e.completion_tokens for e in three.briefings) > 0
    assert three.requests == 6 and three.as_dict()["prompt_tokens"] == three.prompt_tokens
    shutil.copy(FIXTURES / "articles" / "port_strike.html", articles / "port_strike_page.html")
    four = estimate_of(articles, tmp_path / "out", echo_url(server))
    added = next(e for e in four.briefings if e.name == "port_strike_page")
    assert four.prompt_tokens == three.prompt_tokens + added.prompt_tokens > three.prompt_tokens
    assert four.completion_tokens == three.completion_tokens + added.completion_tokens
    assert [e for e in four.briefings if e.name != "port_strike_page"] == three.briefings
    assert server.requests == [] and not (tmp_path / "out").exists()


def test_the_estimate_is_what_the_run_then_sends(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    estimate = estimate_of(articles, tmp_path / "out", echo_url(server))
    report = regenerate(articles, tmp_path / "out", model=echo_url(server), concurrency=1)
    assert len(report.outcomes) == 3 and not report.failed
    sent = [request_cost(PromptCounter(), r.body) for r in server.requests]
    assert len(sent) == estimate.requests
    assert sum(c.prompt for c in sent) == estimate.prompt_tokens
    assert sum(c.completion for c in sent) == estimate.completion_tokens
    # Briefing by briefing, in plan order (one at a time): the same prompts, the same bounds.
    per_briefing = [sum(c.total for c in sent[i : i + 2]) for i in range(0, len(sent), 2)]
    assert per_briefing == [e.total for e in estimate.briefings]


def test_an_article_too_long_for_the_context_counts_every_part(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", "16384")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hearing.txt").write_text(long_article(), encoding="utf-8")
    (article,) = load_source(folder / "hearing.txt")
    parts = plan_parts(article, resolve(echo_url(server)), load_settings())
    assert len(parts) == 2  # as the embedded model read it (the cassette of test_pipeline's long article)
    (hearing,) = estimate_of(folder, tmp_path / "out", echo_url(server)).briefings
    assert hearing.requests == 2 * len(parts)
    regenerate(folder, tmp_path / "out", model=echo_url(server))
    assert len(server.requests) == hearing.requests
    assert sum(request_cost(PromptCounter(), r.body).total for r in server.requests) == hearing.total


def test_with_the_embedded_model_the_prompt_tokens_are_the_models_own_count(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hearing.txt").write_text(long_article(), encoding="utf-8")
    estimate = estimate_of(folder, tmp_path / "out", "small")
    if not estimate.exact:
        pytest.skip("local:qwen2.5-0.5b is not assembled here (bash scripts/install.sh)")
    cassette = CASSETTES / "test_pipeline__test_article_longer_than_the_context_is_read_in_parts.json"
    recorded = json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    assert estimate.requests == len(recorded) == 4  # two parts, a kinds and an overview request each
    assert estimate.prompt_tokens == sum(i["response"]["body"]["usage"]["prompt_tokens"] for i in recorded)
    assert estimate.completion_tokens == sum(i["request"]["body"]["max_tokens"] for i in recorded)
    assert estimate.text().startswith(f"estimated ≤ {estimate.prompt_tokens:,} prompt + ≤ ")


def test_requests_the_response_cache_answers_cost_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    out = tmp_path / "briefings"
    regenerate(articles, out, model=echo_url(server))
    sent = len(server.requests)
    again = estimate_of(articles, out, echo_url(server), force=True)
    assert [(e.requests, e.cached, e.total) for e in again.briefings] == [(0, 2, 0)] * 3
    assert again.cached == 6 and "6 of 6 requests cached (0 tokens)" in again.text()
    (articles / "port_strike.txt").write_text("Dock workers in Valdmar ended their strike on Friday.", encoding="utf-8")
    changed = estimate_of(articles, out, echo_url(server))
    assert [(e.name, e.requests, e.cached) for e in changed.briefings] == [("port_strike", 2, 0)]
    off = estimate_of(articles, out, echo_url(server), force=True, settings=load_settings(cache="off"))
    assert off.cached == 0 and off.requests == 6
    assert len(server.requests) == sent


def test_a_dry_run_creates_no_response_cache(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    cache = load_settings().response_cache_dir()
    assert not cache.exists()
    estimate_of(articles, tmp_path / "out", echo_url(server))
    assert not cache.exists() and not (tmp_path / "out").exists()


def test_an_article_that_would_fail_is_reported_and_costs_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    (articles / "menu.txt").write_text("Soup\n\nBread\n\nCheese\n", encoding="utf-8")
    plan = dry_run(articles, tmp_path / "out", model=echo_url(server))
    assert plan.estimate is not None
    menu = next(e for e in plan.estimate.briefings if e.name == "menu")
    assert menu.requests == 0 and menu.total == 0 and menu.error is not None and "no sentence" in menu.error
    assert any(line.startswith("build  menu  (new)  — would fail: ") for line in plan.lines())
    assert plan.as_dict()["briefings"][1]["estimate"]["error"] == menu.error


def test_the_summary_says_what_a_budget_is_sure_to_cover(server: FakeOpenAI, tmp_path: Path) -> None:
    articles = three_articles(tmp_path)
    full = estimate_of(articles, tmp_path / "out", echo_url(server))
    first_two = full.briefings[0].total + full.briefings[1].total
    plan = dry_run(articles, tmp_path / "out", model=echo_url(server), max_tokens_total=first_two)
    assert plan.estimate is not None and plan.estimate.covered() == 2
    assert plan.summary() == (
        f"3 to build, 0 unchanged; estimated ~{full.prompt_tokens:,} prompt + ≤ {full.completion_tokens:,} "
        "completion tokens (prompt estimated from characters, 3 per token); "
        f"a budget of {first_two:,} is sure to cover the first 2 of 3 (dry run: nothing written)"
    )
    assert plan.as_dict()["estimate"]["covered"] == 2 and plan.as_dict()["estimate"]["budget"] == first_two
    assert dry_run(articles, tmp_path / "out", model=echo_url(server), estimate=False).estimate is None
