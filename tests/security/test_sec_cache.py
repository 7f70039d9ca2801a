"""Item 7 of issue 14: the response cache stores only what the response model itself validates.

The class is closed in `summariser.llm.transport.exchange.cacheable`, the one rule the cache, its
reads and the batch harvest use: the answer's content must pass the request's pydantic model
(``model_validate_json``, as instructor runs it; the client registers the model under its
JSON Schema) as well as the schema. A stored answer is checked again when it is served, so an
entry an older version let in is dropped instead of failing every run.

Generators: hypothesis builds answers from a valid one by mutation — lone surrogates (the
issue's ``"Ab\\ud800"``), wrong types, extra and missing fields, bounds broken, invalid JSON,
deep nesting — and sends each through the cache layer; a few go through the whole client
against a loopback server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import jsonschema
import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_batch import FakeBatchServer
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.http import make_client
from helpers.tiers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from summariser.config import load_settings
from summariser.errors import ValidationFailed
from summariser.llm.openai_batch.jobs import BatchOptions
from summariser.llm.transport.cache import CachingTransport, ResponseCache
from summariser.llm.transport.exchange import cacheable, register_response_model
from summariser.regenerate.batch import prefill
from summariser.regenerate.jobs import Job
from summariser.regenerate.plan import Planned

GEN = settings(
    max_examples=examples(400), deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
MESSAGES = [{"role": "user", "content": "Which city?"}]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


SCHEMA = City.model_json_schema()
REQUEST = {
    "model": "m",
    "messages": MESSAGES,
    "response_format": {"type": "json_schema", "json_schema": {"name": "City", "schema": SCHEMA}},
}

surrogates = st.builds(
    lambda a, s, b: a + s + b, st.text(max_size=5), st.sampled_from(["\ud800", "\udfff", "\udc80"]), st.text(max_size=5)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
names = st.one_of(st.text(max_size=20), st.text(min_size=21, max_size=40), surrogates, json_values)
populations = st.one_of(st.integers(min_value=0), st.integers(max_value=-1), json_values, st.just(1e300))


@st.composite
def contents(draw: Any) -> str:
    """Answer content: a valid City, mutated (or not), as the JSON text a server sends."""
    answer: dict[str, Any] = {"name": draw(st.text(max_size=20)), "population": draw(st.integers(0, 10**9))}
    mutation = draw(st.sampled_from(["none", "name", "population", "extra", "missing", "top", "text", "deep"]))
    if mutation == "name":
        answer["name"] = draw(names)
    elif mutation == "population":
        answer["population"] = draw(populations)
    elif mutation == "extra":
        answer[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    elif mutation == "missing":
        answer.pop(draw(st.sampled_from(["name", "population"])))
    elif mutation == "top":
        return json.dumps(draw(json_values))
    elif mutation == "text":
        fixed: str = draw(
            st.sampled_from(['{"name": "Ab\\ud800", "population": 1}', '{"name": "x"', "", "null", "[[[["])
        )
        return fixed
    elif mutation == "deep":
        depth: int = draw(st.integers(100, 5000))
        return "[" * depth + "]" * depth
    return json.dumps(answer)


def model_accepts(content: str) -> bool:
    """What instructor will decide: the pydantic model (and, for the cache, the schema too)."""
    try:
        City.model_validate_json(content)
        jsonschema.validate(json.loads(content), SCHEMA)
    except (ValidationError, ValueError, RecursionError, jsonschema.ValidationError):
        return False
    return True


@given(contents())
@GEN
def test_no_answer_the_model_rejects_is_ever_cached(tmp_path_factory: pytest.TempPathFactory, content: str) -> None:
    register_response_model(City)  # what LLMClient.extract does for every response model
    body = completion(content)
    assert cacheable(REQUEST, 200, body) == model_accepts(content)
    cache = ResponseCache(tmp_path_factory.mktemp("cache"))
    chain = CachingTransport(httpx2.MockTransport(lambda r: httpx2.Response(200, json=body)), cache, "fake", "on")
    try:
        chain.handle_request(httpx2.Request("POST", "http://fake/v1/chat/completions", json=REQUEST))
        stored = len(cache)
    finally:
        cache.close()
    figures.record("security", "cache_answers_generated", 1)
    figures.record("security", "cache_invalid_refused", int(not model_accepts(content)))
    assert stored == int(model_accepts(content))


def _entries(directory: Path) -> int:
    cache = ResponseCache(directory)
    try:
        return len(cache)
    finally:
        cache.close()


def test_a_lone_surrogate_answer_is_never_cached(tmp_path: Path) -> None:
    """The issue's reproduction: ``brief`` exited 5, three entries were cached, and it kept failing from cache."""
    bad = completion('{"name": "Ab\\ud800", "population": 1}')
    with FakeOpenAI() as server:
        server.push(*[Reply(200, bad)] * 3)
        client = make_client(f"{server.base_url}#m", tmp_path, cache="on")
        with pytest.raises(ValidationFailed):
            client.extract(City, MESSAGES)
        client.close()
        assert len(server.requests) == 3
        assert _entries(tmp_path / "responses") == 0
        server.push(Reply(200, completion(json.dumps({"name": "Paris", "population": 2}))))
        client = make_client(f"{server.base_url}#m", tmp_path, cache="on")
        assert client.extract(City, MESSAGES).name == "Paris"  # not served a poisoned entry
        client.close()
    assert _entries(tmp_path / "responses") == 1


