"""The estimating gate (`summariser.llm.tokens.estimate`): a miss is counted at its worst case and never
sent, a cache hit passes through and costs nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_server import FakeOpenAI, Reply, completion
from pydantic import BaseModel, Field

from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions
from summariser.llm.tokens.counting import PromptCounter, RequestCost, counter_for
from summariser.llm.tokens.estimate import Estimator
from summariser.llm.tokens.max_tokens import max_tokens_for_model

MESSAGES = [{"role": "user", "content": "Which city is the capital of France, and how many people live there?"}]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def client(server: FakeOpenAI, tmp_path: Path, estimator: Estimator | None = None) -> LLMClient:
    options = LLMOptions(cache="on", cache_dir=tmp_path / "responses")
    return LLMClient(resolve(f"{server.base_url}#m"), options, wrap=estimator)


def test_a_miss_is_counted_at_its_worst_case_and_answered_without_the_model(server: FakeOpenAI, tmp_path: Path) -> None:
    estimator = Estimator(counter_for(resolve(f"{server.base_url}#m")), "on")
    llm = client(server, tmp_path, estimator)
    answer = llm.extract(City, MESSAGES)  # a schema-valid placeholder
    llm.close()
    assert isinstance(answer, City) and server.requests == []
    worst = RequestCost(PromptCounter().count(MESSAGES), max_tokens_for_model(City))
    assert estimator.tally.requests == [worst] and estimator.tally.cached == 0
    assert (estimator.tally.prompt, estimator.tally.completion) == (worst.prompt, worst.completion)


def test_a_cache_hit_costs_nothing_and_is_counted_as_cached(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(200, completion(json.dumps({"name": "Paris", "population": 2_100_000}))))
    real = client(server, tmp_path)
    real.extract(City, MESSAGES)
    real.close()
    for mode, hits in (("on", 1), ("refresh", 0), ("off", 0)):
        estimator = Estimator(PromptCounter(), mode)  # type: ignore[arg-type]
        llm = client(server, tmp_path, estimator)
        answer = llm.extract(City, MESSAGES)
        llm.close()
        assert estimator.tally.cached == hits and len(estimator.tally.requests) == 1 - hits
        assert (answer.name == "Paris") is bool(hits)  # a hit is the cached answer itself
    assert len(server.requests) == 1
