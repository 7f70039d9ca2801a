"""The embedded transport (`summariser.llm.embedded.backend`): ``$ref``-free schemas, its HTTP surface, and a
missing llama-cpp-python. Its grammar on the real model: tests/llm/embedded/test_embedded_grammar.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx2
import pytest
from helpers.weights import fake_model

from summariser.errors import ModelUnavailable
from summariser.llm.embedded import backend as embedded
from summariser.llm.embedded.backend import EmbeddedTransport
from summariser.llm.embedded.weights import EMBEDDED_MODELS
from summariser.llm.schema_refs import inline_refs
from summariser.schemas import Briefing


def test_inline_refs_removes_every_reference() -> None:
    schema = Briefing.model_json_schema()
    assert "$defs" in schema
    flat = inline_refs(schema)
    text = json.dumps(flat)
    assert "$ref" not in text and "$defs" not in text
    assert flat["properties"]["people"]["items"]["properties"]["name"]["type"] == "string"


def test_embedded_transport_serves_only_chat_completions() -> None:
    transport = EmbeddedTransport(EMBEDDED_MODELS["qwen2.5-0.5b"])
    client = httpx2.Client(transport=transport, base_url="http://local/v1")
    assert client.get("/models").status_code == 404
    bad = client.post("/chat/completions", content=b"not json")
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]


def test_missing_llama_cpp_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    model = fake_model(tmp_path, monkeypatch, [b"GGUF"])
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails
    monkeypatch.setattr(embedded, "_LOADED", {})
    with pytest.raises(ModelUnavailable, match=r"scripts/install\.sh"):
        embedded.load_llama(model)
