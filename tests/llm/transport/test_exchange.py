"""The request boundary (`summariser.llm.transport.exchange`): one test of "is this a chat request?" for every
layer that asks it (the embedded transport, the gates in front of the cache, the chat body readers)."""

from __future__ import annotations

import httpx2
import pytest

from summariser.llm.backends import resolve
from summariser.llm.embedded.backend import EmbeddedTransport
from summariser.llm.embedded.weights import EMBEDDED_MODELS
from summariser.llm.transport.exchange import Canonical, chat_body, is_chat, messages_of
from summariser.llm.transport.gate import ChatGate

#: (method, URL, whether it asks for a chat completion): under any mount point, by POST only.
REQUESTS = [
    ("POST", "http://h/v1/chat/completions", True),
    ("POST", "http://h/openai/deployments/m/chat/completions", True),
    ("GET", "http://h/v1/chat/completions", False),
    ("POST", "http://h/v1/completions", False),
    ("POST", "http://h/v1/embeddings", False),
    ("POST", "http://h/v1/batches", False),
]


class _Inner(httpx2.BaseTransport):
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(299)


class _Gate(ChatGate):
    def miss(self, key: Canonical) -> httpx2.Response:
        return httpx2.Response(298)


@pytest.mark.parametrize("method, url, chat", REQUESTS)
def test_every_layer_tells_a_chat_request_the_same_way(method: str, url: str, chat: bool) -> None:
    def request(content: bytes) -> httpx2.Request:
        return httpx2.Request(method, url, content=content)

    assert is_chat(request(b"{}")) is chat
    assert (chat_body(request(b'{"messages": []}')) is not None) is chat
    # the embedded model serves chat requests only (a body that is not JSON: refused before the model loads)
    served = EmbeddedTransport(EMBEDDED_MODELS["qwen2.5-0.5b"]).handle_request(request(b"not json"))
    assert served.status_code == (400 if chat else 404)
    # a gate answers the chat requests the cache cannot, and passes every other request on
    gate = _Gate(_Inner(), None, resolve("http://127.0.0.1:9/v1#m"))
    assert gate.handle_request(request(b"{}")).status_code == (298 if chat else 299)


def test_the_messages_of_a_body_are_a_list_or_none() -> None:
    said = [{"role": "user", "content": "hi"}]
    assert messages_of({"messages": said}) == said
    for body in (None, "text", [said], {"messages": "hi"}, {"messages": {"role": "user"}}, {}):
        assert messages_of(body) == []
