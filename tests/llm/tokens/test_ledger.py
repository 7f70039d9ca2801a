"""The token budget (`summariser.llm.tokens.run_budget`): every attempt that reaches the model is charged,
nothing is sent that would not fit, and concurrent requests reserve their worst case.

The client tests run the real chain (instructor → openai → Metering → Caching → Retrying →
Ledger) over `helpers.faults.FaultTransport`, which hands out a distinct usage block per answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.faults import Fault, FaultTransport, install
from pydantic import BaseModel, Field

from summariser.errors import BudgetExceeded, EndpointError
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions
from summariser.llm.tokens.counting import PromptCounter, request_cost
from summariser.llm.tokens.max_tokens import max_tokens_for_model
from summariser.llm.tokens.run_budget import TokenLedger
from summariser.llm.transport.retry import RetryPolicy

MODEL = "http://fault.test/v1#fault"
MESSAGES = [
    {"role": "system", "content": "Answer with JSON."},
    {"role": "user", "content": "Which city is the capital of France, and how many people live there?"},
]
POLICY = RetryPolicy(attempts=3, initial=0.01, max_backoff=0.05, max_retry_after=0.05)


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


GOOD = json.dumps({"name": "Paris", "population": 2_100_000})


@pytest.fixture
def fault(monkeypatch: pytest.MonkeyPatch) -> FaultTransport:
    backend = FaultTransport(answer=GOOD)
    install(monkeypatch, backend)
    return backend


@pytest.fixture
def client_for(tmp_path: Path) -> Iterator[Callable[[TokenLedger], LLMClient]]:
    made: list[LLMClient] = []

    def make(ledger: TokenLedger) -> LLMClient:
        options = LLMOptions(cache="on", cache_dir=tmp_path / "responses", retry=POLICY, reasks=2)
        made.append(LLMClient(resolve(MODEL), options, ledger=ledger))
        return made[-1]

    yield make
    for client in made:
        client.close()


def worst_case(messages: list[dict[str, str]] = MESSAGES) -> int:
    """What the budget reserves for one City request: its prompt estimate and its ``max_tokens``."""
    return PromptCounter().count(messages) + max_tokens_for_model(City)


def test_a_re_ask_is_charged_for_both_answers(fault: FaultTransport, client_for: Callable[..., LLMClient]) -> None:
    fault.plan([Fault.INVALID, Fault.OK])
    ledger = TokenLedger(100_000)
    client = client_for(ledger)
    assert client.extract(City, MESSAGES).name == "Paris"
    assert ledger.spent == sum(fault.tokens) and ledger.reserved == 0
    assert ledger.spent == client.usage.prompt_tokens + client.usage.completion_tokens


@pytest.mark.parametrize("kind", [Fault.SERVER_ERROR, Fault.RATE_LIMITED, Fault.BAD_GATEWAY])
def test_a_retried_error_status_is_charged_nothing(
    fault: FaultTransport, client_for: Callable[..., LLMClient], kind: Fault
) -> None:
    fault.plan([kind, Fault.OK])
    ledger = TokenLedger(100_000)
    client_for(ledger).extract(City, MESSAGES)
    assert fault.faults == [kind, Fault.OK]
    assert ledger.spent == sum(fault.tokens) and ledger.reserved == 0  # the 5xx/429 had no usage: 0


@pytest.mark.parametrize("kind", [Fault.READ_TIMEOUT, Fault.RESET_MID_BODY, Fault.TRUNCATED_JSON])
def test_a_retried_attempt_without_an_answer_is_charged_its_worst_case(
    fault: FaultTransport, client_for: Callable[..., LLMClient], kind: Fault
) -> None:
    fault.plan([kind, Fault.OK])
    ledger = TokenLedger(100_000)
    client_for(ledger).extract(City, MESSAGES)
    _, ok = fault.sent
    assert worst_case() == request_cost(PromptCounter(), fault.sent[0].body).total  # the body as sent
    assert ledger.spent == worst_case() + ok.prompt_tokens + ok.completion_tokens


def test_a_cache_hit_costs_nothing(fault: FaultTransport, client_for: Callable[..., LLMClient]) -> None:
    fault.plan([Fault.OK])
    ledger = TokenLedger(100_000)
    client_for(ledger).extract(City, MESSAGES)
    spent = ledger.spent
    again = client_for(ledger)
    assert again.extract(City, MESSAGES).name == "Paris"
    assert again.usage.cache_hits == 1 and ledger.spent == spent and len(fault.sent) == 1


def test_a_request_is_sent_only_if_its_worst_case_fits(
    fault: FaultTransport, client_for: Callable[..., LLMClient]
) -> None:
    fault.plan([Fault.OK])
    need = worst_case()
    short = TokenLedger(need - 1)
    with pytest.raises(BudgetExceeded) as info:
        client_for(short).extract(City, MESSAGES)
    assert fault.sent == [] and short.spent == 0 and short.refused == 1 and short.stopped
    err = info.value
    assert err.exit_code == 8 and (err.limit, err.spent, err.needed) == (need - 1, 0, need)
    assert "\n" not in err.message and f"token budget of {need - 1:,} reached" in err.message
    assert "raise --max-tokens-total" in err.message and "rerun to resume" in err.message
    exact = TokenLedger(need)
    assert client_for(exact).extract(City, MESSAGES).name == "Paris"
    assert len(fault.sent) == 1 and exact.refused == 0 and exact.spent == sum(fault.tokens)


def test_retries_are_charged_and_stop_when_the_budget_runs_out(
    fault: FaultTransport, client_for: Callable[..., LLMClient]
) -> None:
    fault.plan([], then=Fault.READ_TIMEOUT)
    ledger = TokenLedger(10**9)
    with pytest.raises(EndpointError):
        client_for(ledger).extract(City, MESSAGES)
    assert len(fault.sent) == POLICY.attempts and ledger.spent == POLICY.attempts * worst_case()
    tight = TokenLedger(2 * worst_case() + 1)
    with pytest.raises(BudgetExceeded):
        client_for(tight).extract(City, MESSAGES)
    assert len(fault.sent) == POLICY.attempts + 2  # the third attempt was not sent
    assert tight.spent == 2 * worst_case() and tight.refused == 1


def test_concurrent_requests_wait_for_reservations_and_refuse_only_what_can_never_fit() -> None:
    ledger = TokenLedger(100)
    first = ledger.reserve(60)
    assert ledger.fits(40) and not ledger.fits(41)
    order: list[str] = []

    def second() -> None:
        held = ledger.reserve(70)  # fits once the first is settled: waits, does not refuse
        order.append("second reserved")
        ledger.settle(held, 20)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.1)
    assert order == [] and ledger.refused == 0
    order.append("first settled")
    ledger.settle(first, 10)  # the unused 50 come back
    thread.join(timeout=5)
    assert order == ["first settled", "second reserved"]
    assert ledger.spent == 30 and ledger.reserved == 0
    with pytest.raises(BudgetExceeded):
        ledger.reserve(71)  # 30 + 71 > 100 whatever settles
    assert ledger.refused == 1 and ledger.reserve(70).tokens == 70


def test_a_ledger_without_a_limit_only_counts() -> None:
    ledger = TokenLedger()
    held = ledger.reserve(10**12)
    ledger.settle(held, 42)
    assert ledger.spent == 42 and ledger.fits(10**15) and not ledger.stopped
