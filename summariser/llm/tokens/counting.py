"""Prompt tokens of a chat request, before it is sent: what the token budget and the dry run count.

`counter_for` gives the `PromptCounter` of a backend:

* the embedded model (and any ``local:/path/model.gguf``) — its own tokenizer: llama.cpp
  loads the GGUF's vocabulary only (``vocab_only``, no weights, ~1 s), the messages are
  rendered with the model's chat template as ``create_chat_completion`` renders them, and the
  tokens counted: the ``prompt_tokens`` the model will report (`exact` is True; every
  exchange of the recorded cassettes matches);
* an HTTP endpoint — an estimate from characters, `PROMPT_CHARS_PER_TOKEN` per token (plus
  `MESSAGE_OVERHEAD_TOKENS` per message and `REPLY_PRIMER_TOKENS`): the endpoint's tokenizer is
  not at hand. English news runs at ~4.2 characters per Qwen token, so the estimate is high
  for English and low for scripts of about one token per character (`exact` is False).

`request_cost` is the worst case of one request body: its prompt tokens and its
``max_tokens`` (the completion bound `summariser.llm.tokens.max_tokens` computed from the schema).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from summariser.llm.backends import BackendSpec
from summariser.llm.embedded.weights import model_path
from summariser.llm.transport.exchange import messages_of

__all__ = [
    "MESSAGE_OVERHEAD_TOKENS",
    "PROMPT_CHARS_PER_TOKEN",
    "REPLY_PRIMER_TOKENS",
    "PromptCounter",
    "RequestCost",
    "counter_for",
    "request_cost",
]

#: Characters per prompt token assumed where no tokenizer is at hand (HTTP endpoints, and the
#: pipeline's planning of article parts). Pessimistic for English news (~4.2 on Qwen).
PROMPT_CHARS_PER_TOKEN = 3.0
#: Tokens a chat template adds around each message (Qwen/ChatML: ``<|im_start|>role\n … <|im_end|>\n``).
MESSAGE_OVERHEAD_TOKENS = 5
#: Tokens that open the answer (``<|im_start|>assistant\n``).
REPLY_PRIMER_TOKENS = 3


@dataclass(frozen=True)
class RequestCost:
    """The most one request can cost: its prompt tokens and its completion bound (``max_tokens``)."""

    prompt: int
    completion: int

    @property
    def total(self) -> int:
        """Prompt plus completion."""
        return self.prompt + self.completion


class PromptCounter:
    """Counts the prompt tokens of chat messages: by characters, or (``gguf``) with the model's tokenizer."""

    def __init__(self, gguf: Path | None = None) -> None:
        self._vocab: Any = None
        self._template: Any = None
        self._lock = threading.Lock()
        if gguf is not None:
            self._vocab, self._template = _vocabulary(str(gguf))
        self.exact = self._vocab is not None
        """True when the count is the model's own tokenizer's, False for the estimate from characters."""

    def count(self, messages: Sequence[Any]) -> int:
        """The prompt tokens of ``messages`` (chat messages as sent: ``{"role", "content"}`` dicts)."""
        texts = [_content(m) for m in messages]
        if not self.exact:
            chars = math.ceil(sum(len(t) for t in texts) / PROMPT_CHARS_PER_TOKEN)
            return chars + MESSAGE_OVERHEAD_TOKENS * len(texts) + REPLY_PRIMER_TOKENS
        with self._lock:  # one llama.cpp vocabulary, shared by the run's threads
            if self._template is not None:
                roles = [str(m.get("role", "user")) if isinstance(m, dict) else "user" for m in messages]
                prompt = self._template(
                    messages=[{"role": r, "content": t} for r, t in zip(roles, texts, strict=True)]
                ).prompt
                return len(self._vocab.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))
            tokens = sum(len(self._vocab.tokenize(t.encode("utf-8"), add_bos=False, special=False)) for t in texts)
        return tokens + MESSAGE_OVERHEAD_TOKENS * len(texts) + REPLY_PRIMER_TOKENS


def _content(message: Any) -> str:
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, list):  # content parts: count their text
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


@cache
def _vocabulary(path: str) -> tuple[Any, Any]:
    """llama.cpp's vocabulary of the GGUF at ``path`` and its chat-template formatter (either may be None)."""
    try:
        import llama_cpp
        from llama_cpp._internals import LlamaModel
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    except ImportError:
        return None, None
    try:
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True  # the tokenizer and the metadata, no weights
        vocab = LlamaModel(path_model=path, params=params, verbose=False)
    except Exception:  # an unreadable file: the run will say so; the count falls back to characters
        return None, None
    template = None
    source = vocab.metadata().get("tokenizer.chat_template")
    if source:
        eos, bos = vocab.token_eos(), vocab.token_bos()
        try:  # as llama-cpp-python's Llama sets up its chat handler from the GGUF
            template = Jinja2ChatFormatter(
                template=source,
                eos_token=vocab.token_get_text(eos) if eos != -1 else "",
                bos_token=vocab.token_get_text(bos) if bos != -1 else "",
            )
        except Exception:  # a template llama-cpp-python cannot render: per-message overheads instead
            template = None
    return vocab, template


def counter_for(spec: BackendSpec) -> PromptCounter:
    """The prompt counter of ``spec``: the model's tokenizer when its GGUF file is on disk, else characters.

    The embedded model's weights are not assembled for a count: a dry run before the first
    real run estimates from characters, like an HTTP endpoint.
    """
    if spec.embedded is None:
        return _CHARS
    gguf = Path(spec.embedded.file) if spec.embedded.file else model_path(spec.embedded)
    return _counter(str(gguf)) if gguf.is_file() else _CHARS


@cache
def _counter(path: str) -> PromptCounter:
    return PromptCounter(Path(path))


_CHARS = PromptCounter()


def request_cost(counter: PromptCounter, body: Any) -> RequestCost:
    """The worst case of the chat request ``body``: its prompt tokens and its ``max_tokens`` (0 if it sets none)."""
    limit = body.get("max_tokens") or body.get("max_completion_tokens") if isinstance(body, dict) else None
    completion = limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else 0
    return RequestCost(counter.count(messages_of(body)), completion)
