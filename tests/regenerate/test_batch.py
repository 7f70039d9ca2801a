"""``summariser regenerate --batch-api`` (`summariser.regenerate.batch`): batch rounds against a
loopback fake of the Batch API.

The fake (helpers.fake_batch) answers every uploaded JSONL line from the cassettes that
tests/brief/test_pipeline.py recorded from the real embedded models: the requests sent through an
HTTP endpoint named like the embedded model are the same requests, so the cassettes' real
answers come back — matched by custom id, in reversed order.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest
from helpers.articles import long_article
from helpers.cli import run
from helpers.echo_model import echo_answer
from helpers.fake_batch import FakeBatchServer, cassette_responder, reasked_responder
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.paths import CASSETTES, FIXTURES

from summariser import progress
from summariser.config import Settings, load_settings
from summariser.errors import ConfigError
from summariser.llm.openai_batch.jobs import BatchOptions
from summariser.regenerate import BatchSummary, dry_run
from summariser.regenerate import regenerate as regenerate_folder
from summariser.regenerate.batch import STATE_FILE, prefill, run_batched
from summariser.regenerate.jobs import Job
from summariser.regenerate.manifest import Manifest, load_manifest
from summariser.regenerate.plan import Planned
from summariser.schemas import Briefing

EVENT = CASSETTES / "test_pipeline__event_pair.json"
TEXT = CASSETTES / "test_pipeline__test_text_string_source.json"
LONG = CASSETTES / "test_pipeline__test_article_longer_than_the_context_is_read_in_parts.json"
#: The parts LONG's article was read in: one kinds and one overview request each.
LONG_PARTS = len(json.loads(LONG.read_text(encoding="utf-8"))["interactions"]) // 2
FAST = ("--batch-api", "--batch-poll", "0.01")


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """The articles whose exchanges with the 1.5B model are in EVENT and TEXT."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(FIXTURES / "event" / "strike_report.txt", folder)
    shutil.copy(FIXTURES / "event" / "strike_talks.html", folder)
    # As plain text: the same article test_text_string_source sent as a string.
    (folder / "harbour_fees.txt").write_text((FIXTURES / "articles" / "harbour_fees.md").read_text())
    return folder


@pytest.fixture
def server() -> Iterator[FakeBatchServer]:
    with FakeBatchServer(responder=cassette_responder(EVENT, TEXT)) as fake:
        yield fake


