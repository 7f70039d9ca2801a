"""The build (`summariser.regenerate.run`) under a token budget: a budget that allows exactly k
briefings builds k and leaves the rest for the next run, which finishes them without rebuilding any.

The model bills every request its worst case (helpers.budget.worst_case over the echo stand-in),
so a run spends exactly what its dry run estimated.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.budget import billed, budget_for, worst_case
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.paths import FIXTURES
from helpers.regenerate import echo_url, three_articles

from summariser.config import Settings
from summariser.errors import BudgetExceeded
from summariser.regenerate import RunPlan, dry_run, regenerate
from summariser.regenerate.manifest import load_manifest
from summariser.regenerate.report import report_json
from summariser.regenerate.run import NOT_STARTED

NAMES = ["harbour_fees", "port_strike", "port_strike_page", "rail_tender"]


@pytest.fixture
def billing() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=worst_case()) as fake:
        yield fake


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = three_articles(tmp_path)
    shutil.copy(FIXTURES / "articles" / "port_strike.html", folder / "port_strike_page.html")
    return folder


def spent(server: FakeOpenAI, since: int = 0) -> int:
    return sum(sum(billed(r.body)) for r in server.requests[since:])


@pytest.mark.parametrize("k", [0, 1, 3])
def test_a_budget_for_exactly_k_briefings_builds_k_and_the_next_run_finishes_the_rest(
    billing: FakeOpenAI, articles: Path, tmp_path: Path, k: int
) -> None:
    out = tmp_path / "briefings"
    plan = dry_run(articles, out, model=echo_url(billing))
    assert plan.estimate is not None and [e.name for e in plan.estimate.briefings] == NAMES
    budget = max(1, budget_for(plan.estimate, NAMES[:k]))
    events: list[tuple[str, str, str]] = []
    report = regenerate(
        articles,
        out,
        model=echo_url(billing),
        concurrency=1,
        max_tokens_total=budget,
        on_event=lambda kind, name, detail: events.append((kind, name, detail)),
    )
    built = [o.name for o in report.outcomes if o.ok]
    assert built == NAMES[:k] and [o.name for o in report.left] == NAMES[k:] and report.failed == []
    assert report.budget == budget and report.spent == spent(billing) == budget_for(plan.estimate, NAMES[:k])
    assert set(load_manifest(out).briefings) == set(NAMES[:k])  # the left ones are not marked done
    for name in NAMES[k:]:
        assert not list(out.glob(f"{name}.*"))
    # The first left briefing met the budget at its first request; none after it was started.
    first, *rest = report.left
    assert first.detail.startswith("left for the next run: its next request could need up to")
    assert [o.detail for o in rest] == [NOT_STARTED] * len(rest)
    assert [kind for kind, _, _ in events if kind == "start"] == ["start"] * (k + 1)
    assert sorted(name for kind, name, _ in events if kind == "left") == NAMES[k:]
    assert '"left": [' in report_json(report) and f'"limit": {budget}' in report_json(report)

    sent = len(billing.requests)
    rest_budget = budget_for(plan.estimate, NAMES[k:])
    second = regenerate(articles, out, model=echo_url(billing), concurrency=1, max_tokens_total=rest_budget)
    assert [o.name for o in second.outcomes if o.ok] == NAMES[k:] and second.left == []
    assert second.unchanged == k and second.spent == spent(billing, sent) == rest_budget
    assert len(billing.requests) == 2 * len(NAMES)  # every briefing's two requests, once
    assert set(load_manifest(out).briefings) == set(NAMES)


def test_concurrent_briefings_share_one_budget_and_wait_for_each_others_reservations(
    articles: Path, tmp_path: Path
) -> None:
    # The echo model bills 15 tokens a request: a budget of little more than one request's worst
    # case builds everything, one reservation at a time, however many briefings are in flight.
    with FakeOpenAI(responder=echo_answer) as echo:
        plan = dry_run(articles, tmp_path / "out", model=echo_url(echo))
        assert plan.estimate is not None
        widest = max(e.total for e in plan.estimate.briefings)
        report = regenerate(
            articles, tmp_path / "out", model=echo_url(echo), concurrency=4, max_tokens_total=widest + 1_000
        )
        assert sorted(o.name for o in report.outcomes if o.ok) == NAMES and report.left == []
        assert report.spent == 15 * len(echo.requests) == 15 * 2 * len(NAMES)


def test_the_budget_comes_from_the_settings_too(billing: FakeOpenAI, articles: Path, tmp_path: Path) -> None:
    plans: list[RunPlan] = []
    report = regenerate(
        articles, tmp_path / "out", settings=Settings(model=echo_url(billing), max_tokens_total=5), on_plan=plans.append
    )
    assert report.budget == 5 and report.spent == 0 and len(report.left) == 4 and billing.requests == []
    assert len(plans[0].todo) == 4


def test_summarise_with_a_budget_raises_before_the_request_that_would_not_fit(
    billing: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    from summariser import summarise

    plan = dry_run(articles, tmp_path / "out", model=echo_url(billing))
    assert plan.estimate is not None
    first = plan.estimate.briefings[0]
    with pytest.raises(BudgetExceeded) as info:
        summarise(articles / "harbour_fees.md", model=echo_url(billing), max_tokens_total=first.total - 1, cache="off")
    assert len(billing.requests) == 1  # the entities request fitted, the overview did not
    assert info.value.spent == spent(billing) and info.value.limit == first.total - 1
    summarise(articles / "harbour_fees.md", model=echo_url(billing), max_tokens_total=first.total, cache="off")
