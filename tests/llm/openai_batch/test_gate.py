"""The batch gate (`summariser.llm.openai_batch.gate`): its placeholder for every draft schema is a valid answer,
and only a request that quotes what a placeholder made up is held back as derived from it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field

from summariser.llm.backends import resolve
from summariser.llm.openai_batch.gate import BatchGate
from summariser.llm.transport.gate import minimal_instance
from summariser.schemas import OverviewDraft, kinds_model

#: A kinds request of two names (the entities request is made per article: `kinds_model`).
KINDS = kinds_model(("Valdmar Port Authority", "Marta Kessel"))


@pytest.mark.parametrize("model", [KINDS, OverviewDraft])
def test_placeholders_are_valid_answers(model: type[BaseModel]) -> None:
    model.model_validate(minimal_instance(model.model_json_schema()))


def _request(model: type[BaseModel], prompt: str) -> dict[str, Any]:
    schema = {"name": model.__name__, "schema": model.model_json_schema()}
    return {"messages": [{"role": "user", "content": prompt}], "response_format": {"json_schema": schema}}


def test_a_request_naming_an_enum_value_of_a_placeholder_is_no_follow_up() -> None:
    """A kinds placeholder answers "person" (the enum's first value); every kinds prompt names
    "person", so a second article's kinds request is still queued for the batch."""
    ledger = BatchGate(resolve("http://127.0.0.1:9/v1#m"))
    prompt = 'Say what each name is: "person", "organisation", "place" or "other".'
    first = ledger.add("first", _request(KINDS, prompt))
    assert '"person"' in first
    other = kinds_model(("Henrik Aalto", "Valdmar"))
    assert not ledger.derives_from_placeholder(_request(other, f"Henrik Aalto is a person. {prompt}"))


class Noted(BaseModel):
    """An answer with a string long enough that a prompt quoting the placeholder's is recognised."""

    note: str = Field(min_length=8)


def test_a_request_quoting_a_made_up_placeholder_string_is_derived_from_it() -> None:
    ledger = BatchGate(resolve("http://127.0.0.1:9/v1#m"))
    made_up = json.loads(ledger.add("noted", _request(Noted, "Note the article.")))["note"]
    assert not ledger.derives_from_placeholder(_request(Noted, "Note another article."))
    assert ledger.derives_from_placeholder(_request(Noted, f"Your note was {made_up!r}; say more."))