def regenerate(server: FakeOpenAI, model: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run("regenerate", *args, "--model", f"{server.base_url}#{model}")


def summary(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def recorded_answers(*paths: Path) -> list[Any]:
    return [item["response"]["body"] for p in paths for item in json.loads(p.read_text())["interactions"]]


def cached_answers() -> dict[str, Any]:
    with diskcache.Cache(str(load_settings().response_cache_dir())) as cache:  # where the CLI keeps it
        return {str(key): json.loads(cache[key]) for key in cache}


def headline(out: Path, name: str) -> str:
    return Briefing.model_validate_json((out / f"{name}.json").read_bytes()).headline


def test_every_briefing_comes_from_one_batch_and_a_second_run_sends_nothing(
    server: FakeBatchServer, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    first = regenerate(server, "qwen2.5-1.5b", articles, out, *FAST, "--json")
    assert first.returncode == 0, first.stderr
    assert summary(first)["built"] == 3 and summary(first)["failed"] == {}
    assert server.chat_requests == []  # nothing went to the endpoint outside the batch
    assert len(server.uploads) == 1 and len(server.created) == 1
    assert server.created[0]["endpoint"] == "/v1/chat/completions" and server.created[0]["completion_window"] == "24h"
    lines = server.upload_lines()
    assert len(lines) == 6  # entities + overview for each of the three articles
    assert len({line["custom_id"] for line in lines}) == 6
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}
    assert {line["body"]["response_format"]["json_schema"]["name"] for line in lines} == {
        "EntityKinds",
        "OverviewDraft",
    }
    assert all(line["body"]["model"] == "qwen2.5-1.5b" and line["body"]["messages"] for line in lines)
    # The fake lists the results in reverse: the real answers still reach their own briefings.
    assert headline(out, "strike_report") == "Valdmar Dockworkers Strike Halts Grain Exports"
    assert headline(out, "strike_talks") == "Valdmar Port Talks to Ministers and Shipping Chiefs"
    assert "6 requests in 1 round(s)" in first.stderr
    # Only the batch's real answers are cached — never a placeholder — under the lines' custom ids.
    cached = cached_answers()
    assert set(cached) == {line["custom_id"] for line in lines}
    assert all(answer in recorded_answers(EVENT, TEXT) for answer in cached.values())
    texts = "".join(p.read_text() for p in out.rglob("*") if p.is_file() and p.suffix in {".json", ".md"})
    assert "xxxxxxxxxx" not in texts
    assert not (out / STATE_FILE).exists()

    sent = len(server.requests)
    second = regenerate(server, "qwen2.5-1.5b", articles, out, *FAST, "--json")
    assert second.returncode == 0 and summary(second)["built"] == 0 and summary(second)["unchanged"] == 3
    assert len(server.requests) == sent  # no upload, no batch, no chat request


def test_reasks_go_out_in_a_second_batch_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer instructor rejects is re-asked in a further round, once its batch has answered."""
    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", "16384")  # the embedded 0.5B model's context
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hearing.txt").write_text(long_article(), encoding="utf-8")
    out = tmp_path / "briefings"
    with FakeBatchServer(responder=reasked_responder(cassette_responder(LONG))) as fake:
        result = regenerate(fake, "qwen2.5-0.5b", folder, out, *FAST, "--json")
    assert result.returncode == 0, result.stderr
    assert summary(result)["built"] == 1 and fake.chat_requests == []
    assert len(fake.uploads) == 2
    first, second = fake.upload_lines(0), fake.upload_lines(1)
    assert LONG_PARTS > 1  # the article is read in parts
    assert sorted(line["body"]["response_format"]["json_schema"]["name"] for line in first) == (
        ["EntityKinds"] * LONG_PARTS + ["OverviewDraft"] * LONG_PARTS  # every part's two requests
    )
    # Asked only once the batch's overviews were seen: instructor's re-ask of each part's overview,
    # which repeats the request, then the rejected answer and its validation errors.
    assert [line["body"]["response_format"]["json_schema"]["name"] for line in second] == ["OverviewDraft"] * LONG_PARTS
    asked = {json.dumps(line["body"]["messages"]) for line in first}
    for line in second:
        messages = line["body"]["messages"]
        assert json.dumps(messages[:2]) in asked and [m["role"] for m in messages[2:]] == ["assistant", "user"]
        assert ".0" in messages[2]["content"] and "integer" in messages[3]["content"]
    briefing = Briefing.model_validate_json((out / "hearing.json").read_bytes())
    assert briefing.meta is not None and any("overlapping parts" in n for n in briefing.meta.notes)


def test_a_failed_batch_line_fails_only_its_briefing_and_a_rerun_sends_just_that_request(
    server: FakeBatchServer, articles: Path, tmp_path: Path
) -> None:
    def talks_overview(body: Any) -> bool:
        schema = body["response_format"]["json_schema"]["name"]
        return schema == "OverviewDraft" and "Henrik Aalto" in body["messages"][-1]["content"]

    server.fail = talks_overview
    out = tmp_path / "briefings"
    result = regenerate(server, "qwen2.5-1.5b", articles, out, *FAST, "--json")
    assert result.returncode == 7, result.stderr
    assert summary(result)["built"] == 2 and list(summary(result)["failed"]) == ["strike_talks"]
    reason = summary(result)["failed"]["strike_talks"]
    assert reason.startswith("batch batch-") and "OverviewDraft request: fake outage" in reason and "rerun" in reason
    assert server.chat_requests == []
    assert set(load_manifest(out).briefings) == {"strike_report", "harbour_fees"}
    assert not (out / "strike_talks.json").exists()

    server.fail = None
    again = regenerate(server, "qwen2.5-1.5b", articles, out, *FAST, "--json")
    assert again.returncode == 0, again.stderr
    assert summary(again)["built"] == 1 and summary(again)["unchanged"] == 2
    retried = server.upload_lines()
    assert len(retried) == 1 and talks_overview(retried[0]["body"])  # its entities answer was cached
    assert server.chat_requests == []


def test_a_batch_still_running_at_the_deadline_is_picked_up_again_by_the_next_run(
    server: FakeBatchServer, articles: Path, tmp_path: Path
) -> None:
    server.stuck = True
    out = tmp_path / "briefings"
    waited = regenerate(
        server, "qwen2.5-1.5b", articles, out, "--batch-api", "--batch-poll", "0.02", "--batch-wait", "0.2"
    )
    assert waited.returncode == 4
    last = waited.stderr.strip().splitlines()[-1]
    assert "batch-" in last and "still in_progress" in last and "rerun" in last and "Traceback" not in waited.stderr
    state = json.loads((out / STATE_FILE).read_text())
    assert [b["id"] for b in state["batches"].values()] == list(server.batches)
    assert not load_manifest(out).briefings

    server.stuck = False
    resumed = regenerate(server, "qwen2.5-1.5b", articles, out, *FAST, "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert summary(resumed)["built"] == 3
    assert len(server.uploads) == 1 and len(server.created) == 1  # the same batch, not a second one
    assert not (out / STATE_FILE).exists() and server.chat_requests == []


def test_a_follow_up_beyond_the_last_round_fails_its_briefing_until_a_rerun_batches_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", "16384")
    folder, out = tmp_path / "articles", tmp_path / "briefings"
    folder.mkdir()
    (folder / "hearing.txt").write_text(long_article(), encoding="utf-8")
    planned = _planned(folder)
    events: list[str] = []
    reasking = reasked_responder(cassette_responder(LONG))  # each overview needs a re-ask: a follow-up round
    with FakeBatchServer(responder=reasking) as fake, progress.listen(events.append):
        settings = load_settings(model=f"{fake.base_url}#qwen2.5-0.5b")
        one_round = BatchOptions(poll=0.01, rounds=1)
        report, done = asyncio.run(run_batched(planned, folder, out, Manifest(), settings, options=one_round))
        assert done.rounds == 1 and [o.ok for o in report.outcomes] == [False]
        assert "1 batch rounds did not ask for" in report.outcomes[0].detail
        assert "rerun" in report.outcomes[0].detail and fake.chat_requests == []
        assert not (out / "hearing.json").exists()
        report, done = asyncio.run(run_batched(planned, folder, out, load_manifest(out), settings, options=one_round))
    assert [o.ok for o in report.outcomes] == [True] and fake.chat_requests == []
    first = 2 * LONG_PARTS  # every part's kinds and overview requests; then the re-asked overviews
    assert [len(fake.upload_lines(n)) for n in (0, 1)] == [first, LONG_PARTS]
    # Progress names each batch, its status and its counts.
    assert f"batch batch-2: completed ({first}/{first} done, 0 failed)" in events
    assert (
        f"batch batch-2: in_progress (0/{first} done, 0 failed)" in events
        and f"batch batch-2: submitted {first} requests" in events
    )


def _planned(articles: Path) -> list[Planned]:
    return [Planned(Job(p.stem, (p.name,)), {}, "new") for p in sorted(articles.iterdir())]


def test_incomplete_answers_from_a_batch_are_never_cached(articles: Path, tmp_path: Path) -> None:
    def cut_overviews(body: Any) -> Reply:
        reply = echo_answer(body)
        if body["response_format"]["json_schema"]["name"] == "OverviewDraft":
            return Reply(200, completion('{"headline": "Cut', finish_reason="length"))
        return reply

    with FakeBatchServer(responder=cut_overviews) as fake:
        settings = load_settings(model=f"{fake.base_url}#echo")
        ledger, done = prefill(_planned(articles), articles, settings, BatchOptions(poll=0.01))
    assert done.rounds == 1 and done.stored == 3 and done.failed == 3
    assert all("incomplete" in reason and "finish_reason=length" in reason for reason in ledger.failed.values())
    cached = cached_answers()
    assert len(cached) == 3 and set(cached).isdisjoint(ledger.failed)  # the three entities answers only
    assert fake.chat_requests == []


def test_an_endpoint_without_the_batch_api_or_without_the_cache_is_a_config_error(
    articles: Path, tmp_path: Path
) -> None:
    with FakeOpenAI(responder=echo_answer) as plain:  # chat completions only
        with pytest.raises(ConfigError) as info:
            prefill(_planned(articles), articles, Settings(model=f"{plain.base_url}#echo"), BatchOptions())
        assert "no Batch API" in info.value.message and "drop --batch-api" in info.value.message
        with pytest.raises(ConfigError) as info:
            prefill(_planned(articles), articles, Settings(model=f"{plain.base_url}#e", cache="off"), BatchOptions())
        assert "response cache" in info.value.message
    assert not [r for r in plain.requests if r.path == FakeOpenAI.ROUTE]


def test_a_token_budget_batches_only_the_briefings_that_fit_and_a_rerun_batches_the_rest(
    server: FakeBatchServer, articles: Path, tmp_path: Path
) -> None:
    out, model = tmp_path / "briefings", f"{server.base_url}#qwen2.5-1.5b"
    plan = dry_run(articles, out, model=model)
    assert plan.estimate is not None
    first, *rest = plan.estimate.briefings
    assert first.name == "harbour_fees"
    summaries: list[BatchSummary] = []
    options = BatchOptions(poll=0.01)
    report = regenerate_folder(
        articles, out, model=model, batch=options, max_tokens_total=first.total, on_batch=summaries.append
    )
    assert [o.name for o in report.outcomes if o.ok] == ["harbour_fees"] and report.failed == []
    assert sorted(o.name for o in report.left) == ["strike_report", "strike_talks"]  # built 4 at a time
    assert all("left for the next run" in o.detail for o in report.left)
    assert len(server.upload_lines()) == 2 and server.chat_requests == []  # only what fitted was batched
    usage = summaries[0].usage
    assert report.spent == usage.prompt_tokens + usage.completion_tokens > 0
    assert set(load_manifest(out).briefings) == {"harbour_fees"}

    again = regenerate_folder(articles, out, model=model, batch=options, max_tokens_total=sum(e.total for e in rest))
    assert sorted(o.name for o in again.outcomes if o.ok) == ["strike_report", "strike_talks"] and again.left == []
    assert len(server.uploads) == 2 and len(server.upload_lines(1)) == 4 and server.chat_requests == []


def test_the_re_ask_round_of_a_batch_is_charged_to_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", "16384")
    folder, out = tmp_path / "articles", tmp_path / "briefings"
    folder.mkdir()
    (folder / "hearing.txt").write_text(long_article(), encoding="utf-8")
    summaries: list[BatchSummary] = []
    with FakeBatchServer(responder=reasked_responder(cassette_responder(LONG))) as fake:
        report = regenerate_folder(
            folder,
            out,
            model=f"{fake.base_url}#qwen2.5-0.5b",
            batch=BatchOptions(poll=0.01),
            max_tokens_total=10**7,
            on_batch=summaries.append,
        )
    assert [o.ok for o in report.outcomes] == [True] and summaries[0].rounds == 2
    interactions = json.loads(LONG.read_text(encoding="utf-8"))["interactions"]
    tokens = [
        i["response"]["body"]["usage"]["prompt_tokens"] + i["response"]["body"]["usage"]["completion_tokens"]
        for i in interactions
    ]
    names = [i["request"]["body"]["response_format"]["json_schema"]["name"] for i in interactions]
    # round 1: every part's two requests; round 2: the re-asked overviews, answered as the originals were
    both_rounds = sum(tokens) + sum(t for t, name in zip(tokens, names, strict=True) if name == "OverviewDraft")
    assert report.spent == both_rounds == summaries[0].usage.prompt_tokens + summaries[0].usage.completion_tokens
