"""Backend selection from a ``scheme:model`` string.

Valid forms::

    local                         the embedded default (local:qwen2.5-1.5b)
    local:qwen2.5-1.5b            embedded Qwen2.5-Coder-1.5B-Instruct (default)
    local:qwen2.5-0.5b | small    embedded Qwen2.5-Coder-0.5B-Instruct (faster, weaker)
    local:/path/model.gguf        any GGUF chat model file, in-process
    openai:gpt-4o-mini            OpenAI, key from OPENAI_API_KEY (or SUMMARISER_API_KEY)
    ollama:llama3.1               Ollama on OLLAMA_HOST (default http://localhost:11434)
    http://host:8000/v1#model     any OpenAI-compatible server (vLLM, llama.cpp server, …);
                                  the part after '#' is the model name (default "default"),
                                  key from SUMMARISER_API_KEY (or in the query: ?api-key=…)

Every base URL — of the model string, ``OPENAI_BASE_URL`` (checked whenever a backend is
resolved: every secret filter reads it) and ``OLLAMA_HOST`` (for ``ollama:`` models) — passes
`endpoint.check` first; a malformed one is a one-line `ConfigError` naming the setting.
The label and the identity are `endpoint.public`: no password, no secret query value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from summariser.errors import ConfigError
from summariser.llm.embedded.weights import DEFAULT_MODEL, EMBEDDED_MODELS, EmbeddedModel, gguf_file
from summariser.llm.endpoint import base_url, check, public
from summariser.settings_table import CONTEXT_TOKENS, DEFAULT_CONTEXT_TOKENS, TABLE

ALIASES = {"default": f"local:{DEFAULT_MODEL}", "small": "local:qwen2.5-0.5b", "local": f"local:{DEFAULT_MODEL}"}


@dataclass(frozen=True)
class BackendSpec:
    """A resolved backend: where requests go and which model answers them."""

    kind: Literal["local", "http"]
    model: str  # the model name sent in the request body
    base_url: str = field(repr=False)  # as given, userinfo and query too (`endpoint` says what goes where)
    label: str  # canonical model string, e.g. "local:qwen2.5-1.5b"; never a secret (`endpoint.public`)
    api_key: str | None = field(default=None, repr=False)
    embedded: EmbeddedModel | None = None

    @property
    def identity(self) -> str:
        """Endpoint identity for cache and cassette keys (never contains a secret)."""
        if self.embedded is not None:
            return f"local:{self.embedded.alias}@{self.embedded.sha256[:16]}"
        return public(self.base_url)

    @property
    def context_tokens(self) -> int:
        """Context window to plan prompts for (``SUMMARISER_CONTEXT_TOKENS`` overrides for HTTP)."""
        if self.embedded is not None:
            return self.embedded.n_ctx
        return CONTEXT_TOKENS.env_or(DEFAULT_CONTEXT_TOKENS)


def valid_forms() -> str:
    """A one-line list of valid model strings, for error messages and --help."""
    local = ", ".join(f"local:{a}" for a in EMBEDDED_MODELS)
    return f"{local}, small, openai:<model>, ollama:<model>, http(s)://host:port/v1#<model>"


def resolve(model: str | None, api_key: str | None = None) -> BackendSpec:
    """Turn a model string (or None for the default) into a `BackendSpec`."""
    openai_base = (os.environ.get("OPENAI_BASE_URL") or "").strip()
    if openai_base:
        check(openai_base, "OPENAI_BASE_URL")
    raw = (model or TABLE["model"].from_env() or "default").strip()
    text = ALIASES.get(raw, raw)
    if text.lower().startswith(("http://", "https://")):
        url, _, name = text.partition("#")
        check(url, "--model (model, SUMMARISER_MODEL)", f"; valid models: {valid_forms()}")
        key = api_key or TABLE["api_key"].from_env() or "not-needed"
        return BackendSpec("http", name or "default", base_url(url), label=public(text), api_key=key)
    scheme, sep, name = text.partition(":")
    if not sep or not name:
        raise ConfigError(f"unknown model {raw!r}; valid: {valid_forms()}")
    if scheme == "local":
        embedded = gguf_file(name) if name.endswith(".gguf") else EMBEDDED_MODELS.get(name)
        if embedded is None:
            raise ConfigError(f"unknown local model {name!r}; valid: {valid_forms()}")
        return BackendSpec("local", embedded.alias, f"http://local.{embedded.alias}/v1", text, None, embedded)
    if scheme == "openai":
        openai_key = api_key or TABLE["api_key"].from_env() or os.environ.get("OPENAI_API_KEY")
        if not openai_key:
            raise ConfigError(f"model {raw!r} needs an API key; set OPENAI_API_KEY or pass --api-key")
        base = openai_base or "https://api.openai.com/v1"
        return BackendSpec("http", name, base_url(base), text, openai_key)
    if scheme == "ollama":
        host = (os.environ.get("OLLAMA_HOST") or "").strip() or "http://localhost:11434"
        if not host.lower().startswith(("http://", "https://")):
            host = f"http://{host}"
        check(host, "OLLAMA_HOST")
        return BackendSpec("http", name, base_url(host, "/v1"), text, api_key or "ollama")
    raise ConfigError(f"unknown model {raw!r}; valid: {valid_forms()}")
