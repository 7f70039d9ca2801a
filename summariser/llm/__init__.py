"""The LLM layer: structured calls to a model, and its public surface for the rest of the package.

Its rooms (docs/architecture.md):

* the root — `backends` (a ``--model`` string resolved), `client` (instructor over the transport chain),
  `options`, `failures` (every failed call one error of the tree), `endpoint`, `secrets`, `schema_refs`;
* `transport` — the HTTP chain: metering, cache, retry, cassette, dialect, wire, and the request key;
* `embedded` — llama.cpp in-process (weights, grammar, sampling, prefix reuse, sequences) and llama-server;
* `tokens` — max-tokens sizing, prompt counting, the run's token budget (`TokenLedger`), the dry-run estimate;
* `openai_batch` — the OpenAI Batch API (``regenerate --batch-api``).

The rest of the package imports the names below from here. They are loaded on first use (PEP 562), so
importing this package costs nothing, and what stays lazy (the Batch API client, llama-server) stays so.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backends import BackendSpec, resolve, valid_forms
    from .client import LLMClient, Wrapper
    from .embedded.llama_server import serve
    from .embedded.sequence_routing import sequences
    from .embedded.weights import DEFAULT_MODEL, EMBEDDED_MODELS, assemble, model_path
    from .openai_batch.gate import BatchGate
    from .openai_batch.jobs import BatchOptions, BatchOutcome, BatchRunner, check_batchable
    from .options import DEFAULT_TIMEOUT, LLMOptions
    from .secrets import RedactingFilter, redact, secret_values
    from .tokens.counting import PROMPT_CHARS_PER_TOKEN, counter_for, request_cost
    from .tokens.estimate import Estimator
    from .tokens.max_tokens import max_tokens_for_model
    from .tokens.run_budget import TokenLedger
    from .transport.cache import CacheMode, ResponseCache

#: Each public name and the module that defines it.
_OWNERS = {
    "BackendSpec": "backends",
    "resolve": "backends",
    "valid_forms": "backends",
    "LLMClient": "client",
    "Wrapper": "client",
    "serve": "embedded.llama_server",
    "sequences": "embedded.sequence_routing",
    "DEFAULT_MODEL": "embedded.weights",
    "EMBEDDED_MODELS": "embedded.weights",
    "assemble": "embedded.weights",
    "model_path": "embedded.weights",
    "BatchGate": "openai_batch.gate",
    "BatchOptions": "openai_batch.jobs",
    "BatchOutcome": "openai_batch.jobs",
    "BatchRunner": "openai_batch.jobs",
    "check_batchable": "openai_batch.jobs",
    "DEFAULT_TIMEOUT": "options",
    "LLMOptions": "options",
    "RedactingFilter": "secrets",
    "redact": "secrets",
    "secret_values": "secrets",
    "PROMPT_CHARS_PER_TOKEN": "tokens.counting",
    "counter_for": "tokens.counting",
    "request_cost": "tokens.counting",
    "Estimator": "tokens.estimate",
    "max_tokens_for_model": "tokens.max_tokens",
    "TokenLedger": "tokens.run_budget",
    "CacheMode": "transport.cache",
    "ResponseCache": "transport.cache",
}

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "EMBEDDED_MODELS",
    "PROMPT_CHARS_PER_TOKEN",
    "BackendSpec",
    "BatchGate",
    "BatchOptions",
    "BatchOutcome",
    "BatchRunner",
    "CacheMode",
    "Estimator",
    "LLMClient",
    "LLMOptions",
    "RedactingFilter",
    "ResponseCache",
    "TokenLedger",
    "Wrapper",
    "assemble",
    "check_batchable",
    "counter_for",
    "max_tokens_for_model",
    "model_path",
    "redact",
    "request_cost",
    "resolve",
    "secret_values",
    "sequences",
    "serve",
    "valid_forms",
]


def __getattr__(name: str) -> Any:
    """The public name ``name``, imported from its module on first use."""
    owner = _OWNERS.get(name)
    if owner is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{owner}"), name)
    globals()[name] = value
    return value
