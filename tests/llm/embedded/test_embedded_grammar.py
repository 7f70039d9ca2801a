"""Does llama.cpp's grammar really enforce the schema bounds the project relies on?

`summariser.llm.tokens.max_tokens` sizes ``max_tokens`` from ``maxItems``/``maxLength`` and the drafts
rely on ``minItems``; all of that holds only if constrained decoding enforces the bounds,
including inside ``$ref``-ed nested models and ``anyOf`` (optional) fields. These tests ask
the REAL embedded 0.5B model, through the project's own `EmbeddedTransport` (which inlines
``$ref`` before building the grammar), for answers that the prompt pushes past the bounds.

Each bound test has a control: the same prompt under the same schema minus the bound. The
control shows that the model, left alone, does break the bound, so the bounded run proves
that the grammar — not the model's good manners — kept the answer inside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx2
import pytest
from pydantic import BaseModel, Field, StringConstraints

from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.embedded.backend import EmbeddedTransport
from summariser.llm.embedded.weights import EMBEDDED_MODELS, EmbeddedModel
from summariser.llm.options import LLMOptions

SMALL = EMBEDDED_MODELS["qwen2.5-0.5b"]
URL = f"http://local.{SMALL.alias}/v1/chat/completions"
SYSTEM = {"role": "system", "content": "Answer with JSON only."}
LONG_NAMES = (
    "List 10 people with very long full names (each name at least 30 characters, with middle names), "
    "for example 'Alexander Maximilian Bartholomew Fitzgerald-Montgomery'. Return all 10 in the items list."
)
ONE_FRUIT = "Name one fruit."


@pytest.fixture(scope="module")
def transport(small_model: EmbeddedModel) -> Iterator[EmbeddedTransport]:
    yield EmbeddedTransport(small_model)


# --------------------------------------------------------------------------- models under test


class Item(BaseModel):
    name: str = Field(max_length=12)


class AtMostTwo(BaseModel):
    items: list[Item] = Field(max_length=2)


class AtLeastThree(BaseModel):
    items: list[Item] = Field(min_length=3)


class FreeItem(BaseModel):
    name: str


class FreeList(BaseModel):
    items: list[FreeItem]


Short = Annotated[str, StringConstraints(max_length=12)]


class Speaker(BaseModel):
    speaker: Short | None = Field(description="Full name of the speaker, else null")


class FreeSpeaker(BaseModel):
    speaker: str | None


def ask(transport: EmbeddedTransport, model: type[BaseModel], prompt: str, max_tokens: int) -> tuple[str, str]:
    """Send the request instructor sends (a JSON Schema with ``$defs``/``$ref``); return (content, finish)."""
    schema = model.model_json_schema()
    body: dict[str, Any] = {
        "model": SMALL.alias,
        "messages": [SYSTEM, {"role": "user", "content": prompt}],
        "response_format": {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": schema}},
        "temperature": 0.0,
        "seed": 0,
        "max_tokens": max_tokens,
    }
    with httpx2.Client(transport=transport, timeout=120) as client:
        response = client.post(URL, json=body)
    assert response.status_code == 200, response.text
    choice = response.json()["choices"][0]
    return choice["message"]["content"], choice["finish_reason"]


def names_in(text: str) -> list[str]:
    """The "name" values in a possibly truncated JSON text."""
    return re.findall(r'"name"\s*:\s*"((?:[^"\\]|\\.)*)', text)


# --------------------------------------------------------------------------- the tests


def test_schema_under_test_really_uses_a_nested_ref() -> None:
    schema = AtMostTwo.model_json_schema()
    assert schema["properties"]["items"]["items"] == {"$ref": "#/$defs/Item"}
    assert schema["properties"]["items"]["maxItems"] == 2
    assert schema["$defs"]["Item"]["properties"]["name"]["maxLength"] == 12
    assert AtLeastThree.model_json_schema()["properties"]["items"]["minItems"] == 3


def test_max_items_and_nested_max_length_are_enforced(transport: EmbeddedTransport) -> None:
    # Control: without the bounds, the prompt makes the model write more and longer names.
    free, _ = ask(transport, FreeList, LONG_NAMES, max_tokens=60)
    free_names = names_in(free)
    assert len(free_names) > 2 or any(len(n) > 12 for n in free_names), free

    content, finish = ask(transport, AtMostTwo, LONG_NAMES, max_tokens=120)
    assert finish == "stop", content
    answer = json.loads(content)
    assert 0 <= len(answer["items"]) <= 2, content
    assert all(len(item["name"]) <= 12 for item in answer["items"]), content
    AtMostTwo.model_validate(answer)


def test_min_items_is_enforced(transport: EmbeddedTransport) -> None:
    # Control: asked for one fruit, the model gives one when the schema lets it.
    free, finish = ask(transport, FreeList, ONE_FRUIT, max_tokens=60)
    assert finish == "stop"
    assert len(json.loads(free)["items"]) < 3, free

    content, finish = ask(transport, AtLeastThree, ONE_FRUIT, max_tokens=80)
    assert finish == "stop", content
    answer = json.loads(content)
    assert len(answer["items"]) >= 3, content
    assert all(len(item["name"]) <= 12 for item in answer["items"]), content
    AtLeastThree.model_validate(answer)


def test_max_length_inside_an_optional_field_is_enforced(transport: EmbeddedTransport) -> None:
    # The drafts' optional fields (role, affiliation, speaker, location) are anyOf [string, null].
    prompt = (
        "Who said 'We choose to go to the Moon'? Give the speaker's complete full name with all middle "
        "names and titles, e.g. 'President John Fitzgerald Kennedy of the United States of America'."
    )
    free, _ = ask(transport, FreeSpeaker, prompt, max_tokens=40)
    assert re.search(r'"speaker"\s*:\s*"[^"]{13,}', free), free

    content, finish = ask(transport, Speaker, prompt, max_tokens=40)
    assert finish == "stop", content
    speaker = json.loads(content)["speaker"]
    assert isinstance(speaker, str), content  # a null would say nothing about the bound
    assert len(speaker) <= 12, content


def test_bounds_hold_through_the_whole_client_chain(transport: EmbeddedTransport, tmp_path: Path) -> None:
    class Bounded(BaseModel):
        items: list[Item] = Field(min_length=3, max_length=4)

    client = LLMClient(resolve(f"local:{SMALL.alias}"), LLMOptions(cache="off", cache_dir=tmp_path, reasks=0))
    try:
        result = client.extract(Bounded, [SYSTEM, {"role": "user", "content": LONG_NAMES}])
    finally:
        client.close()
    assert 3 <= len(result.items) <= 4
    assert all(len(item.name) <= 12 for item in result.items)
    assert client.usage.requests == 1  # valid at the first try: no re-ask was needed
    assert client.usage.completion_tokens > 0
