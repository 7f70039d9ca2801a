"""The fast greedy grammar sampler must produce exactly the tokens llama-cpp-python's own chain does.

Runs the REAL embedded 0.5B model twice on the same constrained request — once through
`summariser.llm.embedded.sampling` (as the embedded backend does), once through llama-cpp-python's
unmodified sampler — and compares the answers token for token. The schema caps string
lengths, so the grammar refuses the model's favourite token at some steps and the
full-vocabulary fallback is exercised too.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, StringConstraints

from summariser.llm.embedded.weights import EMBEDDED_MODELS, assemble
from summariser.llm.schema_refs import inline_refs

pytestmark = pytest.mark.model

SMALL = EMBEDDED_MODELS["qwen2.5-0.5b"]


class Names(BaseModel):
    items: Annotated[list[Annotated[str, StringConstraints(max_length=12)]], Field(max_length=4)]


MESSAGES = [
    {"role": "system", "content": "Answer with JSON only."},
    {
        "role": "user",
        "content": "List 4 people with very long full names, for example "
        "'Alexander Maximilian Bartholomew Fitzgerald-Montgomery'. Reply as {\"items\": [...]}.",
    },
]


def _run(fast: bool) -> tuple[str, Any]:
    from llama_cpp import Llama

    from summariser.llm.embedded import sampling

    llm = Llama(model_path=str(assemble(SMALL)), n_ctx=1024, n_threads=2, seed=0, verbose=False)
    if fast:
        sampling.install(llm)
    try:
        schema = inline_refs(Names.model_json_schema())
        result = llm.create_chat_completion(
            messages=MESSAGES,
            temperature=0.0,
            max_tokens=200,
            seed=0,
            response_format={"type": "json_object", "schema": schema},
        )
        sampler = llm._sampler
        stats = (getattr(sampler, "tokens", None), getattr(sampler, "fallbacks", None))
        return result["choices"][0]["message"]["content"], stats
    finally:
        llm.close()


@pytest.mark.usefixtures("small_model")
def test_fast_sampler_gives_the_same_answer_as_llama_cpp_python() -> None:
    fast, (tokens, fallbacks) = _run(fast=True)
    plain, (plain_tokens, _) = _run(fast=False)
    assert plain_tokens is None, "the control run must use llama-cpp-python's own sampler"
    assert fast == plain
    names = json.loads(fast)["items"]
    assert names and all(len(n) <= 12 for n in names)  # the grammar's bound held on the fast path
    assert tokens and tokens > 10
    assert fallbacks and fallbacks > 0, "the cap should have refused the model's first choice at least once"
