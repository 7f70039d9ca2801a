"""Servers that only know ``response_format: json_object`` (llama-cpp-python's server).

The rejection text below is what ``llama_cpp.server`` 0.3.36 really answers (HTTP 500) to a
``json_schema`` response format; the fallback must switch once and remember the endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_server import FakeOpenAI, Reply, completion, error_body
from helpers.http import FAST, make_client

from summariser.errors import EndpointError
from summariser.schemas import kinds_model

#: A kinds request of two names (the entities request is made per article: `kinds_model`).
KINDS = kinds_model(("Valdmar Port Authority", "Marta Kessel"))

REJECTION = error_body(
    "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)
ANSWER = json.dumps({"Valdmar Port Authority": "organisation", "Marta Kessel": "person"})
MESSAGES = [{"role": "user", "content": "Type the names of: The Valdmar Port Authority cut fees, Marta Kessel said."}]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def test_a_server_rejecting_json_schema_gets_json_object_once_and_for_all(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(500, REJECTION), Reply(200, completion(ANSWER)), Reply(200, completion(ANSWER)))
    client = make_client(f"{server.base_url}#llama", tmp_path)
    try:
        first = client.extract(KINDS, MESSAGES)
        second = client.extract(KINDS, MESSAGES)
    finally:
        client.close()
    assert first.kinds() == second.kinds() == {"Valdmar Port Authority": "organisation", "Marta Kessel": "person"}
    formats = [r.body["response_format"] for r in server.requests]
    assert [f["type"] for f in formats] == ["json_schema", "json_object", "json_object"]
    schema = formats[1]["schema"]
    assert "$ref" not in json.dumps(schema) and schema["required"] == ["Valdmar Port Authority", "Marta Kessel"]


def test_other_server_errors_are_not_mistaken_for_the_dialect(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(*[Reply(500, error_body("out of memory"))] * (FAST.attempts + 1))
    client = make_client(f"{server.base_url}#llama", tmp_path)
    try:
        with pytest.raises(EndpointError):
            client.extract(KINDS, MESSAGES)
    finally:
        client.close()
    assert all(r.body["response_format"]["type"] == "json_schema" for r in server.requests)
