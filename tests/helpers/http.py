"""An `LLMClient` for the loopback fake OpenAI server (`helpers.fake_server.FakeOpenAI`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions
from summariser.llm.transport.retry import RetryPolicy

#: The API key the clients send; tests check that it never reaches a file or a message.
SECRET = "sk-test-SECRET123"
#: A retry policy with the real shape (3 attempts) but millisecond waits.
FAST = RetryPolicy(attempts=3, initial=0.01, max_backoff=0.05, max_retry_after=0.05)


def make_client(url: str, tmp_path: Path, **settings: Any) -> LLMClient:
    """A client of the endpoint ``url`` (``http://…/v1#model``) keyed with `SECRET`.

    Defaults: no response cache (its directory would be under ``tmp_path``), the `FAST`
    retry policy and a 5 s timeout; ``settings`` are further `LLMOptions` fields.
    """
    settings.setdefault("cache", "off")
    settings.setdefault("retry", FAST)
    settings.setdefault("cache_dir", tmp_path / "responses")
    settings.setdefault("timeout", 5.0)
    return LLMClient(resolve(url, api_key=SECRET), LLMOptions(**settings))
