"""Prompt tokens before a request is sent (`summariser.llm.tokens.counting`): the estimate from characters,
and the embedded model's own tokenizer, checked against every exchange the cassettes recorded."""

from __future__ import annotations

import json
import math

import pytest
from helpers.paths import CASSETTES

from summariser.llm.backends import resolve
from summariser.llm.tokens.counting import (
    MESSAGE_OVERHEAD_TOKENS,
    PROMPT_CHARS_PER_TOKEN,
    REPLY_PRIMER_TOKENS,
    PromptCounter,
    RequestCost,
    counter_for,
    request_cost,
)

MESSAGES = [{"role": "system", "content": "s" * 30}, {"role": "user", "content": "Dock workers walked out." * 10}]


def test_an_http_endpoint_is_estimated_from_characters() -> None:
    counter = counter_for(resolve("http://127.0.0.1:9/v1#m"))
    assert not counter.exact
    chars = sum(len(m["content"]) for m in MESSAGES)
    expected = math.ceil(chars / PROMPT_CHARS_PER_TOKEN) + 2 * MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMER_TOKENS
    assert counter.count(MESSAGES) == expected
    assert counter.count(MESSAGES + MESSAGES) > counter.count(MESSAGES)  # more text, more tokens


def test_the_cost_of_a_request_is_its_prompt_and_its_max_tokens() -> None:
    counter = PromptCounter()
    body = {"messages": MESSAGES, "max_tokens": 756}
    assert request_cost(counter, body) == RequestCost(counter.count(MESSAGES), 756)
    assert request_cost(counter, body).total == counter.count(MESSAGES) + 756
    assert request_cost(counter, {"messages": MESSAGES, "max_completion_tokens": 9}).completion == 9
    for unbounded in ({"messages": MESSAGES}, {"messages": MESSAGES, "max_tokens": True}, "not a body"):
        assert request_cost(counter, unbounded).completion == 0


def _recorded() -> list[tuple[str, dict[str, object], int]]:
    found = []
    for path in sorted(CASSETTES.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["interactions"]:
            usage = (item["response"].get("body") or {}).get("usage")
            if usage:
                found.append((item["request"]["endpoint"], item["request"]["body"], usage["prompt_tokens"]))
    return found


def test_the_embedded_models_count_is_the_prompt_tokens_they_report() -> None:
    recorded = _recorded()
    assert len(recorded) >= 50
    for model in ("local:qwen2.5-1.5b", "local:qwen2.5-0.5b"):
        spec = resolve(model)
        assert spec.embedded is not None
        counter = counter_for(spec)
        if not counter.exact:
            pytest.skip(f"{model} is not assembled here (bash scripts/install.sh)")
        mine = [(body, reported) for endpoint, body, reported in recorded if endpoint == spec.identity]
        assert mine
        assert [request_cost(counter, body).prompt for body, _ in mine] == [reported for _, reported in mine]
