"""Prompt-prefix reuse that cannot change an answer: reuse only whole evaluation chunks.

llama.cpp keeps the KV cache of the last prompt, and llama-cpp-python reuses its longest
common token prefix with the next one, evaluating only the rest. The rest is then evaluated
in chunks of ``n_batch`` tokens that start where the common prefix ended, while a fresh
process evaluates the same prompt in chunks that start at 0: the same tokens go through
matrix products of other shapes, whose floating-point sums are ordered differently, so the
logits differ in their last bits — and at temperature 0 an answer can flip on a near tie.
That made a briefing depend on what the process had briefed before (issue 15: an article
that failed after ten others briefed cleanly in a fresh process).

`install(llm)` makes reuse keep only the part of the common prefix that ends on a chunk
boundary (a multiple of ``n_batch``), so that every token after it is evaluated in the very
chunk, at the very position, a fresh evaluation of the prompt would put it in. The KV cache
of the kept chunks is bit-identical to a fresh one (they were evaluated from position 0 in
the same shapes), and so are the logits of every answer. It costs at most ``n_batch − 1``
re-evaluated tokens per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["aligned_prefix", "install"]


def aligned_prefix(cached: Sequence[int], tokens: Sequence[int], chunk: int) -> int:
    """How many leading ``tokens`` may be reused from ``cached``: whole chunks, never all of ``tokens``."""
    common = 0
    for a, b in zip(cached, tokens, strict=False):
        if a != b:
            break
        common += 1
    keep = common - common % chunk
    if keep >= len(tokens):  # the last token must be evaluated again, in its own chunk
        keep -= chunk
    return max(0, keep)


def install(llm: Any) -> None:
    """Make ``llm.generate`` reuse only chunk-aligned prefixes of its KV cache."""
    original = llm.generate
    chunk = int(llm.n_batch)

    def generate(tokens: Sequence[int], *args: Any, **kwargs: Any) -> Any:
        tokens = list(tokens)
        if kwargs.get("reset", True) and llm.n_tokens > 0:
            keep = aligned_prefix(llm._input_ids, tokens, chunk)
            if keep < llm.n_tokens:
                llm._ctx.kv_cache_seq_rm(-1, keep, -1)
                llm.n_tokens = keep  # llama-cpp-python then finds exactly this prefix and evaluates the rest
        return original(tokens, *args, **kwargs)

    llm.generate = generate
