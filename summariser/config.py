"""Settings: a frozen configuration object, resolved flag → ``SUMMARISER_*`` env → file → default.

Every value, wherever it comes from, is checked by its entry of
`summariser.settings_table.TABLE` — the one place each setting's type and range are written
down — and a bad one is one `ConfigError` line (exit 2) naming the setting as it was given
(``--timeout``, ``SUMMARISER_TIMEOUT``, ``timeout in <config file>``, ``keyword argument
timeout``) and the values it accepts. `Settings` checks its fields when it is made, so no
`Settings` object holds a value out of range, however it was built.

The config file is TOML, read from ``SUMMARISER_CONFIG`` (``/dev/null``: no config file) or
``~/.config/summariser/config.toml`` (platform config dir) through
`summariser.files.read_text_bounded`: a regular file (checked on the open descriptor; a FIFO
or ``/dev/zero`` is refused, never read), UTF-8, at most `MAX_CONFIG_BYTES`. Its keys are
the `Settings` fields the table lets a file set (`FILE_KEYS`: ``model``, ``cache``,
``cache_dir``, ``cassette``, ``cassette_mode``, ``reasks``, ``timeout``, ``deadline``,
``temperature``, ``seed``, ``long_articles``, ``allow_ungrounded``, ``max_tokens_total``), each
of its TOML type (a number, a boolean, a string). API keys are never read from the config file.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError, InputError
from .files import read_text_bounded
from .llm import LLMOptions
from .settings_table import CONFIG, KEYWORD, RECORD, TABLE, in_file, shown

__all__ = [
    "FIELDS",
    "FILE_KEYS",
    "MAX_CONFIG_BYTES",
    "ChunkPolicy",
    "Settings",
    "check_arguments",
    "config_file",
    "flag_value",
    "load_settings",
    "load_settings_from_flags",
    "override",
]

ChunkPolicy = Literal["chunk", "fail"]

#: The largest config file read (a config file holds a few settings; anything bigger is a mistake).
MAX_CONFIG_BYTES = 2**20


@dataclass(frozen=True, kw_only=True)
class Settings(LLMOptions):
    """Everything that shapes a run. Build with `load_settings` to honour env and config file.

    The options of the LLM layer (cache, cassette, retries, re-asks, timeout, deadline,
    temperature, seed, API key) are `LLMOptions`' fields, declared there once with their
    defaults; these are the ones only the pipeline reads. Every field is checked when the
    object is made (`summariser.settings_table.TABLE`): a value of the wrong type or out of
    range is a `ConfigError`, and a path is made a `Path`.
    """

    model: str | None = None
    """Model string (see `summariser.llm.backends`); None = the embedded default."""
    long_articles: ChunkPolicy = "chunk"
    """What to do with an article longer than the context window: split it, or fail."""
    allow_ungrounded: bool = False
    """Keep summary bullets and implications that no source span supports (flagged in the report)."""
    max_tokens_total: int | None = None
    """Tokens (prompt + completion, retries and re-asks included) one call — a briefing, or a whole
    `regenerate` run — may spend (``--max-tokens-total``, ``SUMMARISER_MAX_TOKENS_TOTAL``); None = no limit.
    A request whose worst case would not fit is not sent (`summariser.llm.tokens.run_budget`)."""

    def llm_options(self) -> LLMOptions:
        """The part of these settings that the LLM layer uses."""
        return LLMOptions(**{name: getattr(self, name) for name in _LLM_FIELDS})


_LLM_FIELDS = tuple(f.name for f in dataclasses.fields(LLMOptions))
_DECLARED = frozenset(f.name for f in dataclasses.fields(Settings))
#: Every setting, in the order of `TABLE` (the order messages list them in).
FIELDS = tuple(name for name in TABLE if name in _DECLARED)
#: The settings a config file may set, and those the environment sets (the API key is read where it is used).
FILE_KEYS = tuple(name for name in FIELDS if TABLE[name].in_file)
_ENV_KEYS = tuple(name for name in FIELDS if TABLE[name].env and name != "api_key")


def _known(name: str, where: str, valid: tuple[str, ...] = FIELDS) -> None:
    if name not in valid:
        raise ConfigError(f"unknown setting {shown(name)} {where}; valid: {', '.join(valid)}")


def _keywords(changes: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments (None = unset) checked as typed values; an unknown name lists the valid ones."""
    for name in changes:
        _known(name, "in the keyword arguments")
    return {name: TABLE[name].check(value, KEYWORD) for name, value in changes.items() if value is not None}


