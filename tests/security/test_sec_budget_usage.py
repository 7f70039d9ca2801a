"""Issue 24, item 4: the token budget holds when the server's ``usage`` is missing or false.

A server that omitted ``usage`` or sent negative, zero or ``1e999`` counts was charged 0: six
requests of ~10k worst-case tokens each ran under ``--max-tokens-total 12000``, ``budget.spent``
0, exit 0; and ``--json`` of a run the budget stopped counted only the requests of the briefings
it built (0 after 2 were sent). What a usage block is worth is now decided once
(`summariser.llm.transport.metering.read_usage`: both counts whole numbers from 1 to what the request
allows), and an answer without a believable one is charged its reserved worst case
(`metering.charge`), live (`ledger.LedgerTransport`) and in a batch (`llm.openai_batch.jobs`); the run
summary says how many requests were charged so, and counts every request the run sent. The
whole runs here get a budget of one briefing's worst case (a dry run's estimate): charged so,
only that briefing's requests run; believed, the lies would let every briefing run.

Generators: hypothesis draws unbelievable usage blocks (no block, a missing, negative, zero,
fractional, string, boolean, ``1e999``, absurd count, more completion than ``max_tokens``, more
prompt than the request's bytes allow) and believable ones, served by a real loopback server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.budget import worst_case
from helpers.echo_model import echo_answer
from helpers.fake_batch import FakeBatchServer
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.generated import FAST
from helpers.http import FAST as RETRY
from helpers.regenerate import article_folder, regenerate
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from summariser.config import load_settings
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.openai_batch.jobs import BatchOptions
from summariser.llm.options import LLMOptions
from summariser.llm.tokens.counting import PromptCounter, request_cost
from summariser.llm.tokens.max_tokens import max_tokens_for_model
from summariser.llm.tokens.run_budget import TokenLedger
from summariser.llm.transport.metering import MAX_COUNT, PROMPT_SLACK, read_usage
from summariser.regenerate.batch import prefill
from summariser.regenerate.jobs import Job
from summariser.regenerate.plan import Planned

MESSAGES = [{"role": "user", "content": "Which city is the capital of France, and how many people live there?"}]
ROOT = Path(__file__).resolve().parents[2]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


CONTENT = json.dumps({"name": "Paris", "population": 2})
MAX_TOKENS = max_tokens_for_model(City)

#: Counts that are no token count, as raw JSON.
NOT_A_COUNT = st.one_of(
    st.integers(max_value=0).map(str),
    st.integers(min_value=MAX_COUNT + 1, max_value=10**40).map(str),
    st.sampled_from(["1e999", "-1e999", "1.5", "12.0", "0.0", '"12"', '"abc"', "true", "false", "null", "[]", "{}"]),
    st.text(max_size=8).map(json.dumps),
)
PROMPT = st.integers(1, 400)
COMPLETION = st.integers(1, MAX_TOKENS)


def _block(prompt: str | None, completion_: str | None) -> str:
    fields = [f'"prompt_tokens": {prompt}'] if prompt is not None else []
    fields += [f'"completion_tokens": {completion_}'] if completion_ is not None else []
    return "{" + ", ".join([*fields, '"total_tokens": 7']) + "}"


@st.composite
def lies(draw: st.DrawFn) -> str:
    """The raw JSON of an unbelievable ``usage`` value ("" for none at all)."""
    kind = draw(
        st.sampled_from(
            ["no block", "not an object", "prompt", "completion", "both", "missing", "over max_tokens", "over bytes"]
        )
    )
    good_prompt, good_completion = str(draw(PROMPT)), str(draw(COMPLETION))
    match kind:
        case "no block":
            return ""
        case "not an object":
            return draw(st.sampled_from(["null", '"lots"', "[1, 2]", "7", "1e999", "true"]))
        case "prompt":
            return _block(draw(NOT_A_COUNT), good_completion)
        case "completion":
            return _block(good_prompt, draw(NOT_A_COUNT))
        case "both":
            return _block(draw(NOT_A_COUNT), draw(NOT_A_COUNT))
        case "missing":
            return draw(st.sampled_from([_block(None, good_completion), _block(good_prompt, None), "{}"]))
        case "over max_tokens":  # a server cannot generate more than it was allowed
            return _block(good_prompt, str(MAX_TOKENS + draw(st.integers(1, 10**9))))
        case _:  # more prompt tokens than the request has bytes (plus the slack for a template)
            return _block(str(PROMPT_SLACK + draw(st.integers(100_000, MAX_COUNT))), good_completion)


def answer_with(raw_usage: str) -> str:
    body = completion(CONTENT)
    del body["usage"]
    return json.dumps(body)[:-1] + (f', "usage": {raw_usage}' if raw_usage else "") + "}"


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeOpenAI() as fake:
        yield fake


def _ask(server: FakeOpenAI, tmp: Path, raw_usage: str) -> tuple[TokenLedger, int]:
    """One request answered with ``raw_usage``, under a roomy budget: the ledger, and the request's worst case."""
    server.push(Reply(200, answer_with(raw_usage)))
    ledger = TokenLedger(10**12)
    options = LLMOptions(cache="off", retry=RETRY, cache_dir=tmp / "responses", timeout=5.0)
    client = LLMClient(resolve(f"{server.base_url}#m"), options, ledger=ledger)
    try:
        assert client.extract(City, MESSAGES).name == "Paris"  # a good answer is never lost to a bad counter
    finally:
        client.close()
    return ledger, request_cost(PromptCounter(), server.requests[-1].body).total


