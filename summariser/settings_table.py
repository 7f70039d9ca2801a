"""Every setting of summariser in one table: its type and range, its variable, its flag, its config key.

Each setting is a `Setting`: a `summariser.kinds.Kind` (the type and the range), the
``SUMMARISER_*`` environment variable that sets it, the command-line flag, and whether the
config file may set it. `TABLE` holds them all — the fields of `summariser.config.Settings`,
the run options of ``regenerate`` and ``serve``, and the environment-only switches that modules
below `summariser.config` read (the context window, threads, sequences, cache and model
folders, input limits). This is the one place a setting's value is checked:

* `Setting.from_env` reads and checks the setting's variable — the only way the package
  reads a ``SUMMARISER_*`` variable (the crash tests' ``SUMMARISER_TEST_KILL_AT`` aside: a
  test hook, read by `summariser.testpoints`, which sits below everything);
* `Setting.from_flag` checks a flag's value as the command line gave it (text);
* `Setting.check` checks a typed value — a config-file value or a keyword argument — with
  ``where`` saying where it came from (`in_file`, `KEYWORD`).

A bad value is one `ConfigError` line naming the setting as it was given
(``SUMMARISER_REASKS``, ``--timeout``, ``reasks in ~/.config/summariser/config.toml``,
``keyword argument reasks``), the accepted values and the value (an API key is never shown).
It sits at the bottom of the layers (it imports only `summariser.errors` and `summariser.kinds`),
so the LLM layer can use it; `summariser.config` resolves `Settings` from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from .errors import ConfigError
from .kinds import Choice, FilePath, Flag, Folder, Kind, Number, Retry, Text, Whole

__all__ = [
    "CACHE_DIR",
    "CONFIG",
    "CONTEXT_TOKENS",
    "DEBUG",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_CONTEXT_TOKENS",
    "DEFAULT_SLOTS",
    "KEYWORD",
    "LLAMA_SERVER",
    "LLAMA_SERVER_BUILD",
    "LLAMA_SERVER_CACHE",
    "MAX_ARTICLES",
    "MAX_INPUT_MB",
    "MAX_REASKS",
    "MAX_TIMEOUT",
    "MODELS_DIR",
    "PROMPTS_DIR",
    "RECORD",
    "SEQUENCES",
    "TABLE",
    "THREADS",
    "Setting",
    "in_file",
    "shown",
]

T = TypeVar("T")

#: ``where`` for a keyword argument of the Python API (``summarise(..., reasks=3)``).
KEYWORD = "keyword argument"
#: The most re-asks after an answer that does not validate (each is a whole new request).
MAX_REASKS = 10
#: The most seconds one request (its retries and re-asks included) may be given: a day.
MAX_TIMEOUT = 86_400.0


def in_file(path: Path | str) -> str:
    """``where`` for a value of the config file ``path``."""
    return f"in {path}"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: ``name`` (the `Settings` field or keyword), its ``kind``, and where it may come from."""

    name: str
    kind: Kind[T]
    env: str | None = None
    """The ``SUMMARISER_*`` variable that sets it (None: none does)."""
    flag: str | None = None
    """The command-line flag that sets it (None: none does)."""
    in_file: bool = False
    """Whether the config file may set it."""
    secret: bool = False
    """Never show the value in a message (an API key; a model string, whose URL may hold credentials)."""

    def _refuse(self, where: str, value: object, reason: str) -> ConfigError:
        if where.startswith("in "):
            where = f"{self.name} {where}"
        elif where == KEYWORD:
            where = f"{KEYWORD} {self.name}"
        given = " (the value is not shown)" if self.secret else f", not {shown(value)}"
        return ConfigError(f"{where} must be {reason}{given}")

    def check(self, value: object, where: str) -> T:
        """``value`` (typed: a config-file value or a keyword argument) checked; else a one-line `ConfigError`."""
        try:
            return self.kind.from_value(value)
        except ValueError as err:
            raise self._refuse(where, value, str(err)) from None

    def parse(self, text: str, where: str) -> T:
        """``text`` (an environment variable or a flag) parsed and checked; else a one-line `ConfigError`."""
        try:
            return self.kind.from_text(text)
        except ValueError as err:
            raise self._refuse(where, text, str(err)) from None

    def from_flag(self, value: object) -> T | None:
        """A flag's value as the command line gave it (None: not given); text is parsed, else checked."""
        where = self.flag or f"--{self.name.replace('_', '-')}"
        if value is None:
            return None
        return self.parse(value, where) if isinstance(value, str) else self.check(value, where)

    def from_env(self) -> T | None:
        """The value of the setting's variable, checked (None: unset or empty)."""
        if self.env is None:
            return None
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return None
        return self.parse(raw, self.env)

    @property
    def variable(self) -> str:
        """`env`, for a setting that has a variable (a message or a list names it); `LookupError` if it has none."""
        if self.env is None:
            raise LookupError(f"the setting {self.name} has no SUMMARISER_* variable")
        return self.env

    def env_or(self, default: T) -> T:
        """`from_env`, or ``default`` when the variable is unset or empty."""
        value = self.from_env()
        return default if value is None else value


