"""Requests decoded side by side must get exactly the answers they get decoded alone (issue 16).

Runs the REAL 0.5B model through `summariser.llm.embedded.sequence_routing`: three grammar-constrained
requests — two that start with the same article (as a briefing's entities and overview
requests do), one about another — are answered one at a time, then all at once from three
threads, and the answers are compared token for token with each other and with
llama-cpp-python's own completion loop. An interrupt in the thread that drives the batch
fails the other requests with one clear error and leaves the batcher usable.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, StringConstraints

from summariser.llm.embedded import sequence_routing as batching
from summariser.llm.embedded.grammar import grammar_for
from summariser.llm.embedded.weights import EmbeddedModel, assemble
from summariser.llm.schema_refs import inline_refs

pytestmark = pytest.mark.model

CHUNK = 64  # small chunks: the shared article prefix spans whole chunks with short prompts

ARTICLE = (
    "The port authority of Valdmar said on Monday that dockworkers ended a nine-day strike after the "
    "union and three shipping companies agreed on a new wage scale. Union leader Marta Kessel said "
    "members voted 412 to 96 to accept the deal, which raises pay by 6 percent this year. Grain "
    "exports, which had stopped, will resume on Wednesday, port director Jonas Berg said. "
) * 2
OTHER = "Storms closed the coastal road near Lund for two days; engineers expect repairs to take a week."


class Names(BaseModel):
    people: Annotated[list[Annotated[str, StringConstraints(max_length=40)]], Field(max_length=4)]


class Gist(BaseModel):
    headline: Annotated[str, StringConstraints(max_length=80)]
    numbers: Annotated[list[int], Field(max_length=3)]


REQUESTS = [
    (Names, f"{ARTICLE}\nList the people named above. Reply as JSON."),
    (Gist, f"{ARTICLE}\nWrite a headline and list the numbers in the text. Reply as JSON."),
    (Gist, f"{OTHER}\nWrite a headline and list the numbers in the text. Reply as JSON."),
]


@pytest.fixture(scope="module")
def llm(small_model: EmbeddedModel) -> Iterator[Any]:
    from llama_cpp import Llama

    from summariser.llm.embedded import prefix_reuse as reuse
    from summariser.llm.embedded import sampling

    model = Llama(model_path=str(assemble(small_model)), n_ctx=2048, n_batch=CHUNK, n_threads=2, seed=0, verbose=False)
    sampling.install(model)
    reuse.install(model)  # as the embedded backend: llama-cpp-python's loop then reuses only whole chunks
    batching.install(model, threading.RLock(), n_seq=3)
    yield model
    batching.resize(model, None)
    model.close()


def _ask(llm: Any, request: tuple[type[BaseModel], str]) -> tuple[str, int]:
    schema, prompt = request
    result = llm.create_chat_completion(
        messages=[{"role": "system", "content": "Answer with JSON only."}, {"role": "user", "content": prompt}],
        temperature=0.0,
        max_tokens=80,
        seed=0,
        grammar=grammar_for(inline_refs(schema.model_json_schema())),
    )
    return result["choices"][0]["message"]["content"], result["usage"]["completion_tokens"]


def test_side_by_side_answers_equal_answers_alone_and_llama_cpp_pythons(llm: Any) -> None:
    alone = [_ask(llm, r) for r in REQUESTS]
    batcher = llm.summariser_batcher
    widest_before, shared_before = batcher.stats.widest, batcher.stats.shared_tokens
    start = threading.Barrier(len(REQUESTS))

    def together(request: tuple[type[BaseModel], str]) -> tuple[str, int]:
        start.wait()
        return _ask(llm, request)

    with ThreadPoolExecutor(len(REQUESTS)) as pool:
        side_by_side = list(pool.map(together, REQUESTS))
    assert batcher.stats.widest >= 2 > widest_before or batcher.stats.widest >= 2
    assert batcher.stats.shared_tokens > shared_before  # the second request about ARTICLE copied its prefix

    from llama_cpp import Llama

    batched = llm.create_completion
    llm.create_completion = types.MethodType(Llama.create_completion, llm)  # llama-cpp-python's own loop
    try:
        stock = [_ask(llm, r) for r in REQUESTS]
    finally:
        llm.create_completion = batched
    assert all(n > 5 for _, n in alone)
    assert side_by_side == alone
    assert stock == alone


def test_an_interrupted_driver_fails_the_batch_with_one_error_and_the_batcher_recovers(llm: Any) -> None:
    batcher = llm.summariser_batcher
    original = batcher._decode
    calls = [0]

    def interrupt_on_fifth_step(active: list[Any]) -> None:
        calls[0] += 1
        if calls[0] == 5:
            raise KeyboardInterrupt
        original(active)

    batcher._decode = interrupt_on_fifth_step
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(request: tuple[type[BaseModel], str]) -> None:
        start.wait()
        try:
            _ask(llm, request)
        except BaseException as err:  # the test records what each thread saw
            errors.append(err)

    threads = [threading.Thread(target=run, args=(r,)) for r in REQUESTS[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    batcher._decode = original
    kinds = sorted(type(e).__name__ for e in errors)
    assert kinds == ["DecodeInterrupted", "KeyboardInterrupt"]
    assert "KeyboardInterrupt" in str(next(e for e in errors if isinstance(e, batching.DecodeInterrupted)))
    assert _ask(llm, REQUESTS[2]) == _ask(llm, REQUESTS[2])  # empty KV streams, same answer as ever
