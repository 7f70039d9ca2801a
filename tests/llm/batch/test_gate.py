"""The batch gate (`summariser.llm.batch.gate`): its placeholder for every draft schema is a valid answer."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from summariser.llm.batch.gate import minimal_instance
from summariser.schemas import OverviewDraft, kinds_model

#: A kinds request of two names (the entities request is made per article: `kinds_model`).
KINDS = kinds_model(("Valdmar Port Authority", "Marta Kessel"))


@pytest.mark.parametrize("model", [KINDS, OverviewDraft])
def test_placeholders_are_valid_answers(model: type[BaseModel]) -> None:
    model.model_validate(minimal_instance(model.model_json_schema()))