def test_an_invalid_entry_an_older_version_stored_is_dropped_when_read(tmp_path: Path) -> None:
    good = completion(json.dumps({"name": "Paris", "population": 2}))
    with FakeOpenAI() as server:
        server.push(Reply(200, good), Reply(200, good))
        client = make_client(f"{server.base_url}#m", tmp_path, cache="on")
        client.extract(City, MESSAGES)
        client.close()
        cache = ResponseCache(tmp_path / "responses")
        (key,) = list(cache._cache)
        cache.set(str(key), completion('{"name": "Ab\\ud800", "population": 1}'))  # as 0.x stored it
        cache.close()
        client = make_client(f"{server.base_url}#m", tmp_path, cache="on")
        assert client.extract(City, MESSAGES).name == "Paris"
        client.close()
        # The poisoned entry was a miss: the same request went out again (not a re-ask after a bad answer).
        assert len(server.requests) == 2
        assert server.requests[1].body["messages"] == server.requests[0].body["messages"]
    cache = ResponseCache(tmp_path / "responses")
    assert cache.get(str(key)) == good
    cache.close()


def test_a_batch_answer_the_model_rejects_is_never_cached(tmp_path: Path) -> None:
    def surrogate_headlines(body: Any) -> Reply:
        reply = echo_answer(body)
        if body["response_format"]["json_schema"]["name"] == "OverviewDraft":
            answer = json.loads(reply.body["choices"][0]["message"]["content"])
            answer["headline"] = "Harbour\ud800 fees"
            return Reply(200, completion(json.dumps(answer)))
        return reply

    articles = tmp_path / "articles"
    articles.mkdir()
    # Each names someone, so that each asks for the kinds of its names as well as for its overview.
    for i, text in enumerate(["Harbour fees rose by a tenth on Monday, port director Marta Kessel said today."] * 2):
        (articles / f"a{i}.txt").write_text(f"{text} Story {i} of the day, told in full here for the record.")
    planned = [Planned(Job(p.stem, (p.name,)), {}, "new") for p in sorted(articles.iterdir())]
    with FakeBatchServer(responder=surrogate_headlines) as fake:
        settings_ = load_settings(model=f"{fake.base_url}#echo")
        ledger, done = prefill(planned, articles, settings_, BatchOptions(poll=0.01))
    assert done.failed == 2 and done.stored == 2, (done, ledger.failed)
    assert _entries(settings_.response_cache_dir()) == 2  # the kinds answers only