def shown(value: object) -> str:
    """``value`` for a message: its repr, at most 60 characters."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = repr(value[:61] if isinstance(value, str | bytes) else value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _env(name: str) -> str:
    return f"SUMMARISER_{name.upper()}"


SECONDS = "seconds"
#: A model string's form is checked where it is parsed (`summariser.llm.backends.resolve`); here, type and length.
MODEL_FORMS = "its form checked when the model is resolved"

# The environment-only switches, typed, for the modules that read them.
CONFIG: Setting[Path] = Setting("config", FilePath("the config file", none=True), _env("config"))
RECORD: Setting[bool] = Setting("record", Flag(), _env("record"))
DEBUG: Setting[bool] = Setting("debug", Flag(), _env("debug"))
CONTEXT_TOKENS: Setting[int] = Setting("context_tokens", Whole(12_288, 10_000_000, "tokens"), _env("context_tokens"))
SEQUENCES: Setting[int] = Setting("sequences", Whole(1, 64, "sequences"), _env("sequences"))
THREADS: Setting[int] = Setting("threads", Whole(1, 1024, "threads"), _env("threads"))
CACHE_DIR: Setting[Path] = Setting("cache_dir", Folder("the cache folder"), _env("cache_dir"), in_file=True)
MODELS_DIR: Setting[Path] = Setting("models_dir", Folder("the models folder"), _env("models_dir"))
PROMPTS_DIR: Setting[Path] = Setting(
    "prompts_dir", Folder("a folder of prompt templates", existing=True), _env("prompts_dir")
)
MAX_INPUT_MB: Setting[float] = Setting("max_input_mb", Number(0, 2**20, "MB"), _env("max_input_mb"))
MAX_ARTICLES: Setting[int] = Setting("max_articles", Whole(1, 100_000, "articles"), _env("max_articles"))
LLAMA_SERVER: Setting[Path] = Setting("llama_server", FilePath("the llama-server binary"), _env("llama_server"))
LLAMA_SERVER_CACHE: Setting[Path] = Setting(
    "llama_server_cache", Folder("the llama-server build folder"), _env("llama_server_cache")
)
LLAMA_SERVER_BUILD: Setting[Path] = Setting(
    "llama_server_build", FilePath("the llama-server build script"), _env("llama_server_build")
)

#: Every setting. The `Settings` fields come first, in the order messages list them (`summariser.config.FIELDS`);
#: then the run options (keywords of ``regenerate``, flags of ``regenerate`` and ``serve``); then the switches
#: only the environment sets.
TABLE: dict[str, Setting[Any]] = {
    s.name: s
    for s in (
        Setting("model", Text("a model string", form=MODEL_FORMS), _env("model"), "--model", in_file=True, secret=True),
        Setting("api_key", Text("an API key", token=True), _env("api_key"), "--api-key", secret=True),
        Setting("cache", Choice("on", "off", "refresh"), _env("cache"), "--no-cache/--refresh", in_file=True),
        CACHE_DIR,
        Setting("cassette", FilePath("a cassette file"), _env("cassette"), in_file=True),
        Setting("cassette_mode", Choice("replay", "record"), in_file=True),
        Setting("retry", Retry()),
        Setting("reasks", Whole(0, MAX_REASKS), _env("reasks"), in_file=True),
        Setting("timeout", Number(0, MAX_TIMEOUT, SECONDS), _env("timeout"), "--timeout", in_file=True),
        Setting("deadline", Number(0, 7 * MAX_TIMEOUT, SECONDS), _env("deadline"), "--deadline", in_file=True),
        Setting("temperature", Number(0, 2, closed=True), in_file=True),
        Setting("seed", Whole(0, 2**32 - 1), in_file=True),
        Setting("long_articles", Choice("chunk", "fail"), _env("long_articles"), in_file=True),
        Setting("allow_ungrounded", Flag(), _env("allow_ungrounded"), "--allow-ungrounded", in_file=True),
        Setting(
            "max_tokens_total", Whole(1, 10**12, "tokens"), _env("max_tokens_total"), "--max-tokens-total", in_file=True
        ),
        Setting("concurrency", Whole(1, 64, "briefings in flight"), flag="--concurrency"),
        Setting("force", Flag(), flag="--force"),
        Setting("prune", Flag(), flag="--prune"),
        Setting("edit_pages", Flag(), flag="--edit-pages"),
        Setting("estimate", Flag()),
        Setting("batch_poll", Number(0.01, 3600, SECONDS, closed=True), flag="--batch-poll"),
        Setting("batch_wait", Number(0, 30 * MAX_TIMEOUT, SECONDS, closed=True), flag="--batch-wait"),
        Setting("parallel", Whole(1, 64, "server slots"), flag="--parallel"),
        Setting("port", Whole(1, 65_535), flag="--port"),
        CONFIG,
        RECORD,
        DEBUG,
        CONTEXT_TOKENS,
        SEQUENCES,
        THREADS,
        MODELS_DIR,
        PROMPTS_DIR,
        MAX_INPUT_MB,
        MAX_ARTICLES,
        LLAMA_SERVER,
        LLAMA_SERVER_CACHE,
        LLAMA_SERVER_BUILD,
    )
}

#: The context window (tokens) of an HTTP model when ``SUMMARISER_CONTEXT_TOKENS`` is not set.
DEFAULT_CONTEXT_TOKENS = 32_768
#: Slots (requests decoded together) of the llama-server ``summariser serve`` starts, unless ``--parallel``
#: says otherwise.
DEFAULT_SLOTS = 4
#: Briefings ``regenerate`` keeps in flight against an HTTP endpoint unless ``concurrency`` (``--concurrency``)
#: says otherwise: one per slot of a server ``summariser serve`` started with its defaults, so none idles.
DEFAULT_CONCURRENCY = DEFAULT_SLOTS
