"""Tests of summariser.llm.transport.cache: what is stored, what is served, and what the key depends on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summariser.llm.transport.cache import HIT_HEADER, CacheMode, CachingTransport, ResponseCache
from summariser.llm.transport.exchange import canonical

IDENTITY = "http://backend.test/v1"
URL = "http://backend.test/v1/chat/completions"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 20}, "population": {"type": "integer", "minimum": 0}},
    "required": ["name", "population"],
    "additionalProperties": False,
}
VALID = json.dumps({"name": "Paris", "population": 2_100_000})


def request_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "fake",
        "messages": [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Paris?"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "City", "schema": SCHEMA}},
        "temperature": 0.0,
        "max_tokens": 64,
    }
    body.update(changes)
    return body


def make_request(body: dict[str, Any] | None = None, api_key: str = "sk-one") -> httpx2.Request:
    return httpx2.Request(
        "POST", URL, json=body if body is not None else request_body(), headers={"Authorization": f"Bearer {api_key}"}
    )


def completion(content: str | None = VALID, finish_reason: str = "stop", **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 8, "total_tokens": 20},
        **extra,
    }


class Inner(httpx2.MockTransport):
    """A backend that answers every request with ``status`` and ``body`` and counts the calls."""

    def __init__(self, body: Any = None, status: int = 200) -> None:
        self.calls = 0
        self.status = status
        self.body = completion() if body is None else body
        super().__init__(self._answer)

    def _answer(self, request: httpx2.Request) -> httpx2.Response:
        self.calls += 1
        if isinstance(self.body, bytes):
            return httpx2.Response(self.status, content=self.body)
        return httpx2.Response(self.status, json=self.body)


class Refusing(httpx2.MockTransport):
    """A backend that must not be called."""

    def __init__(self) -> None:
        super().__init__(self._refuse)

    def _refuse(self, request: httpx2.Request) -> httpx2.Response:
        raise AssertionError("the inner transport was called although the answer is cached")


@pytest.fixture
def cache(tmp_path: Path) -> Any:
    store = ResponseCache(tmp_path / "responses")
    yield store
    store.close()


def caching(inner: httpx2.BaseTransport, cache: ResponseCache, mode: CacheMode = "on") -> CachingTransport:
    return CachingTransport(inner, cache, IDENTITY, mode)


def send(transport: httpx2.BaseTransport, request: httpx2.Request | None = None) -> httpx2.Response:
    response = transport.handle_request(request or make_request())
    response.read()
    return response


def key_of(request: httpx2.Request, identity: str = IDENTITY) -> str:
    return canonical(identity, request).key


# --------------------------------------------------------------------------- stored and served


def test_valid_answer_is_stored_and_served_without_calling_the_backend(cache: ResponseCache) -> None:
    inner = Inner()
    first = send(caching(inner, cache))
    assert first.status_code == 200
    assert HIT_HEADER not in first.headers
    assert inner.calls == 1
    assert len(cache) == 1

    second = send(caching(Refusing(), cache))
    assert second.status_code == 200
    assert second.headers[HIT_HEADER] == "hit"
    assert second.json() == completion()
    assert json.loads(second.json()["choices"][0]["message"]["content"]) == {"name": "Paris", "population": 2_100_000}


def test_hit_goes_through_a_real_httpx2_client(cache: ResponseCache) -> None:
    inner = Inner()
    with httpx2.Client(transport=caching(inner, cache)) as client:
        a = client.post(URL, json=request_body())
        b = client.post(URL, json=request_body())
    assert inner.calls == 1
    assert a.json() == b.json()
    assert b.headers[HIT_HEADER] == "hit"


def test_answer_without_response_format_is_cacheable_when_complete(cache: ResponseCache) -> None:
    body = request_body()
    del body["response_format"]
    inner = Inner(completion("plain text answer"))
    send(caching(inner, cache), make_request(body))
    send(caching(inner, cache), make_request(body))
    assert inner.calls == 1


# --------------------------------------------------------------------------- never stored


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(500, completion(), id="http-500"),
        pytest.param(429, completion(), id="http-429"),
        pytest.param(400, {"error": {"message": "bad request"}}, id="http-400"),
        pytest.param(200, completion(finish_reason="length"), id="finish-length"),
        pytest.param(200, completion('{"name": "Par'), id="content-not-json"),
        pytest.param(200, completion(json.dumps({"name": "Paris", "population": -5})), id="violates-minimum"),
        pytest.param(200, completion(json.dumps({"name": "P" * 21, "population": 1})), id="violates-maxLength"),
        pytest.param(200, completion(json.dumps({"name": "Paris"})), id="misses-required"),
        pytest.param(200, completion(json.dumps({"name": "Paris", "population": 1, "x": 1})), id="extra-property"),
        pytest.param(200, completion(None), id="content-null"),
        pytest.param(200, {**completion(), "choices": []}, id="empty-choices"),
        pytest.param(200, {k: v for k, v in completion().items() if k != "choices"}, id="no-choices"),
        pytest.param(200, b"<html>gateway says hi</html>", id="body-not-json"),
    ],
)
def test_incomplete_or_invalid_answers_are_never_stored(cache: ResponseCache, status: int, body: Any) -> None:
    inner = Inner(body, status)
    transport = caching(inner, cache)
    first = send(transport)
    assert first.status_code == status  # passed through unchanged
    assert len(cache) == 0
    second = send(transport)
    assert HIT_HEADER not in second.headers
    assert inner.calls == 2


# --------------------------------------------------------------------------- modes


def test_mode_off_never_reads_or_writes(cache: ResponseCache) -> None:
    # Pre-populate the cache: "off" must not serve the entry either.
    send(caching(Inner(completion(json.dumps({"name": "Cached", "population": 1}))), cache))
    assert len(cache) == 1
    inner = Inner()
    transport = caching(inner, cache, "off")
    first = send(transport)
    second = send(transport)
    assert inner.calls == 2
    assert HIT_HEADER not in first.headers and HIT_HEADER not in second.headers
    assert json.loads(second.json()["choices"][0]["message"]["content"])["name"] == "Paris"

    other = make_request(request_body(temperature=0.7))
    send(transport, other)
    assert len(cache) == 1, "mode off wrote to the cache"


def test_mode_refresh_always_calls_the_backend_and_overwrites(cache: ResponseCache) -> None:
    send(caching(Inner(completion(json.dumps({"name": "Old", "population": 1}))), cache))
    new = Inner(completion(json.dumps({"name": "New", "population": 2})))
    refresh = caching(new, cache, "refresh")
    answer = send(refresh)
    send(refresh)
    assert new.calls == 2
    assert HIT_HEADER not in answer.headers
    assert json.loads(answer.json()["choices"][0]["message"]["content"])["name"] == "New"

    served = send(caching(Refusing(), cache, "on"))
    assert served.headers[HIT_HEADER] == "hit"
    assert json.loads(served.json()["choices"][0]["message"]["content"])["name"] == "New"
    assert len(cache) == 1


def test_mode_refresh_keeps_the_old_entry_when_the_new_answer_is_invalid(cache: ResponseCache) -> None:
    send(caching(Inner(), cache))
    send(caching(Inner(completion(finish_reason="length")), cache, "refresh"))
    served = send(caching(Refusing(), cache))
    assert served.json() == completion()


# --------------------------------------------------------------------------- the key


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(request_body(messages=[{"role": "user", "content": "Lyon?"}]), id="messages"),
        pytest.param(request_body(model="other-model"), id="model"),
        pytest.param(request_body(temperature=0.5), id="temperature"),
        pytest.param(request_body(max_tokens=65), id="max_tokens"),
        pytest.param(
            request_body(
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": "City", "schema": {**SCHEMA, "required": ["name"]}},
                }
            ),
            id="schema",
        ),
    ],
)
def test_key_changes_with_what_shapes_the_answer(cache: ResponseCache, changed: dict[str, Any]) -> None:
    assert key_of(make_request(changed)) != key_of(make_request())
    inner = Inner()
    send(caching(inner, cache))
    send(caching(inner, cache), make_request(changed))
    assert inner.calls == 2


def test_key_changes_with_the_endpoint() -> None:
    assert key_of(make_request(), "http://a/v1") != key_of(make_request(), "http://b/v1")


def test_key_ignores_the_api_key_and_other_headers(cache: ResponseCache) -> None:
    one = make_request(api_key="sk-one")
    two = httpx2.Request("POST", URL, json=request_body(), headers={"Authorization": "Bearer sk-two", "X-Trace": "9"})
    assert key_of(one) == key_of(two)
    send(caching(Inner(), cache), one)
    served = send(caching(Refusing(), cache), two)
    assert served.headers[HIT_HEADER] == "hit"


def test_key_ignores_json_key_order_and_server_mount_point() -> None:
    body = request_body()
    reordered = dict(reversed(list(body.items())))
    a = httpx2.Request("POST", URL, content=json.dumps(body).encode())
    b = httpx2.Request("POST", "http://backend.test/proxy/v1/chat/completions", content=json.dumps(reordered).encode())
    assert key_of(a) == key_of(b)


def test_stored_entry_holds_no_header_or_key(cache: ResponseCache, tmp_path: Path) -> None:
    send(caching(Inner(), cache), make_request(api_key="sk-test-SECRET123"))
    stored = cache.get(key_of(make_request()))
    assert stored == completion()
    cache.close()
    for path in (tmp_path / "responses").rglob("*"):
        if path.is_file():
            assert b"SECRET123" not in path.read_bytes(), f"{path.name} holds the API key"


# --------------------------------------------------------------------------- robustness


def test_corrupt_entry_is_a_miss_and_is_replaced(cache: ResponseCache) -> None:
    send(caching(Inner(), cache))
    key = key_of(make_request())
    cache._cache.set(key, '{"choices": [{"message": {"content": "tru')  # a torn write
    inner = Inner()
    response = send(caching(inner, cache))
    assert inner.calls == 1
    assert HIT_HEADER not in response.headers
    assert response.json() == completion()
    assert cache.get(key) == completion()  # the fresh valid answer replaced the torn one
    assert send(caching(Refusing(), cache)).headers[HIT_HEADER] == "hit"


def test_truncated_value_file_is_a_miss(tmp_path: Path) -> None:
    # Answers over diskcache's 32 KiB inline limit live in .val files; truncate one on disk.
    schema = {"type": "object", "properties": {"text": {"type": "string", "maxLength": 60_000}}, "required": ["text"]}
    body = request_body(response_format={"type": "json_schema", "json_schema": {"name": "Long", "schema": schema}})
    big = completion(json.dumps({"text": "x" * 50_000}))
    store = ResponseCache(tmp_path / "responses")
    send(caching(Inner(big), store), make_request(body))
    store.close()
    files = list((tmp_path / "responses").rglob("*.val"))
    assert len(files) == 1
    files[0].write_bytes(files[0].read_bytes()[:1000])

    reopened = ResponseCache(tmp_path / "responses")
    try:
        inner = Inner(big)
        response = send(caching(inner, reopened), make_request(body))
        assert inner.calls == 1
        assert HIT_HEADER not in response.headers
        assert response.json() == big
    finally:
        reopened.close()


def test_reopened_cache_directory_still_hits(tmp_path: Path) -> None:
    first = ResponseCache(tmp_path / "responses")
    send(caching(Inner(), first))
    first.close()

    second = ResponseCache(tmp_path / "responses")
    try:
        assert len(second) == 1
        served = send(caching(Refusing(), second))
        assert served.headers[HIT_HEADER] == "hit"
        assert served.json() == completion()
    finally:
        second.close()


def test_non_ascii_answer_round_trips(cache: ResponseCache) -> None:
    content = json.dumps({"name": "Zürich–東京 🚄", "population": 1}, ensure_ascii=False)
    send(caching(Inner(completion(content)), cache))
    served = send(caching(Refusing(), cache))
    assert served.json()["choices"][0]["message"]["content"] == content
