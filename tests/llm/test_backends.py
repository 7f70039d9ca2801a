"""Tests of summariser.llm.backends: every model-string form, its errors, and key hygiene."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import ConfigError
from summariser.llm.backends import BackendSpec, resolve, valid_forms
from summariser.llm.embedded.weights import DEFAULT_MODEL, EMBEDDED_MODELS

KEY = "sk-test-SECRET123"
ENV_KEYS = ("OPENAI_API_KEY", "SUMMARISER_API_KEY", "SUMMARISER_MODEL", "OPENAI_BASE_URL", "OLLAMA_HOST")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_KEYS:
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- embedded


@pytest.mark.parametrize("model", [None, "", "default", "local", f"local:{DEFAULT_MODEL}"])
def test_default_forms_resolve_to_the_embedded_default(model: str | None) -> None:
    spec = resolve(model)
    default = EMBEDDED_MODELS[DEFAULT_MODEL]
    assert spec.kind == "local"
    assert spec.embedded is default
    assert spec.model == DEFAULT_MODEL
    assert spec.label == f"local:{DEFAULT_MODEL}"
    assert spec.api_key is None
    assert spec.identity == f"local:{DEFAULT_MODEL}@{default.sha256[:16]}"
    assert spec.context_tokens == default.n_ctx


@pytest.mark.parametrize("model", ["small", "local:qwen2.5-0.5b"])
def test_small_forms_resolve_to_the_half_billion_model(model: str) -> None:
    spec = resolve(model)
    assert spec.kind == "local"
    assert spec.embedded is EMBEDDED_MODELS["qwen2.5-0.5b"]
    assert spec.model == "qwen2.5-0.5b"
    assert spec.label == "local:qwen2.5-0.5b"
    assert spec.identity.startswith("local:qwen2.5-0.5b@")


def test_the_two_embedded_models_have_different_identities() -> None:
    assert resolve("small").identity != resolve("local").identity


def test_summariser_model_env_is_used_when_model_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISER_MODEL", "small")
    assert resolve(None).embedded is EMBEDDED_MODELS["qwen2.5-0.5b"]
    monkeypatch.setenv("SUMMARISER_MODEL", "http://gpu-box:8000/v1#qwen")
    assert resolve(None).base_url == "http://gpu-box:8000/v1"
    # An explicit model wins over the environment.
    assert resolve("local").embedded is EMBEDDED_MODELS[DEFAULT_MODEL]


# --------------------------------------------------------------------------- HTTP backends


def test_openai_with_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    spec = resolve("openai:gpt-4o-mini")
    assert spec.kind == "http"
    assert spec.model == "gpt-4o-mini"
    assert spec.base_url == "https://api.openai.com/v1"
    assert spec.label == "openai:gpt-4o-mini"
    assert spec.api_key == KEY
    assert spec.embedded is None
    assert KEY not in spec.identity
    assert KEY not in repr(spec)


def test_openai_explicit_key_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-0000")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.example/v1/")
    spec = resolve("openai:gpt-4o-mini", api_key=KEY)
    assert spec.api_key == KEY  # the explicit key wins
    assert spec.base_url == "https://proxy.example/v1"


def test_openai_without_key_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve("openai:gpt-4o-mini")
    assert "OPENAI_API_KEY" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_ollama_uses_ollama_host(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = resolve("ollama:llama3.1")
    assert (spec.kind, spec.model, spec.base_url) == ("http", "llama3.1", "http://localhost:11434/v1")
    assert spec.api_key  # the openai client needs some key; ollama ignores it
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:11434")
    assert resolve("ollama:llama3.1").base_url == "http://gpu-box:11434/v1"


def test_http_url_with_model_after_hash() -> None:
    spec = resolve("http://localhost:8000/v1#qwen", api_key=KEY)
    assert spec.kind == "http"
    assert spec.model == "qwen"
    assert spec.base_url == "http://localhost:8000/v1"
    assert spec.label == "http://localhost:8000/v1#qwen"
    assert spec.api_key == KEY
    assert spec.identity == "http://localhost:8000/v1"


def test_https_url_without_model_name_uses_default(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = resolve("https://x/v1")
    assert (spec.kind, spec.model, spec.base_url) == ("http", "default", "https://x/v1")
    assert spec.api_key == "not-needed"
    monkeypatch.setenv("SUMMARISER_API_KEY", KEY)
    assert resolve("https://x/v1").api_key == KEY


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("model", ["foo", "local:nope", "http://", "https://#model", "openai:", "gemini:pro", ":x"])
def test_unknown_model_strings_list_the_valid_forms(model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with pytest.raises(ConfigError) as caught:
        resolve(model)
    message = str(caught.value)
    assert "\n" not in message
    assert valid_forms() in message
    for form in ("local:qwen2.5-1.5b", "local:qwen2.5-0.5b", "small", "openai:", "ollama:", "http"):
        assert form in message


# --------------------------------------------------------------------------- key hygiene


@pytest.mark.parametrize(
    "model",
    [
        None,
        "default",
        "local",
        "small",
        "local:qwen2.5-0.5b",
        "openai:gpt-4o-mini",
        "ollama:llama3.1",
        "http://localhost:8000/v1#qwen",
        "https://x/v1",
    ],
)
def test_identity_never_contains_the_api_key(model: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("SUMMARISER_API_KEY", KEY)
    for spec in (resolve(model), resolve(model, api_key=KEY)):
        assert KEY not in spec.identity
        assert "SECRET" not in spec.identity
        assert KEY not in repr(spec)
        assert isinstance(spec, BackendSpec)


def test_identity_does_not_depend_on_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache must keep hitting after a key rotation.
    a = resolve("http://localhost:8000/v1#qwen", api_key="sk-old-key-1")
    b = resolve("http://localhost:8000/v1#qwen", api_key="sk-new-key-2")
    assert a.identity == b.identity
    monkeypatch.setenv("OPENAI_API_KEY", "sk-old-key-1")
    old = resolve("openai:gpt-4o-mini").identity
    monkeypatch.setenv("OPENAI_API_KEY", "sk-new-key-2")
    assert resolve("openai:gpt-4o-mini").identity == old


def test_a_gguf_file_of_ones_own_runs_in_process_keyed_by_its_content(tmp_path: Path) -> None:
    from summariser.llm.embedded.weights import assemble

    path = tmp_path / "my-model.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 60)
    spec = resolve(f"local:{path}")
    assert spec.kind == "local" and spec.embedded is not None and spec.embedded.file == str(path)
    assert assemble(spec.embedded) == path  # used in place, never copied
    path.write_bytes(b"GGUF" + b"\1" * 60)
    assert resolve(f"local:{path}").identity != spec.identity  # other weights, other cache keys


def test_a_model_file_that_is_missing_or_not_gguf_is_a_clear_error(tmp_path: Path) -> None:
    from summariser.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="cannot be read"):
        resolve(f"local:{tmp_path / 'absent.gguf'}")
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model")
    with pytest.raises(ModelUnavailable, match="not a GGUF model file"):
        resolve(f"local:{fake}")
