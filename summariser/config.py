"""Settings: a frozen configuration object, resolved flag → ``SUMMARISER_*`` env → file → default.

The config file is TOML, read from ``SUMMARISER_CONFIG`` or ``~/.config/summariser/config.toml``
(platform config dir), with the same keys as `Settings` (``model``, ``cache``, ``cache_dir``,
``reasks``, ``timeout``, ``long_articles``, ``allow_ungrounded``). API keys are never read from the config file.
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
from .llm.retry import RetryPolicy
from .llm.weights import cache_root

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
    temperature: float = 0.0
    seed: int = 0
    long_articles: ChunkPolicy = "chunk"
    """What to do with an article longer than the context window: split it, or fail."""
    allow_ungrounded: bool = False
    """Keep summary bullets and implications that no source span supports (flagged in the report)."""

    def response_cache_dir(self) -> Path:
        """Directory of the response cache."""
        return self.cache_dir or cache_root() / "responses"


def _config_file() -> Path | None:
    env = os.environ.get("SUMMARISER_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    path = Path(platformdirs.user_config_dir("summariser")) / "config.toml"
    return path if path.exists() else None


def _coerce(name: str, value: Any) -> Any:
    if name in {"cache_dir", "cassette"}:
        return Path(value).expanduser() if value else None
    if name == "reasks":
        return int(value)
    if name in {"timeout", "temperature"}:
        return float(value)
    if name == "seed":
        return int(value)
    if name == "allow_ungrounded":
        if isinstance(value, str):
            if value.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ConfigError(f"allow_ungrounded must be true or false, not {value!r}")
            return value.lower() in {"1", "true", "yes"}
        return bool(value)
    if name == "cache" and value not in get_args(CacheMode):
        raise ConfigError(f"cache must be one of on/off/refresh, not {value!r}")
    if name == "cassette_mode" and value not in get_args(CassetteMode):
        raise ConfigError(f"cassette_mode must be replay or record, not {value!r}")
    if name == "long_articles" and value not in get_args(ChunkPolicy):
        raise ConfigError(f"long_articles must be chunk or fail, not {value!r}")
    return value


_ENV_KEYS = ("model", "cache", "cache_dir", "cassette", "reasks", "timeout", "long_articles", "allow_ungrounded")


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
            if key not in {f.name for f in dataclasses.fields(Settings)}:
                raise ConfigError(f"unknown setting {key!r} in {path}; valid: {', '.join(_ENV_KEYS)}")
            values[key] = _coerce(key, value)
    for key in _ENV_KEYS:
        env = os.environ.get(f"SUMMARISER_{key.upper()}")
        if env:
            values[key] = _coerce(key, env)
    if os.environ.get("SUMMARISER_RECORD") == "1":
        values["cassette_mode"] = "record"
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(key, value)
    try:
        return Settings(**values)
    except TypeError as err:
        raise ConfigError(f"bad setting: {err}") from None
