"""Fault injection: every backend fault kind, alone, every time, and mixed, through the real chain.

`helpers.faults.FaultTransport` replaces the backend below Retrying and Caching, so each test
drives the real ``LLMClient`` (instructor → openai → Metering → Caching → Retrying), the real
``summarise()`` pipeline, or the real ``summariser`` command. For every fault kind the tests
check that the retry/re-ask policy stays inside its budget (transport attempts, instructor
re-asks, tokens), that ``client.usage`` sums the tokens of every attempt, that a final failure
is one `SummariserError` line naming the cause, and that the response cache never holds an
invalid or incomplete answer while a success after faults is cached exactly once.

Nothing sleeps: the retry layer records the waits it would make.

Figures (``test-artifacts/reliability.json``, area ``faults``): ``<kind>`` counts faults of
that kind injected, ``injected`` all of them, ``survived`` the faults after which the same
call still returned a valid answer, ``reported`` the calls that gave up with a one-line error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import diskcache
import pytest
from conftest import FIXTURES
from helpers import figures
from helpers.cli import run
from helpers.echo_model import echo_answer
from helpers.faults import COMPLETE_FAULTS, TRANSPORT_FAULTS, Fault, FaultTransport, install
from pydantic import BaseModel, Field

from summariser.brief.pipeline import summarise
from summariser.config import Settings
from summariser.errors import BackendError, EndpointError, SummariserError, ValidationFailed
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions
from summariser.llm.tokens.max_tokens import max_tokens_for_model
from summariser.llm.transport.retry import RetryPolicy

MODEL = "http://fault.test/v1#fault"
ATTEMPTS = 3
REASKS = 2
MAX_BACKOFF = 0.05
RETRY_AFTER = 7.0
POLICY = RetryPolicy(attempts=ATTEMPTS, initial=0.01, max_backoff=MAX_BACKOFF, max_retry_after=30.0)
MESSAGES = [
    {"role": "system", "content": "Answer with JSON."},
    {"role": "user", "content": "Which city is the capital of France, and how many people live there?"},
]
FAULTS = [f for f in Fault if f is not Fault.OK]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


GOOD = json.dumps({"name": "Paris", "population": 2_100_000})
PARIS = {"name": "Paris", "population": 2_100_000}

# What each fault kind, met on every attempt, must end as: error class and words of the one line.
FINAL: dict[Fault, tuple[type[SummariserError], tuple[str, ...]]] = {
    Fault.RATE_LIMITED: (EndpointError, ("rate limited", "HTTP 429", "after retries")),
    Fault.RATE_LIMITED_RETRY_AFTER: (EndpointError, ("rate limited", "HTTP 429", "after retries")),
    Fault.SERVER_ERROR: (EndpointError, ("HTTP 500", "after retries")),
    Fault.BAD_GATEWAY: (EndpointError, ("HTTP 502", "after retries")),
    Fault.UNAVAILABLE: (EndpointError, ("HTTP 503", "after retries")),
    Fault.READ_TIMEOUT: (EndpointError, ("timed out", "after retries")),
    Fault.CONNECT_TIMEOUT: (EndpointError, ("timed out", "after retries")),
    Fault.RESET_MID_BODY: (EndpointError, ("dropped the connection mid-answer", "connection reset by peer")),
    Fault.TRUNCATED_JSON: (EndpointError, ("truncated JSON", "after retries")),
    Fault.LENGTH: (ValidationFailed, ("cut its answer at max_tokens=", "finish_reason: length")),
    Fault.INVALID: (ValidationFailed, (f"never produced a valid answer in {REASKS + 1} attempts", "Field required")),
    Fault.EMPTY_CHOICES: (BackendError, ("empty choices list",)),
}
# Complete answers that are unusable and not worth re-sending: one attempt, then a clear error.
FATAL = frozenset({Fault.LENGTH, Fault.EMPTY_CHOICES})


# --------------------------------------------------------------------------- helpers


def tally(fault: FaultTransport, *, survived: bool) -> None:
    """Record the faults ``fault`` played, and whether the call survived them or reported them."""
    played = [f for f in fault.faults if f is not Fault.OK]
    for kind in played:
        figures.record("faults", kind.value)
    figures.record("faults", "injected", len(played))
    if survived:
        figures.record("faults", "survived", len(played))
    else:
        figures.record("faults", "reported")


def one_line(message: str) -> None:
    assert message.strip() == message and message
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message and "<failed_attempts>" not in message
    assert len(message) <= 300, message


def cached(directory: Path) -> list[dict[str, Any]]:
    """Every response body in the cache directory (opened afresh, as another run would)."""
    if not directory.exists():
        return []
    with diskcache.Cache(str(directory)) as store:
        return [json.loads(store[key]) for key in store]


def content(body: dict[str, Any]) -> str:
    return str(body["choices"][0]["message"]["content"])


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[FaultTransport, list[float]]]:
    """``backend(script, then=None)``: the installed FaultTransport (answering City) and its waits.

    It is installed before any client fixture is built, and scripted when the test calls it.
    """
    fault = FaultTransport(answer=GOOD, retry_after=str(int(RETRY_AFTER)))
    waits = install(monkeypatch, fault)

    def make(script: list[Fault], then: Fault | None = None) -> tuple[FaultTransport, list[float]]:
        return fault.plan(script, then), waits

    return make


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    return tmp_path / "responses"


@pytest.fixture
def client(backend: Callable[..., tuple[FaultTransport, list[float]]], responses: Path) -> Iterator[LLMClient]:
    llm = LLMClient(resolve(MODEL), LLMOptions(cache="on", cache_dir=responses, retry=POLICY, reasks=REASKS))
    yield llm
    llm.close()


def new_client(responses: Path) -> LLMClient:
    return LLMClient(resolve(MODEL), LLMOptions(cache="on", cache_dir=responses, retry=POLICY, reasks=REASKS))


def assert_usage(client: LLMClient, fault: FaultTransport, requests: int) -> int:
    """The client reports ``requests`` and exactly the tokens the fault transport handed out; their prompt tokens."""
    prompt, completion = fault.tokens
    assert client.usage.model_dump() == {
        "requests": requests,
        "cache_hits": 0,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
    }
    return prompt


def assert_waits(waits: list[float], played: list[Fault], given_up: int = 0) -> None:
    """One wait per retried transport fault: the server's Retry-After, else a capped backoff.

    ``given_up``: how many of the last transport faults ended a retry loop (no wait after them).
    """
    retried = [f for f in played if f in TRANSPORT_FAULTS]
    retried = retried[: len(retried) - given_up]
    assert len(waits) == len(retried)
    for kind, wait in zip(retried, waits, strict=True):
        if kind is Fault.RATE_LIMITED_RETRY_AFTER:
            assert wait == RETRY_AFTER
        else:
            assert 0 < wait <= MAX_BACKOFF


# --------------------------------------------------------------------------- each fault alone


@pytest.mark.parametrize("kind", FAULTS, ids=str)
def test_one_fault_then_a_good_answer(
    kind: Fault, backend: Callable[..., tuple[FaultTransport, list[float]]], client: LLMClient, responses: Path
) -> None:
    fault, waits = backend([kind, Fault.OK])
    if kind in FATAL:
        # Not re-sent: the same request at temperature 0 would spend the same tokens again.
        with pytest.raises(FINAL[kind][0]) as caught:
            client.extract(City, MESSAGES)
        one_line(str(caught.value))
        assert fault.faults == [kind]
        assert cached(responses) == []
        tally(fault, survived=False)
        # The next call is not poisoned: it reaches the backend and gets the good answer.
        assert client.extract(City, MESSAGES).model_dump() == PARIS
        assert fault.faults == [kind, Fault.OK]
        requests = 2
    else:
        assert client.extract(City, MESSAGES).model_dump() == PARIS
        assert fault.faults == [kind, Fault.OK]
        tally(fault, survived=True)
        # A retried transport fault is one request above the retry layer; a re-ask is two.
        requests = 2 if kind in COMPLETE_FAULTS else 1
    assert_waits(waits, fault.faults)
    prompt = assert_usage(client, fault, requests)
    if kind in COMPLETE_FAULTS:  # the unusable answer's tokens are in the sum, not just the good one's
        assert fault.sent[0].prompt_tokens > 0 and prompt > fault.sent[1].prompt_tokens

    # Only the good answer is cached, once; the same question again never reaches the backend.
    bodies = cached(responses)
    assert len(bodies) == 1 and content(bodies[0]) == GOOD
    assert bodies[0]["choices"][0]["finish_reason"] == "stop"
    if kind is Fault.INVALID:
        # The good answer is cached under the re-ask (the question plus the invalid answer and
        # its errors): the same invalid first answer again is re-asked from the cache.
        fault.plan([Fault.INVALID])
        assert client.extract(City, MESSAGES).model_dump() == PARIS
        assert fault.faults == [kind, Fault.OK, Fault.INVALID]
        assert client.usage.prompt_tokens == prompt + fault.sent[-1].prompt_tokens
    else:
        assert client.extract(City, MESSAGES).model_dump() == PARIS
        assert len(fault.sent) == 2
        assert client.usage.prompt_tokens == prompt  # a hit costs no tokens
    assert client.usage.cache_hits == 1
    assert len(cached(responses)) == 1


def test_invalid_answer_is_re_asked_with_the_validation_error(
    backend: Callable[..., tuple[FaultTransport, list[float]]], client: LLMClient
) -> None:
    fault, _ = backend([Fault.INVALID, Fault.OK])
    assert client.extract(City, MESSAGES).model_dump() == PARIS
    first, second = (s.body for s in fault.sent)
    assert first["messages"] == MESSAGES
    assert second["messages"][: len(MESSAGES)] == MESSAGES
    assert second["messages"][len(MESSAGES)]["content"] == fault.invalid
    assert "Field required" in second["messages"][-1]["content"]
    tally(fault, survived=True)


def test_length_reports_the_budget_the_request_carried(
    backend: Callable[..., tuple[FaultTransport, list[float]]], client: LLMClient
) -> None:
    fault, _ = backend([Fault.LENGTH])
    with pytest.raises(ValidationFailed) as caught:
        client.extract(City, MESSAGES)
    budget = max_tokens_for_model(City)
    assert fault.sent[0].body["max_tokens"] == budget
    assert f"max_tokens={budget}" in str(caught.value)
    assert client.usage.completion_tokens == budget  # the cut answer's tokens are counted
    tally(fault, survived=False)


# --------------------------------------------------------------------------- every time


@pytest.mark.parametrize("kind", FAULTS, ids=str)
def test_the_same_fault_every_time_exhausts_a_bounded_budget(
    kind: Fault, backend: Callable[..., tuple[FaultTransport, list[float]]], client: LLMClient, responses: Path
) -> None:
    fault, waits = backend([], then=kind)
    error, needles = FINAL[kind]
    with pytest.raises(SummariserError) as caught:
        client.extract(City, MESSAGES)
    assert type(caught.value) is error
    message = str(caught.value)
    one_line(message)
    assert "fault.test" in message
    for needle in needles:
        assert needle.lower() in message.lower(), (needle, message)

    # Attempts: the retry policy's for transport faults, 1 + re-asks for invalid answers,
    # exactly one for answers not worth re-sending.
    expected = {Fault.INVALID: REASKS + 1, Fault.LENGTH: 1, Fault.EMPTY_CHOICES: 1}.get(kind, ATTEMPTS)
    assert len(fault.sent) == expected
    assert fault.overrun == 0
    assert_waits(waits, fault.faults, given_up=1 if kind in TRANSPORT_FAULTS else 0)

    # Tokens: every attempt's usage is summed and stays within attempts x max_tokens.
    prompt, completion = fault.tokens
    usage = client.usage
    assert (usage.prompt_tokens, usage.completion_tokens) == (prompt, completion)
    # Requests count answers that reached the client: none when the transport gave up raising.
    unanswered = {Fault.READ_TIMEOUT, Fault.CONNECT_TIMEOUT, Fault.RESET_MID_BODY, Fault.TRUNCATED_JSON}
    assert usage.requests == (expected if kind in COMPLETE_FAULTS else 0 if kind in unanswered else 1)
    assert usage.completion_tokens <= len(fault.sent) * max_tokens_for_model(City)
    if kind in COMPLETE_FAULTS:
        assert prompt >= fault.prompt_tokens * len(fault.sent)

    assert cached(responses) == []
    tally(fault, survived=False)


# --------------------------------------------------------------------------- mixed sequences

F = Fault
MIXED_SUCCESS: list[tuple[list[Fault], int]] = [
    # (script ending in success, requests the metering layer sees = instructor attempts)
    ([F.RATE_LIMITED_RETRY_AFTER, F.UNAVAILABLE, F.OK], 1),
    ([F.RATE_LIMITED, F.SERVER_ERROR, F.OK], 1),
    ([F.READ_TIMEOUT, F.RESET_MID_BODY, F.OK], 1),
    ([F.CONNECT_TIMEOUT, F.TRUNCATED_JSON, F.OK], 1),
    ([F.BAD_GATEWAY, F.READ_TIMEOUT, F.OK], 1),
    ([F.RATE_LIMITED, F.INVALID, F.UNAVAILABLE, F.OK], 2),
    ([F.INVALID, F.READ_TIMEOUT, F.INVALID, F.BAD_GATEWAY, F.OK], 3),
    ([F.TRUNCATED_JSON, F.INVALID, F.RESET_MID_BODY, F.RATE_LIMITED_RETRY_AFTER, F.OK], 2),
    ([F.INVALID, F.INVALID, F.CONNECT_TIMEOUT, F.SERVER_ERROR, F.OK], 3),
]


@pytest.mark.parametrize(
    ("script", "requests"), MIXED_SUCCESS, ids=lambda v: "+".join(v) if isinstance(v, list) else ""
)
def test_mixed_faults_ending_in_success(
    script: list[Fault],
    requests: int,
    backend: Callable[..., tuple[FaultTransport, list[float]]],
    client: LLMClient,
    responses: Path,
) -> None:
    fault, waits = backend(script)
    assert client.extract(City, MESSAGES).model_dump() == PARIS
    assert fault.faults == script
    assert_waits(waits, script)
    assert_usage(client, fault, requests)
    bodies = cached(responses)
    assert len(bodies) == 1 and content(bodies[0]) == GOOD
    tally(fault, survived=True)


MIXED_FATAL = [
    [F.UNAVAILABLE, F.READ_TIMEOUT, F.LENGTH],
    [F.RESET_MID_BODY, F.EMPTY_CHOICES],
    [F.INVALID, F.RATE_LIMITED, F.LENGTH],
    [F.INVALID, F.TRUNCATED_JSON, F.EMPTY_CHOICES],
]


@pytest.mark.parametrize("script", MIXED_FATAL, ids=lambda v: "+".join(v))
def test_mixed_faults_ending_in_an_unusable_answer_then_recovering(
    script: list[Fault], backend: Callable[..., tuple[FaultTransport, list[float]]], responses: Path
) -> None:
    fault, waits = backend([*script, F.OK])
    with closing(new_client(responses)) as llm:
        with pytest.raises(FINAL[script[-1]][0]) as caught:
            llm.extract(City, MESSAGES)
        one_line(str(caught.value))
        assert fault.faults == script
        assert (llm.usage.prompt_tokens, llm.usage.completion_tokens) == fault.tokens
        assert cached(responses) == []
        tally(fault, survived=False)
    # Another run on the same cache: nothing stale is served, the good answer is fetched and cached.
    with closing(new_client(responses)) as llm:
        assert llm.extract(City, MESSAGES).model_dump() == PARIS
        assert llm.usage.cache_hits == 0
    assert fault.faults == [*script, F.OK]
    assert_waits(waits, script)
    bodies = cached(responses)
    assert len(bodies) == 1 and content(bodies[0]) == GOOD


@pytest.mark.parametrize(
    "script",
    [
        [F.UNAVAILABLE, F.RATE_LIMITED_RETRY_AFTER, F.READ_TIMEOUT, F.OK],
        [F.TRUNCATED_JSON, F.RESET_MID_BODY, F.CONNECT_TIMEOUT, F.OK],
        [F.INVALID, F.INVALID, F.INVALID, F.OK],
        [F.INVALID, F.SERVER_ERROR, F.BAD_GATEWAY, F.RATE_LIMITED, F.OK],
    ],
    ids=lambda v: "+".join(v),
)
def test_a_good_answer_after_the_budget_is_never_requested(
    script: list[Fault], backend: Callable[..., tuple[FaultTransport, list[float]]], client: LLMClient, responses: Path
) -> None:
    fault, _ = backend(script)
    with pytest.raises(SummariserError) as caught:
        client.extract(City, MESSAGES)
    one_line(str(caught.value))
    assert fault.faults == script[:-1]  # the budget ran out one request before the good answer
    assert (client.usage.prompt_tokens, client.usage.completion_tokens) == fault.tokens
    assert cached(responses) == []
    tally(fault, survived=False)


# --------------------------------------------------------------------------- pipeline and CLI


def _echo(body: dict[str, Any]) -> str:
    return content(echo_answer(body).body)


def test_summarise_survives_a_fault_storm_and_reports_every_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    storm = [F.UNAVAILABLE, F.READ_TIMEOUT, F.OK]  # entities: two retried transport faults
    # overview: two retries, an invalid answer, a re-ask that meets two more transport faults
    storm += [F.RATE_LIMITED_RETRY_AFTER, F.BAD_GATEWAY, F.INVALID, F.TRUNCATED_JSON, F.RESET_MID_BODY, F.OK]
    fault = FaultTransport(storm, answer=_echo, then=F.OK, retry_after="7")
    waits = install(monkeypatch, fault)
    settings = Settings(model=MODEL, cache_dir=tmp_path / "responses", retry=POLICY, reasks=REASKS)
    briefing = summarise(FIXTURES / "event" / "strike_report.txt", settings=settings)
    assert briefing.headline and briefing.summary
    assert fault.faults[: len(storm)] == storm and fault.overrun == 0
    assert_waits(waits, fault.faults)
    assert briefing.meta is not None
    usage = briefing.meta.usage
    assert (usage.prompt_tokens, usage.completion_tokens) == fault.tokens
    answered = sum(1 for f in fault.faults if f in COMPLETE_FAULTS or f is F.OK)
    assert usage.requests == answered and usage.cache_hits == 0
    bodies = cached(tmp_path / "responses")
    assert len(bodies) == fault.faults.count(F.OK)
    assert all(b["choices"][0]["finish_reason"] == "stop" for b in bodies)
    tally(fault, survived=True)


@pytest.mark.parametrize(
    ("then", "code", "needle"),
    [
        (F.UNAVAILABLE, 4, "HTTP 503"),
        (F.RATE_LIMITED_RETRY_AFTER, 4, "HTTP 429"),
        (F.READ_TIMEOUT, 4, "timed out"),
        (F.RESET_MID_BODY, 4, "connection reset by peer"),
        (F.TRUNCATED_JSON, 4, "truncated JSON"),
        (F.INVALID, 5, "never produced a valid answer"),
        (F.LENGTH, 5, "finish_reason: length"),
        (F.EMPTY_CHOICES, 4, "empty choices list"),
    ],
    ids=lambda v: str(v) if isinstance(v, Fault) else "",
)
def test_cli_fault_storm_is_one_error_line_and_a_non_zero_exit(
    then: Fault,
    code: int,
    needle: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # A storm of mixed transport faults, then the same fault for the rest of the run.
    storm = [F.UNAVAILABLE, F.CONNECT_TIMEOUT, F.RATE_LIMITED]
    fault = FaultTransport(storm, answer=_echo, then=then)
    waits = install(monkeypatch, fault)
    out = tmp_path / "briefing.json"
    article = FIXTURES / "event" / "strike_report.txt"
    result = run("brief", article, "--model", MODEL, "-o", out)
    assert result.returncode == code
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    one_line(lines[0])
    assert needle.lower() in lines[0].lower(), lines[0]
    assert not out.exists()
    assert fault.overrun == 0
    # Bounded: the default policy's attempts per request, 1 + default re-asks per question.
    policy, reasks = RetryPolicy(), Settings().reasks
    assert len(fault.sent) <= policy.attempts * (reasks + 1)
    assert len(waits) < len(fault.sent)
    assert cached(tmp_path / "summariser-cache" / "responses") == []
    tally(fault, survived=False)
