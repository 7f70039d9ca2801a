"""The embedded backend: llama.cpp in-process behind an httpx2 transport.

`EmbeddedTransport` answers ``POST …/chat/completions`` from llama-cpp-python's
``create_chat_completion``, so instructor, the cache and the cassettes all see the same
request/response boundary as with a real OpenAI-compatible server. The JSON Schema in
``response_format`` is dereferenced (no ``$ref``: llama.cpp's grammar converter skips some
nested references silently) and passed to llama.cpp as a grammar constraint whose strings
cannot hold a raw control character (`grammar.grammar_for`).

One model instance per process and model file is kept, and generations are serialised by a
lock: llama.cpp reuses the longest common token prefix of consecutive prompts, so requests
that start with the same article re-read only their new tail — in whole chunks, so that an
answer never depends on what was decoded before it (`reuse`). Greedy constrained requests
sample through `sampling.GreedyGrammarSampler` (identical tokens, far less grammar work).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx2

from summariser import progress
from summariser.errors import ModelUnavailable
from summariser.llm.embedded import prefix_reuse as reuse
from summariser.llm.embedded import sampling
from summariser.llm.embedded import sequence_routing as batching
from summariser.llm.embedded.grammar import grammar_for
from summariser.llm.embedded.weights import EmbeddedModel, assemble
from summariser.llm.schema_refs import inline_refs
from summariser.llm.transport.exchange import is_chat
from summariser.settings_table import THREADS

_LOCK = threading.RLock()
_LOADED: dict[str, Any] = {}


@dataclass
class Timings:
    """Where the embedded model's time went, summed over requests (read by ``bench/``).

    ``prompt_*`` and ``decode_*`` are llama.cpp's own counters (prompt tokens evaluated, not
    reused from the previous request; generated tokens); ``wall_s`` is the whole request as
    the transport saw it, so ``completion_tokens / (wall_s - prompt_s)`` is the decode speed
    the pipeline achieves and ``decode_tokens / decode_s`` is llama.cpp's raw decode speed.
    """

    requests: int = 0
    wall_s: float = 0.0
    prompt_tokens: int = 0
    prompt_s: float = 0.0
    decode_tokens: int = 0
    decode_s: float = 0.0
    completion_tokens: int = 0
    truncated: int = 0
    """Answers cut at ``max_tokens`` (finish_reason "length")."""


#: Counters of this process; `bench/` resets and reads them.
TIMINGS = Timings()


def _perf(llm: Any) -> tuple[float, float, int, int]:
    try:
        from llama_cpp import llama_perf_context

        data = llama_perf_context(llm._ctx.ctx)
        return data.t_p_eval_ms / 1000, data.t_eval_ms / 1000, int(data.n_p_eval), int(data.n_eval)
    except Exception:  # counters are a diagnostic: never fail a request over them
        return 0.0, 0.0, 0, 0


@atexit.register
def _close_models() -> None:
    # Free models before interpreter teardown: llama-cpp-python's __del__ at exit otherwise
    # prints "Exception ignored … 'NoneType' object is not callable".
    for llm in _LOADED.values():
        with contextlib.suppress(Exception):
            batching.resize(llm, None)  # the batch's context first, then the model it uses
        with contextlib.suppress(Exception):
            llm.close()
    _LOADED.clear()


#: Prompt tokens evaluated per llama.cpp batch; also the chunk in which `reuse` keeps a cached prefix, so
#: a request re-evaluates at most N_BATCH − 1 tokens it shares with the one before. Measured on seed 003
#: (565 tokens, 1.5B model, 2 threads): 84, 89, 86 and 74 tokens/s at 512, 256, 128 and 64.
N_BATCH = 128


def threads() -> int:
    """Threads for llama.cpp: ``SUMMARISER_THREADS`` or the number of usable cores."""
    env = THREADS.from_env()
    if env is not None:
        return env
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def load_llama(model: EmbeddedModel) -> Any:
    """Load (once per process) and return the llama.cpp model for ``model``."""
    path = assemble(model)
    key = str(path)
    with _LOCK:
        if key in _LOADED:
            return _LOADED[key]
        try:
            from llama_cpp import Llama
        except ImportError as err:
            raise ModelUnavailable(
                f"llama-cpp-python is not installed ({err}); run `bash scripts/install.sh`, which builds it "
                "with the right CPU flags"
            ) from None
        progress.report(f"loading local:{model.alias}")
        try:
            llm = Llama(
                model_path=key,
                n_ctx=model.n_ctx,
                n_threads=threads(),
                n_batch=N_BATCH,
                seed=0,
                verbose=False,
            )
        except Exception as err:  # llama.cpp raises ValueError/RuntimeError on a bad file
            raise ModelUnavailable(f"cannot load {path.name}: {err}; delete it and run again") from None
        sampling.install(llm)  # same tokens, grammar checked per chosen token (see sampling.py)
        reuse.install(llm)  # prefix reuse in whole chunks: an answer never depends on the request before
        batching.install(llm, _LOCK)  # greedy constrained requests decoded side by side (see batching.py)
        _LOADED[key] = llm
        return llm


class EmbeddedTransport(httpx2.BaseTransport):
    """An httpx2 transport that answers chat completions from an in-process llama.cpp model."""

    def __init__(self, model: EmbeddedModel) -> None:
        self.model = model

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Serve ``POST …/chat/completions``; anything else is a 404."""
        if not is_chat(request):
            return _error(404, f"embedded backend serves only POST /v1/chat/completions, not {request.url.path}")
        try:
            body = json.loads(request.read())
        except ValueError:
            return _error(400, "request body is not JSON")
        kwargs: dict[str, Any] = {
            "messages": body["messages"],
            "temperature": float(body.get("temperature", 0.0)),
            "top_p": float(body.get("top_p", 1.0)),
            "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens"),
            "seed": body.get("seed", 0),
        }
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            kwargs["grammar"] = grammar_for(inline_refs(fmt["json_schema"]["schema"]))  # JSON's own string rule
        elif fmt.get("type") == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        llm = load_llama(self.model)
        if kwargs["temperature"] == 0.0 and "grammar" in kwargs:
            return self._batched(llm, kwargs)  # several at once; llama.cpp's own counters see none of it
        with _LOCK:
            progress.report(f"generating with local:{self.model.alias}")
            before, started = _perf(llm), time.perf_counter()
            try:
                result = llm.create_chat_completion(**kwargs)
            except ValueError as err:  # e.g. "Requested tokens (…) exceed context window of …"
                return _context_error(err)
            _account(time.perf_counter() - started, before, _perf(llm), result)
        result["model"] = self.model.alias
        return httpx2.Response(200, json=result)

    def _batched(self, llm: Any, kwargs: dict[str, Any]) -> httpx2.Response:
        progress.report(f"generating with local:{self.model.alias}")
        started = time.perf_counter()
        try:
            result = llm.create_chat_completion(**kwargs)
        except ValueError as err:
            return _context_error(err)
        answer = batching.last_answer() or {}
        counters = (answer.get("prompt_s", 0.0), answer.get("decode_s", 0.0), answer.get("prompt_evaluated", 0), 0)
        completion = int((result.get("usage") or {}).get("completion_tokens") or 0)
        _account(time.perf_counter() - started, (0.0, 0.0, 0, 0), (*counters[:3], completion), result)
        result["model"] = self.model.alias
        return httpx2.Response(200, json=result)


def _context_error(err: ValueError) -> httpx2.Response:
    return _error(400, str(err), code="context_length_exceeded" if "context" in str(err) else None)


def _account(
    wall: float, before: tuple[float, float, int, int], after: tuple[float, float, int, int], result: Any
) -> None:
    TIMINGS.requests += 1
    TIMINGS.wall_s += wall
    TIMINGS.prompt_s += after[0] - before[0]
    TIMINGS.decode_s += after[1] - before[1]
    TIMINGS.prompt_tokens += after[2] - before[2]
    TIMINGS.decode_tokens += after[3] - before[3]
    TIMINGS.completion_tokens += int((result.get("usage") or {}).get("completion_tokens") or 0)
    TIMINGS.truncated += sum(1 for c in result.get("choices") or [] if c.get("finish_reason") == "length")


def _error(status: int, message: str, code: str | None = None) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message, "type": "invalid_request_error", "code": code}})