@FAST
@given(raw=lies())
def test_an_answer_without_a_believable_usage_is_charged_its_worst_case(
    server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory, raw: str
) -> None:
    figures.record("security", "budget_usage_lies")
    ledger, worst = _ask(server, tmp_path_factory.mktemp("c"), raw)
    assert (ledger.spent, ledger.reserved) == (worst, 0), raw
    assert ledger.worst_cases == 1
    assert not read_usage(json.loads(answer_with(raw)), server.requests[-1].body).believable


@FAST
@given(prompt=PROMPT, completion_tokens=COMPLETION)
def test_a_believable_usage_is_charged_as_reported(
    server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory, prompt: int, completion_tokens: int
) -> None:
    """The rule is not "always the worst case": counts in range are believed, even above the estimate."""
    figures.record("security", "budget_usage_believed")
    ledger, _ = _ask(server, tmp_path_factory.mktemp("c"), _block(str(prompt), str(completion_tokens)))
    assert (ledger.spent, ledger.worst_cases) == (prompt + completion_tokens, 0)


def test_every_recorded_answer_of_a_real_model_is_believed() -> None:
    """The rule's precision: every 200 answer in the recorded cassettes (the embedded model's own counts)."""
    answers = [
        item
        for path in sorted((ROOT / "cassettes").glob("*.json"))
        for item in json.loads(path.read_text(encoding="utf-8"))["interactions"]
        if item["response"]["status"] == 200
    ]
    figures.record("security", "usage_recorded_answers", len(answers))
    assert len(answers) >= 50
    for item in answers:
        counts = read_usage(item["response"]["body"], item["request"]["body"])
        assert counts.believable, counts.problems


# --------------------------------------------------------------------------- whole runs

LIES = {
    "omitted": None,
    "negative": {"prompt_tokens": -40, "completion_tokens": -5},
    "zero": {"prompt_tokens": 0, "completion_tokens": 0},
    "1e999": {"prompt_tokens": "<1e999>", "completion_tokens": 1},  # written as the bare number 1e999
    "empty": {},
    "over max_tokens": {"prompt_tokens": 10, "completion_tokens": 10**6},
}


