"""End-to-end tests of LLMClient against a real local HTTP server speaking the OpenAI API.

The whole chain runs for real — instructor → openai → httpx2 client → Metering → Caching →
Retrying → HTTP transport → a socket on 127.0.0.1 — against `helpers.fake_server.FakeOpenAI`,
which is scripted per test and records every request it receives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_server import CloseMidResponse, FakeOpenAI, Reply, completion, error_body, unused_port
from helpers.http import FAST, SECRET, make_client
from pydantic import BaseModel, Field

from summariser.errors import AuthError, BackendError, ConfigError, EndpointError, ValidationFailed
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient, MeteringTransport
from summariser.llm.options import LLMOptions
from summariser.llm.tokens.max_tokens import max_tokens_for
from summariser.llm.transport.retry import RetryingTransport

MESSAGES = [
    {"role": "system", "content": "Answer with JSON."},
    {"role": "user", "content": "Which city is the capital of France, and how many people live there?"},
]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


GOOD = json.dumps({"name": "Paris", "population": 2_100_000})


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def client(server: FakeOpenAI, tmp_path: Path) -> Iterator[LLMClient]:
    llm = make_client(f"{server.base_url}#fake", tmp_path)
    yield llm
    llm.close()


def one_line(message: str) -> None:
    assert message
    assert "\n" not in message and "\r" not in message


# --------------------------------------------------------------------------- success


def test_success_sends_the_request_the_project_designed(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(Reply(200, completion(GOOD, prompt_tokens=31, completion_tokens=9)))
    city = client.extract(City, MESSAGES)
    assert city.model_dump() == {"name": "Paris", "population": 2_100_000}

    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent.method == "POST" and sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    body = sent.body
    assert body["model"] == "fake"
    assert body["messages"] == MESSAGES
    assert body["temperature"] == 0.0
    assert body["seed"] == 0
    assert body["max_tokens"] == max_tokens_for(City.model_json_schema())
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["properties"]["name"]["maxLength"] == 20
    assert client.usage.model_dump() == {"requests": 1, "cache_hits": 0, "prompt_tokens": 31, "completion_tokens": 9}


# --------------------------------------------------------------------------- errors that are not retried


def test_401_is_an_auth_error_after_exactly_one_request(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(Reply(401, error_body(f"Incorrect API key provided: {SECRET}", code="invalid_api_key")))
    with pytest.raises(AuthError) as caught:
        client.extract(City, MESSAGES)
    message = str(caught.value)
    one_line(message)
    assert "API key" in message
    assert "401" in message
    assert SECRET not in message and "SECRET123" not in message  # names the key, never shows it
    assert len(server.requests) == 1
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert caught.value.exit_code == 4


def test_403_is_an_auth_error_too(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(Reply(403, error_body("forbidden", "permission_error")))
    with pytest.raises(AuthError, match="403"):
        client.extract(City, MESSAGES)
    assert len(server.requests) == 1


def test_400_is_a_backend_error_after_exactly_one_request(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(Reply(400, error_body("'max_tokens' must be at most 4096", code="invalid_value")))
    with pytest.raises(BackendError) as caught:
        client.extract(City, MESSAGES)
    assert type(caught.value) is BackendError
    message = str(caught.value)
    one_line(message)
    assert "HTTP 400" in message
    assert "'max_tokens' must be at most 4096" in message  # the server's own reason is passed on
    assert len(server.requests) == 1


def test_404_is_a_config_error_naming_the_model(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(Reply(404, error_body("model 'fake' not found", code="model_not_found")))
    with pytest.raises(ConfigError, match="'fake'"):
        client.extract(City, MESSAGES)
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- transient errors


def test_503_twice_then_success_is_one_request_at_the_metering_layer(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(
        Reply(503, error_body("overloaded", "server_error")),
        Reply(503, error_body("overloaded", "server_error"), headers={"Retry-After": "0"}),
        Reply(200, completion(GOOD, prompt_tokens=40, completion_tokens=12)),
    )
    assert client.extract(City, MESSAGES).name == "Paris"
    assert len(server.requests) == 3
    assert server.pending == 0
    # Metering sits outside the retry: one logical request; only the answer that arrived counts.
    assert client.usage.model_dump() == {"requests": 1, "cache_hits": 0, "prompt_tokens": 40, "completion_tokens": 12}
    retrying = client.transport.inner
    assert isinstance(retrying, RetryingTransport)
    assert retrying.attempts_made == 3


def test_503_every_time_is_an_endpoint_error_after_all_attempts(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(*[Reply(503, error_body("overloaded", "server_error"))] * 3)
    with pytest.raises(EndpointError) as caught:
        client.extract(City, MESSAGES)
    one_line(str(caught.value))
    assert "503" in str(caught.value)
    assert len(server.requests) == 3


def test_connection_closed_mid_response_is_retried(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(CloseMidResponse(200, completion(GOOD)), Reply(200, completion(GOOD, completion_tokens=6)))
    assert client.extract(City, MESSAGES).population == 2_100_000
    assert len(server.requests) == 2
    assert client.usage.requests == 1
    assert client.usage.completion_tokens == 6


def test_connection_closed_mid_response_every_time_is_an_endpoint_error(server: FakeOpenAI, client: LLMClient) -> None:
    server.push(*[CloseMidResponse(200, completion(GOOD))] * 3)
    with pytest.raises(EndpointError) as caught:
        client.extract(City, MESSAGES)
    one_line(str(caught.value))
    assert len(server.requests) == 3


def test_unreachable_port_is_an_endpoint_error_naming_the_url(tmp_path: Path) -> None:
    port = unused_port()
    url = f"http://127.0.0.1:{port}/v1"
    llm = make_client(f"{url}#fake", tmp_path)
    try:
        with pytest.raises(EndpointError) as caught:
            llm.extract(City, MESSAGES)
    finally:
        llm.close()
    message = str(caught.value)
    one_line(message)
    assert url in message
    assert SECRET not in message
    retrying = llm.transport.inner
    assert isinstance(retrying, RetryingTransport)
    assert retrying.attempts_made == 3  # connection errors are retried, then given up
    assert llm.usage.requests == 0


# --------------------------------------------------------------------------- validation and re-asks


def test_invalid_answer_is_re_asked_and_usage_sums_both(server: FakeOpenAI, client: LLMClient) -> None:
    bad = json.dumps({"name": "Paris, Île-de-France, République française", "population": -1})
    server.push(
        Reply(200, completion(bad, prompt_tokens=50, completion_tokens=20)),
        Reply(200, completion(GOOD, prompt_tokens=90, completion_tokens=11)),
    )
    assert client.extract(City, MESSAGES).model_dump() == {"name": "Paris", "population": 2_100_000}
    assert len(server.requests) == 2
    first, second = (r.body for r in server.requests)
    assert first["messages"] == MESSAGES
    # The re-ask repeats the conversation, the model's bad answer, then the validation errors.
    assert second["messages"][: len(MESSAGES)] == MESSAGES
    assert second["messages"][len(MESSAGES)]["content"] == bad
    reask = second["messages"][-1]["content"]
    assert "String should have at most 20 characters" in reask
    assert "greater than or equal to 0" in reask
    assert client.usage.model_dump() == {
        "requests": 2,
        "cache_hits": 0,
        "prompt_tokens": 50 + 90,
        "completion_tokens": 20 + 11,
    }


def test_never_valid_is_validation_failed_after_all_re_asks(server: FakeOpenAI, tmp_path: Path) -> None:
    llm = make_client(f"{server.base_url}#fake", tmp_path, reasks=2)
    server.push(*[Reply(200, completion('{"name": "Paris"}', prompt_tokens=5, completion_tokens=3))] * 3)
    try:
        with pytest.raises(ValidationFailed) as caught:
            llm.extract(City, MESSAGES)
    finally:
        llm.close()
    one_line(str(caught.value))
    assert len(server.requests) == 3  # 1 + 2 re-asks
    assert llm.usage.model_dump() == {"requests": 3, "cache_hits": 0, "prompt_tokens": 15, "completion_tokens": 9}


# --------------------------------------------------------------------------- cache and cassette


def test_cache_serves_the_second_identical_call(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(200, completion(GOOD, prompt_tokens=30, completion_tokens=10)))
    llm = make_client(f"{server.base_url}#fake", tmp_path, cache="on")
    try:
        assert llm.extract(City, MESSAGES).name == "Paris"
        assert llm.extract(City, MESSAGES).name == "Paris"
    finally:
        llm.close()
    assert len(server.requests) == 1
    assert llm.usage.model_dump() == {"requests": 2, "cache_hits": 1, "prompt_tokens": 30, "completion_tokens": 10}

    # A new client on the same directory (another run) hits too, whatever key it holds.
    again = LLMClient(
        resolve(f"{server.base_url}#fake", api_key="sk-rotated-key-456"),
        LLMOptions(cache="on", cache_dir=tmp_path / "responses", retry=FAST, timeout=5.0),
    )
    try:
        assert again.extract(City, MESSAGES).name == "Paris"
    finally:
        again.close()
    assert len(server.requests) == 1
    assert again.usage.cache_hits == 1


def test_failed_answers_are_not_cached(server: FakeOpenAI, tmp_path: Path) -> None:
    llm = make_client(f"{server.base_url}#fake", tmp_path, cache="on")
    server.push(
        Reply(200, completion('{"name": "Paris"}')),  # invalid: re-asked, must not be cached
        Reply(200, completion(GOOD)),
        Reply(200, completion(GOOD)),
    )
    try:
        llm.extract(City, MESSAGES)
        llm.extract(City, MESSAGES)  # the valid re-ask answer is cached; the first request is not
    finally:
        llm.close()
    assert len(server.requests) == 3
    assert server.pending == 0


def test_cassette_recorded_against_the_server_holds_no_key(server: FakeOpenAI, tmp_path: Path) -> None:
    cassette = tmp_path / "c.json"
    answer = completion(GOOD, prompt_tokens=21, completion_tokens=8)
    answer["id"] = f"chatcmpl-echo-{SECRET}"  # a server that echoes the key back
    server.push(Reply(503, error_body("warming up", "server_error")), Reply(200, answer))
    recorder = make_client(f"{server.base_url}#fake", tmp_path, cassette=cassette, cassette_mode="record")
    try:
        assert recorder.extract(City, MESSAGES).name == "Paris"
    finally:
        recorder.close()
    assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {SECRET}"] * 2

    raw = cassette.read_text(encoding="utf-8")
    assert SECRET not in raw and "SECRET123" not in raw
    assert "authorization" not in raw.lower() and "bearer" not in raw.lower()
    data = json.loads(raw)
    assert [i["response"]["status"] for i in data["interactions"]] == [503, 200]
    assert data["interactions"][1]["response"]["body"]["id"] == "chatcmpl-echo-<redacted>"

    # Replay: the same answers, in order, and the server hears nothing.
    player = make_client(f"{server.base_url}#fake", tmp_path, cassette=cassette, cassette_mode="replay")
    try:
        assert player.extract(City, MESSAGES).model_dump() == {"name": "Paris", "population": 2_100_000}
    finally:
        player.close()
    assert len(server.requests) == 2
    assert player.usage.model_dump() == {"requests": 1, "cache_hits": 0, "prompt_tokens": 21, "completion_tokens": 8}


def test_the_chain_is_metering_then_retrying_then_http_when_the_cache_is_off(client: LLMClient) -> None:
    assert isinstance(client.transport, MeteringTransport)
    assert isinstance(client.transport.inner, RetryingTransport)
    assert client._cache is None
