"""Which requests of the embedded model are decoded together (`sequences.SequenceDecoder`), and their answers.

`install` routes a ``llama_cpp.Llama``'s greedy, grammar-constrained completions through a
`SequenceDecoder` of `sequences` sequences (``SUMMARISER_SEQUENCES``, default `N_SEQ`) and shapes its
answers as llama-cpp-python's completion dictionaries, so its chat handler, the cache and the
cassettes see what they saw before; everything else goes to llama-cpp-python unchanged.
`tests/llm/embedded/test_batching.py` checks on the real model that answers decoded side by side
equal the answers decoded one at a time, token for token.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from summariser.llm.embedded.sequences import N_SEQ, DecodeInterrupted, DecodeStats, SequenceDecoder
from summariser.settings_table import SEQUENCES

__all__ = [
    "N_SEQ",
    "DecodeInterrupted",
    "DecodeStats",
    "SequenceDecoder",
    "install",
    "last_answer",
    "resize",
    "sequences",
]

_LAST = threading.local()


def sequences() -> int:
    """Sequences the embedded model decodes together: ``SUMMARISER_SEQUENCES`` or `N_SEQ` (1: one at a time)."""
    return SEQUENCES.env_or(N_SEQ)


def install(llm: Any, lock: Any, n_seq: int | None = None) -> None:
    """Route ``llm``'s greedy, grammar-constrained completions through a `SequenceDecoder` of ``n_seq`` (`sequences`).

    Anything else (sampling at a temperature, logprobs, penalties other than the repeat
    penalty, streaming) goes to llama-cpp-python's own ``create_completion`` under ``lock``.
    The batcher is made on the first such request (its KV streams cost memory) and kept as
    ``llm.summariser_batcher``; `resize` replaces it.
    """
    original = llm.create_completion
    llm.summariser_batcher = None
    llm.summariser_sequences = n_seq

    def create_completion(prompt: Any, **kwargs: Any) -> Any:
        if not _batchable(llm, prompt, kwargs):
            with lock:
                return original(prompt, **kwargs)
        with lock:
            if llm.summariser_batcher is None:
                llm.summariser_batcher = SequenceDecoder(llm, llm.summariser_sequences or sequences())
            batcher = llm.summariser_batcher
        stops = kwargs.get("stop") or []
        answer = batcher.complete(
            list(prompt),
            kwargs["grammar"],
            kwargs.get("max_tokens", 16),
            float(kwargs.get("repeat_penalty", 1.0)),
            [s.encode("utf-8") for s in ([stops] if isinstance(stops, str) else stops)],
            kwargs.get("stopping_criteria"),
        )
        _LAST.answer = answer
        return _completion(llm, kwargs.get("model"), len(prompt), answer)

    llm.create_completion = create_completion


def resize(llm: Any, n_seq: int | None) -> None:
    """Free ``llm``'s batcher; the next request makes one of ``n_seq`` sequences (None: `sequences`)."""
    if getattr(llm, "summariser_batcher", None) is not None:
        llm.summariser_batcher.close()
        llm.summariser_batcher = None
    llm.summariser_sequences = n_seq


def _batchable(llm: Any, prompt: Any, kwargs: dict[str, Any]) -> bool:
    return (
        isinstance(prompt, list)
        and kwargs.get("grammar") is not None
        and kwargs.get("temperature") == 0.0
        and not kwargs.get("stream")
        and not kwargs.get("echo")
        and kwargs.get("suffix") is None
        and kwargs.get("logprobs") is None
        and kwargs.get("logits_processor") is None
        and not kwargs.get("logit_bias")
        and not kwargs.get("frequency_penalty")
        and not kwargs.get("presence_penalty")
        and not kwargs.get("mirostat_mode")
        and getattr(llm, "draft_model", None) is None
    )


def _completion(llm: Any, model: str | None, prompt_tokens: int, answer: dict[str, Any]) -> dict[str, Any]:
    """llama-cpp-python's completion dictionary (what its chat handler turns into a chat completion)."""
    n = int(answer["completion_tokens"])
    return {
        "id": f"cmpl-{uuid.uuid4()}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": model if model is not None else llm.model_path,
        "choices": [
            {
                "text": answer["text"].decode("utf-8", errors="ignore"),
                "index": 0,
                "logprobs": None,
                "finish_reason": answer["finish_reason"],
            }
        ],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": n, "total_tokens": prompt_tokens + n},
    }


def last_answer() -> dict[str, Any] | None:
    """This thread's last batched answer: ``prompt_evaluated``, ``prompt_s``, ``decode_s``, … (then forgotten)."""
    answer: dict[str, Any] | None = getattr(_LAST, "answer", None)
    _LAST.answer = None
    return answer
