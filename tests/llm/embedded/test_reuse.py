"""An answer must not depend on what the process decoded before it (issue 15).

`summariser.llm.embedded.prefix_reuse` lets llama.cpp reuse a cached prompt prefix only in whole evaluation
chunks. These tests run the REAL 0.5B model: a prompt evaluated in a fresh context, and the
same prompt evaluated after other prompts that share a prefix of it of every awkward length
(shorter than a chunk, a chunk and a bit, all but its last token), must give bit-identical
logits with the aligned reuse installed. Without it (llama-cpp-python's own reuse) the
logits are compared too, and the test reports how often they differed — that is the
nondeterminism the fix removes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from summariser.llm.embedded import prefix_reuse as reuse
from summariser.llm.embedded.weights import EMBEDDED_MODELS, assemble

SMALL = EMBEDDED_MODELS["qwen2.5-0.5b"]
CHUNK = 64  # small chunks keep the prompts short; the embedded backend uses n_batch=128 (embedded.N_BATCH)


@pytest.mark.parametrize(
    ("cached", "tokens", "keep"),
    [
        ([], [1, 2, 3], 0),
        ([1, 2, 3], [1, 2, 3, 4], 0),  # a common prefix shorter than a chunk: nothing reused
        (list(range(130)), list(range(200)), 128),  # two whole chunks of the 130 in common
        (list(range(128)), list(range(128)), 64),  # all in common: the last chunk is evaluated again
        (list(range(200)), [*range(70), 9999, *range(71, 200)], 64),  # differs at 70
    ],
)
def test_only_whole_chunks_of_the_common_prefix_are_reused(cached: list[int], tokens: list[int], keep: int) -> None:
    assert reuse.aligned_prefix(cached, tokens, 64) == keep


def _model(aligned: bool) -> Any:
    from llama_cpp import Llama

    llm = Llama(model_path=str(assemble(SMALL)), n_ctx=1024, n_batch=CHUNK, n_threads=2, seed=0, verbose=False)
    if aligned:
        reuse.install(llm)
    return llm


def _logits(llm: Any, tokens: list[int]) -> np.ndarray:
    """The logits after evaluating ``tokens`` as a prompt (through ``generate``, where reuse happens).

    Read from the context (the last output row of the last decode, which the first token was
    sampled from): without ``logits_all``, as the embedded backend runs, llama-cpp-python
    keeps no copy of them in ``llm.scores``.
    """
    next(iter(llm.generate(tokens, temp=0.0)))
    row = llm._ctx.get_logits_ith(-1)
    return np.array(np.ctypeslib.as_array(row, shape=(llm.n_vocab(),)), copy=True)


ARTICLE = " ".join(
    f"Paragraph {i}: the harbour authority said fees for container ships would rise by {i} percent next year."
    for i in range(1, 13)
)


def _prompts(llm: Any) -> tuple[list[int], list[list[int]]]:
    target = llm.tokenize(f"Article: {ARTICLE}\nTask: summarise it.".encode())
    assert len(target) > 3 * CHUNK
    others = [
        llm.tokenize(f"Article: {ARTICLE[:40]} something else entirely.".encode()),  # < 1 chunk in common
        llm.tokenize(f"Article: {ARTICLE}\nTask: list the people.".encode()),  # all but the task in common
        target[: CHUNK + 7] + llm.tokenize(b" A different ending."),  # a chunk and a bit
        target[:-1] + llm.tokenize(b" people."),  # all but the last token
    ]
    return target, others


@pytest.mark.model
@pytest.mark.usefixtures("small_model")
def test_a_prompt_gives_the_same_logits_whatever_was_decoded_before() -> None:
    results = {}
    for aligned in (True, False):
        llm = _model(aligned)
        try:
            target, others = _prompts(llm)
            fresh = _logits(llm, target)
            llm.reset()
            differing = 0
            for other in others:
                _logits(llm, other)
                after = _logits(llm, target)
                differing += not np.array_equal(fresh, after)
            results[aligned] = differing
        finally:
            llm.close()
    assert results[True] == 0, f"{results[True]} of 4 histories changed the logits with aligned reuse"
    print(f"llama-cpp-python's own reuse: {results[False]} of 4 histories changed the logits")


PROBE = """
import json, sys
from summariser import summarise
from summariser.output.render import to_json
texts = json.loads(sys.argv[1])
out = [to_json(summarise(t, model="small", cache="off")) for t in texts]
print(json.dumps(out[-1]))
"""

STORIES = [
    "BRUSSELS (Reuters) - European Union ministers agreed on Tuesday to cut tariffs on solar panels by 20 percent. "
    "Trade Commissioner Anna Lindqvist said the cut would take effect in March. Industry groups welcomed the move, "
    "but steelmakers warned it could hurt jobs.",
    "OSLO (Reuters) - Norway's central bank held its key rate at 4.5 percent on Thursday. Governor Ida Wolden Bache "
    "said rates would stay high for some time. Markets had expected the decision.",
    "LIMA (Reuters) - Peru's copper output rose 8 percent in October from a year earlier, the mines ministry said. "
    "Production at the Las Bambas mine recovered after protests ended. Analysts expect further gains next year.",
]


@pytest.mark.model
@pytest.mark.usefixtures("small_model")
def test_a_briefing_does_not_depend_on_what_the_process_briefed_before() -> None:
    """The same article briefed first in a fresh process, and after two others: the same briefing."""
    import json
    import subprocess
    import sys

    def last_briefing(texts: list[str]) -> str:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, json.dumps(texts)], capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    fresh = last_briefing([STORIES[0]])
    after_others = last_briefing([STORIES[1], STORIES[2], STORIES[0]])
    assert json.loads(after_others)["summary"] and fresh == after_others
