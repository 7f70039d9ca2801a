"""A failed call as data (`summariser.llm.failures`): a `ValidationFailed` keeps instructor's attempts,
usage and last raw answer, as instructor's own retry error does.

The backend is a fake transport at the bottom of the client's real chain (``wrap``: metering,
then this instead of cache, retries and HTTP) that answers every request with the same
completion, so instructor's re-asks and the error's figures are real.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from helpers.http import FAST, SECRET
from pydantic import BaseModel, Field

from summariser.errors import ValidationFailed
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions

MESSAGES = [{"role": "user", "content": "Which city is the capital of France, and how many people live there?"}]
#: JSON cut short: never valid, however often it is asked for.
INVALID = '{"name": "Paris", "population": "many'


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


class Always(httpx2.MockTransport):
    """Answers every chat completion with ``content`` (finish reason ``finish``, 7 + 5 tokens); counts them."""

    def __init__(self, content: str, finish: str = "stop") -> None:
        self.content, self.finish, self.calls = content, finish, 0
        super().__init__(self._answer)

    def _answer(self, request: httpx2.Request) -> httpx2.Response:
        self.calls += 1
        choice = {"index": 0, "message": {"role": "assistant", "content": self.content}, "finish_reason": self.finish}
        usage = {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}
        body = {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice], "usage": usage}
        return httpx2.Response(200, json=body)


def failure(tmp_path: Path, backend: Always, reasks: int = 2) -> ValidationFailed:
    options = LLMOptions(cache="off", retry=FAST, cache_dir=tmp_path / "responses", timeout=5.0, reasks=reasks)
    llm = LLMClient(resolve("http://fake.test/v1#m", api_key=SECRET), options, wrap=lambda chain, cache, spec: backend)
    try:
        with pytest.raises(ValidationFailed) as caught:
            llm.extract(City, MESSAGES)
    finally:
        llm.close()
    return caught.value


@pytest.mark.parametrize("reasks", [0, 2])
def test_an_answer_that_never_validates_keeps_the_attempts_their_usage_and_the_last_answer(
    tmp_path: Path, reasks: int
) -> None:
    backend = Always(INVALID)
    err = failure(tmp_path, backend, reasks)
    assert backend.calls == reasks + 1
    assert err.attempts == reasks + 1
    assert err.usage == {"prompt_tokens": 7 * (reasks + 1), "completion_tokens": 5 * (reasks + 1),
                         "total_tokens": 12 * (reasks + 1)}  # fmt: skip
    assert err.last_answer == INVALID
    assert "\n" not in err.message and "never produced a valid answer" in err.message


def test_the_error_as_a_json_object_carries_its_data(tmp_path: Path) -> None:
    err = failure(tmp_path, Always(INVALID))
    data: dict[str, Any] = json.loads(json.dumps(err.as_dict()))
    assert data == {
        "error": "ValidationFailed",
        "message": err.message,
        "exit_code": 5,
        "attempts": 3,
        "usage": {"prompt_tokens": 21, "completion_tokens": 15, "total_tokens": 36},
        "last_answer": INVALID,
    }


def test_an_answer_cut_at_max_tokens_keeps_its_own_usage_and_text_but_not_a_count_it_cannot_know(
    tmp_path: Path,
) -> None:
    backend = Always(INVALID, finish="length")
    err = failure(tmp_path, backend)
    assert backend.calls == 1  # not re-asked
    assert "finish_reason: length" in err.message
    assert err.attempts is None
    assert err.usage == {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}
    assert err.last_answer == INVALID


def test_the_last_answer_never_carries_the_api_key(tmp_path: Path) -> None:
    err = failure(tmp_path, Always(f'{{"name": "{SECRET}", "population": -1}}'))
    assert err.last_answer is not None and SECRET not in err.last_answer and "<redacted>" in err.last_answer
    assert SECRET not in json.dumps(err.as_dict())


def test_an_error_made_without_the_model_has_no_data() -> None:
    err = ValidationFailed("only 1 of 3 summary bullets are supported by the sources")
    assert err.details() == {"attempts": None, "usage": None, "last_answer": None}