def first_briefing(server: FakeOpenAI, articles: Path, out: Path) -> tuple[int, int]:
    """The worst case of the first briefing a run of ``articles`` builds, and its requests (a dry run's estimate).

    A budget of that much lets exactly that briefing's requests run when each is charged its worst case;
    believed, a lying server's counts (0, negative, none) would let every briefing run.
    """
    dry = regenerate(server, articles, out, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    briefings = [b for b in json.loads(dry.stdout)["briefings"] if b["reason"]]
    assert len(briefings) > 1 and not server.requests  # more than the budget allows; a dry run sends nothing
    estimate = briefings[0]["estimate"]
    return estimate["prompt_tokens"] + estimate["completion_tokens"], estimate["requests"]


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_lying_server_cannot_run_past_the_budget(lie: str, tmp_path: Path) -> None:
    """The issue's run: every answer lies about its usage; a budget of one briefing's worst case stops the run."""

    def respond(body: Any) -> Reply:
        reply = echo_answer(body)
        if LIES[lie] is None:
            reply.body.pop("usage", None)
            return reply
        text = json.dumps({**reply.body, "usage": LIES[lie]}).replace('"<1e999>"', "1e999")
        return Reply(reply.status, text, reply.headers)

    articles, out = article_folder(tmp_path), tmp_path / "out"
    with FakeOpenAI(responder=respond) as liar:
        budget, requests = first_briefing(liar, articles, out)
        result = regenerate(liar, articles, out, "-j", "1", f"--max-tokens-total={budget}")
        sent = len(liar.requests)
    figures.record("security", "budget_lying_runs")
    assert result.returncode == 8, result.stderr
    assert "requests charged their worst case (no believable usage)" in result.stderr
    row = next(line for line in result.stderr.splitlines() if "charged their worst case" in line)
    assert f" {sent} " in row, (row, sent)
    assert sent == requests == 2, sent  # the first briefing's two requests fit, at their worst case; no more


def test_json_of_a_lying_run_counts_every_request_and_every_worst_case(tmp_path: Path) -> None:
    def respond(body: Any) -> Reply:
        reply = echo_answer(body)
        reply.body["usage"] = {"prompt_tokens": 0, "completion_tokens": 0}
        return reply

    articles, out = article_folder(tmp_path), tmp_path / "out"
    with FakeOpenAI(responder=respond) as liar:
        budget, _ = first_briefing(liar, articles, out)
        result = regenerate(liar, articles, out, f"--max-tokens-total={budget}", "--json")
        sent = len(liar.requests)
    figures.record("security", "budget_lying_runs")
    assert result.returncode == 8, result.stderr
    report = json.loads(result.stdout)
    assert report["budget"]["charged_worst_case"] == sent >= 1 and 0 < report["budget"]["spent"] <= budget
    assert report["usage"]["requests"] == sent


def test_json_of_a_run_the_budget_stopped_counts_the_requests_really_sent(tmp_path: Path) -> None:
    """It reported 0 requests after 2 were sent: only built briefings were counted."""
    articles = article_folder(tmp_path)
    with FakeOpenAI(responder=worst_case()) as billing:  # honest: bills each request its worst case
        dry = regenerate(billing, articles, tmp_path / "out", "--dry-run", "--json")
        first = next(b for b in json.loads(dry.stdout)["briefings"] if b["reason"])
        budget = first["estimate"]["prompt_tokens"] + first["estimate"]["completion_tokens"] - 1
        result = regenerate(billing, articles, tmp_path / "out", "-j", "1", f"--max-tokens-total={budget}", "--json")
        sent = len(billing.requests)
    figures.record("security", "budget_lying_runs")
    assert result.returncode == 8, result.stderr
    report = json.loads(result.stdout)
    assert report["built"] == 0 and sent >= 1
    assert report["usage"]["requests"] == sent
    assert report["budget"]["charged_worst_case"] == 0  # honest counts are believed


def test_a_batch_answer_without_a_believable_usage_is_charged_its_worst_case(tmp_path: Path) -> None:
    def lying(body: Any) -> Reply:
        reply = echo_answer(body)
        reply.body["usage"] = {"prompt_tokens": -3, "completion_tokens": "many"}
        return reply

    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(2):
        # a name: the kinds request is asked too (an article that names nobody asks for its overview only)
        text = f"Harbour fees rose by a tenth on Monday, Marta Kessel said. Story {i} here."
        (articles / f"a{i}.txt").write_text(text)
    planned = [Planned(Job(p.stem, (p.name,)), {}, "new") for p in sorted(articles.iterdir())]
    tokens = TokenLedger(10**9)
    with FakeBatchServer(responder=lying) as fake:
        settings = load_settings(model=f"{fake.base_url}#echo")
        _, done = prefill(planned, articles, settings, BatchOptions(poll=0.01), tokens=tokens)
        bodies = [row["body"] for n in range(len(fake.uploads)) for row in fake.upload_lines(n)]
    figures.record("security", "budget_usage_lies", len(bodies))
    assert done.stored == 4 and len(bodies) == 4
    assert tokens.worst_cases == 4
    assert tokens.spent == sum(request_cost(PromptCounter(), body).total for body in bodies)
