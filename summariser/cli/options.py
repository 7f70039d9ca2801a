"""Options that several commands share, declared once.

Each option is an ``Annotated`` type a command puts on its parameter, so the flag names and
help text live here only::

    def brief_command(files: ..., model: Model = None, no_cache: NoCache = False, ...) -> None

A flag that sets a setting takes its value as text, so that `summariser.config` checks it
against the setting's type and range and names the flag in a one-line error (typer's own
conversion would print a usage block instead). `cache_mode` turns ``--no-cache`` /
``--refresh`` into the ``cache`` setting and refuses both at once; `unset_unless` keeps an
off flag from overriding the environment and config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import ConfigError
from ..llm.backends import valid_forms
from ..llm.cache import CacheMode
from ..llm.options import DEFAULT_TIMEOUT
from ..settings_table import MAX_TIMEOUT

__all__ = [
    "AllowUngrounded",
    "AllowUnreviewed",
    "ApiKey",
    "Articles",
    "GoldDir",
    "Json",
    "MaxTokensTotal",
    "Model",
    "NoCache",
    "Refresh",
    "Timeout",
    "cache_mode",
    "unset_unless",
]

Model = Annotated[str | None, typer.Option("--model", "-m", help=f"Model string: {valid_forms()}.")]
"""``--model/-m``: a model string; None = the configured (or embedded) default."""

AllowUngrounded = Annotated[
    bool,
    typer.Option("--allow-ungrounded", help="Keep summary bullets no source supports (flagged in the report)."),
]
"""``--allow-ungrounded``: keep unsupported bullets, flagged, instead of dropping them."""

AllowUnreviewed = Annotated[
    bool,
    typer.Option(
        "--allow-unreviewed", help="Accept gold files still marked unreviewed (drafts from `summariser gold init`)."
    ),
]
"""``--allow-unreviewed``: use gold drafts no analyst has confirmed yet."""

GoldDir = Annotated[
    Path,
    typer.Option(
        "--gold-dir", help="The gold folder the saved file goes into: sources.yaml paths are relative to its parent."
    ),
]
"""``--gold-dir``: where gold files live, for the article paths of their ``sources.yaml`` lines."""

Articles = Annotated[
    Path | None,
    typer.Option("--articles", help="Folder the briefings' relative source paths start from (default: here)."),
]
"""``--articles``: the folder a briefing's relative ``sources[].path`` is relative to; None = the current folder."""

NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")]
"""``--no-cache``: see `cache_mode`."""

Refresh = Annotated[bool, typer.Option("--refresh", help="Ignore cached answers and overwrite them.")]
"""``--refresh``: see `cache_mode`."""

Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout (for scripts).")]
"""``--json``: machine-readable output on stdout."""

ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key (default from env).")]
"""``--api-key``: the endpoint's key; never read from the config file."""

Timeout = Annotated[
    str | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Seconds one request to the model may take in all, retries and re-asks included "
        f"(default {DEFAULT_TIMEOUT:g}, at most {MAX_TIMEOUT:g}; env SUMMARISER_TIMEOUT).",
    ),
]
"""``--timeout``: the ``timeout`` setting, as given (`summariser.config` checks it); None = env, file or default."""

Deadline = Annotated[
    str | None,
    typer.Option(
        "--deadline",
        metavar="SECONDS",
        help="Seconds one briefing's requests may take together (default no limit; env SUMMARISER_DEADLINE).",
    ),
]
"""``--deadline``: the ``deadline`` setting, as given (`summariser.config` checks it); None = env, file or default."""


MaxTokensTotal = Annotated[
    str | None,
    typer.Option(
        "--max-tokens-total",
        metavar="N",
        help="Tokens (prompt + completion, retries and re-asks included) the run may spend; a request whose "
        "worst case would not fit is not sent (default no limit; env SUMMARISER_MAX_TOKENS_TOTAL).",
    ),
]
"""``--max-tokens-total``: the ``max_tokens_total`` setting, as given (`summariser.config` checks it); None = unset."""


def cache_mode(no_cache: bool, refresh: bool) -> CacheMode | None:
    """The ``cache`` setting the two flags ask for (None: neither given); both is a `ConfigError`."""
    if no_cache and refresh:
        raise ConfigError("--no-cache and --refresh exclude each other; pick one")
    if no_cache:
        return "off"
    return "refresh" if refresh else None


def unset_unless(flag: bool) -> bool | None:
    """``True`` when the flag was given, else None, so the environment and config file still decide."""
    return True if flag else None
