"""Settings: a frozen configuration object, resolved flag → ``SUMMARISER_*`` env → file → default.

The config file is TOML, read from ``SUMMARISER_CONFIG`` or ``~/.config/summariser/config.toml``
(platform config dir), with the same keys as `Settings` (``model``, ``cache``, ``cache_dir``,
``reasks``, ``timeout``, ``deadline``, ``long_articles``, ``allow_ungrounded``, ``max_tokens_total``). API keys
are never read from the config file.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from .errors import ConfigError
from .llm.cache import CacheMode
from .llm.cassette import CassetteMode
from .llm.options import LLMOptions
from .llm.retry import RetryPolicy

__all__ = ["FIELDS", "ChunkPolicy", "Settings", "load_settings", "override"]

ChunkPolicy = Literal["chunk", "fail"]


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run. Build with `load_settings` to honour env and config file."""

    model: str | None = None
    """Model string (see `summariser.llm.backends`); None = the embedded default."""
    api_key: str | None = field(default=None, repr=False)
    cache: CacheMode = "on"
    cache_dir: Path | None = None
    cassette: Path | None = None
    cassette_mode: CassetteMode = "replay"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    reasks: int = 2
    """How many times instructor re-asks the model after a validation error."""
    timeout: float = 600.0
    """Seconds one request may take in all, retries included (``--timeout``, ``SUMMARISER_TIMEOUT``)."""
    deadline: float | None = None
    """Seconds one briefing's requests may take together (``SUMMARISER_DEADLINE``); None = no limit."""
    temperature: float = 0.0
    seed: int = 0
    long_articles: ChunkPolicy = "chunk"
    """What to do with an article longer than the context window: split it, or fail."""
    allow_ungrounded: bool = False
    """Keep summary bullets and implications that no source span supports (flagged in the report)."""
    max_tokens_total: int | None = None
    """Tokens (prompt + completion, retries and re-asks included) one call — a briefing, or a whole
    `regenerate` run — may spend (``--max-tokens-total``, ``SUMMARISER_MAX_TOKENS_TOTAL``); None = no limit.
    A request whose worst case would not fit is not sent (`summariser.llm.ledger`)."""

    def llm_options(self) -> LLMOptions:
        """The part of these settings that the LLM layer uses."""
        return LLMOptions(
            api_key=self.api_key,
            cache=self.cache,
            cache_dir=self.cache_dir,
            cassette=self.cassette,
            cassette_mode=self.cassette_mode,
            retry=self.retry,
            reasks=self.reasks,
            timeout=self.timeout,
            deadline=self.deadline,
            temperature=self.temperature,
            seed=self.seed,
        )

    def response_cache_dir(self) -> Path:
        """Directory of the response cache."""
        return self.llm_options().response_cache_dir()


def _config_file() -> Path | None:
    env = os.environ.get("SUMMARISER_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    path = Path(platformdirs.user_config_dir("summariser")) / "config.toml"
    return path if path.exists() else None


_WHOLE = {"reasks", "seed", "max_tokens_total"}
_POSITIVE = {"max_tokens_total": "a positive whole number of tokens (--max-tokens-total, SUMMARISER_MAX_TOKENS_TOTAL)"}
_REAL = {"timeout", "deadline", "temperature"}
_SECONDS = {"timeout", "deadline"}
_CHOICES: dict[str, tuple[str, ...]] = {
    "cache": get_args(CacheMode),
    "cassette_mode": get_args(CassetteMode),
    "long_articles": get_args(ChunkPolicy),
}


def _coerce(name: str, value: Any) -> Any:
    """``value`` as the type of setting ``name``; a `ConfigError` naming the setting when it cannot be."""
    if name in {"cache_dir", "cassette"}:
        if not isinstance(value, str | os.PathLike):
            raise ConfigError(f"{name} must be a path, not {value!r}")
        return Path(value).expanduser() if value else None
    if name in _WHOLE | _REAL:
        kind = int if name in _WHOLE else float
        try:
            if isinstance(value, bool) or (kind is int and isinstance(value, float)):
                raise ValueError
            number = kind(value)
        except (TypeError, ValueError):
            what = _POSITIVE.get(name) or ("a whole number" if kind is int else "a number")
            raise ConfigError(f"{name} must be {what}, not {value!r}") from None
        if name in _POSITIVE and number <= 0:
            raise ConfigError(f"{name} must be {_POSITIVE[name]}, not {value!r}")
        if name in _SECONDS and not 0 < number < float("inf"):
            raise ConfigError(f"{name} must be a positive number of seconds, not {value!r}")
        return number
    if name == "allow_ungrounded":
        if isinstance(value, str):
            if value.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ConfigError(f"allow_ungrounded must be true or false, not {value!r}")
            return value.lower() in {"1", "true", "yes"}
        return bool(value)
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ConfigError(f"{name} must be one of {'/'.join(_CHOICES[name])}, not {value!r}")
    if name in {"model", "api_key"} and not isinstance(value, str):
        raise ConfigError(f"{name} must be a string, not {value!r}")
    if name == "retry" and not isinstance(value, RetryPolicy):
        raise ConfigError(f"retry must be a summariser.llm.retry.RetryPolicy, not {value!r}")
    return value


#: Every setting, in declaration order.
FIELDS = tuple(f.name for f in dataclasses.fields(Settings))
_ENV_KEYS = (
    "model",
    "cache",
    "cache_dir",
    "cassette",
    "reasks",
    "timeout",
    "deadline",
    "long_articles",
    "allow_ungrounded",
    "max_tokens_total",
)


def _validated(changes: dict[str, Any], where: str, valid: tuple[str, ...] = FIELDS) -> dict[str, Any]:
    """``changes`` (None values skipped) coerced; an unknown name is a `ConfigError` listing the valid ones."""
    unknown = sorted(set(changes) - set(valid))
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} {where}; valid: {', '.join(valid)}")
    return {key: _coerce(key, value) for key, value in changes.items() if value is not None}


def override(base: Settings, **changes: Any) -> Settings:
    """``base`` with ``changes`` applied (None = keep), validated like the config file and the environment."""
    values = _validated(changes, "in the overrides")
    return dataclasses.replace(base, **values) if values else base


def load_settings(**overrides: Any) -> Settings:
    """Resolve settings: explicit overrides (None = unset) → env → config file → defaults."""
    values: dict[str, Any] = {}
    path = _config_file()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"cannot read config file {path}: {err}; fix or remove it") from None
        for key, value in data.items():
            if key == "api_key":
                raise ConfigError(f"{path} holds an api_key; keep keys in the environment (SUMMARISER_API_KEY)")
            values.update(_validated({key: value}, f"in {path}", tuple(f for f in FIELDS if f != "api_key")))
    for key in _ENV_KEYS:
        env = os.environ.get(f"SUMMARISER_{key.upper()}")
        if env:
            values[key] = _coerce(key, env)
    if os.environ.get("SUMMARISER_RECORD") == "1":
        values["cassette_mode"] = "record"
    values.update(_validated(overrides, "in the overrides"))
    return Settings(**values)