def override(base: Settings, **changes: Any) -> Settings:
    """``base`` with ``changes`` applied (None = keep), each checked as a keyword argument."""
    if not isinstance(base, Settings):
        raise ConfigError(f"{KEYWORD} settings must be a summariser.Settings or None, not {shown(base)}")
    values = _keywords(changes)
    return dataclasses.replace(base, **values) if values else base


def load_settings(**overrides: Any) -> Settings:
    """Resolve settings: keyword arguments (None = unset) → env → config file → defaults."""
    return _resolve(_keywords(overrides))


def load_settings_from_flags(**flags: Any) -> Settings:
    """`load_settings` for command-line values, as the command line gave them (None = flag not given).

    Text is parsed as the environment's is; a bad value names the flag (``--timeout``).
    """
    given: dict[str, Any] = {}
    for name, value in flags.items():
        _known(name, "on the command line")
        checked = TABLE[name].from_flag(value)
        if checked is not None:
            given[name] = checked
    return _resolve(given)


def flag_value(name: str, value: Any) -> Any:
    """The value of the flag of setting or run option ``name``, as given on the command line, checked (None: none)."""
    return TABLE[name].from_flag(value)


def check_arguments(
    paths: Mapping[str, object], callbacks: Mapping[str, object] | None = None, **options: object
) -> None:
    """Check a public function's arguments: ``paths`` must be paths (else `InputError`), ``callbacks``
    functions or None, ``options`` run options of `TABLE` (``concurrency``, ``force``…; None is refused)."""
    for name, value in paths.items():
        text = os.fspath(value) if isinstance(value, str | os.PathLike) else None
        if not isinstance(text, str) or not text or "\0" in text:
            raise InputError(f"argument {name} must be a path (str or os.PathLike), not {shown(value)}")
    for name, value in (callbacks or {}).items():
        if value is not None and not callable(value):
            raise ConfigError(f"{KEYWORD} {name} must be a function or None, not {shown(value)}")
    for name, value in options.items():
        TABLE[name].check(value, KEYWORD)


def _resolve(given: dict[str, Any]) -> Settings:
    values = _from_file()
    for setting in TABLE.values():  # every variable is checked here, at the start, even one this run never reads
        value = setting.from_env()
        if value is not None and setting.name in _ENV_KEYS:
            values[setting.name] = value
    if RECORD.from_env():
        values["cassette_mode"] = "record"
    values.update(given)
    return Settings(**values)


def config_file() -> Path | None:
    """The config file to read: ``SUMMARISER_CONFIG`` (checked; ``/dev/null``: none), else the platform's, if any."""
    path = CONFIG.from_env()
    if path is not None:
        return None if path == Path(os.devnull) else path
    import platformdirs

    default = Path(platformdirs.user_config_dir("summariser")) / "config.toml"
    return default if os.path.lexists(default) else None


def _from_file() -> dict[str, Any]:
    """The settings of the config file (none if there is no file), each checked; a bad file is a `ConfigError`."""
    path = config_file()
    if path is None:
        return {}
    text = read_text_bounded(
        path, what="the config file", limit=MAX_CONFIG_BYTES, error=ConfigError,
        too_big="a config file holds a few settings: check SUMMARISER_CONFIG",
    )  # fmt: skip
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        detail = str(err) if isinstance(err, tomllib.TOMLDecodeError) else "nested too deep"
        raise ConfigError(f"cannot read the config file {path}: {detail}; fix or remove it") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "api_key":
            raise ConfigError(f"{path} holds an api_key; keep keys in the environment (SUMMARISER_API_KEY)")
        _known(key, in_file(path), FILE_KEYS)
        values[key] = TABLE[key].check(value, in_file(path))
    return values
