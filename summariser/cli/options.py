"""The options several commands share, and the long ``regenerate`` command's own: each flag declared once.

Each option is an ``Annotated`` type a command puts on its parameter, so the flag names and
help text live here only (typer reads a command's options from its signature: this is its
form of click's reusable option decorators)::

    def brief_command(files: ..., model: Model = None, no_cache: NoCache = False, ...) -> None

A flag that two commands use for different things (``--force``, ``--output``, ``--html``)
is declared once as a function of its help text (`force`, `output`, `html_page`): the flag
and its short form are the same everywhere, what it does is said per command. ``--json`` is
a switch everywhere but in ``eval``, where it names a file (`JsonFile`). A flag only one
command has stays with it, except ``regenerate``'s, so that its signature reads as a list;
`tests/cli/test_cli_options.py` checks that no flag is declared in two modules.

A flag that sets a setting takes its value as text, so that `summariser.config` checks it
against the setting's type and range and names the flag in a one-line error (typer's own
conversion would print a usage block instead). `cache_mode` turns ``--no-cache`` /
``--refresh`` into the ``cache`` setting and refuses both at once; `unset_unless` keeps an
off flag from overriding the environment and config file.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import ConfigError
from ..llm import DEFAULT_TIMEOUT, BatchOptions, CacheMode, valid_forms
from ..settings_table import DEFAULT_CONCURRENCY, MAX_TIMEOUT

__all__ = [
    "AllowUngrounded",
    "AllowUnreviewed",
    "ApiKey",
    "Articles",
    "BatchApi",
    "BatchPoll",
    "BatchWait",
    "Concurrency",
    "Deadline",
    "DryRun",
    "EditPages",
    "GoldDir",
    "GroupBy",
    "Grouping",
    "Groups",
    "Json",
    "JsonFile",
    "MaxTokensTotal",
    "Model",
    "NoCache",
    "Prune",
    "Refresh",
    "Timeout",
    "cache_mode",
    "force",
    "html_page",
    "output",
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

JsonFile = Annotated[
    str | None, typer.Option("--json", help="Write every number as JSON to FILE ('-' = stdout; tables to stderr).")
]
"""``--json FILE`` (``eval``): its numbers are many, so they go to a file, or to stdout with ``-``."""

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


def force(what: str) -> Any:
    """``--force``: redo what exists instead of keeping it; ``what`` says what is redone in this command."""
    return typer.Option("--force", help=what)


def output(what: str) -> Any:
    """``--output/-o``: the file a command writes; ``what`` says which, and where it goes without the flag."""
    return typer.Option("--output", "-o", help=what)


def html_page(what: str) -> Any:
    """``--html``: also write an HTML page; ``what`` says which page (review, diff) and where."""
    return typer.Option("--html", help=what)


class Grouping(str, Enum):
    """How ``regenerate`` makes articles into briefings (``--group-by``)."""

    file = "file"
    event = "event"


GroupBy = Annotated[
    Grouping,
    typer.Option(
        "--group-by",
        help="file: one briefing per article; event: one per event — per group of --groups, or without a "
        "grouping file per event the folder's own grouping finds (kept in BRIEFINGS/grouping.sqlite; "
        "correct it in BRIEFINGS/grouping.yaml).",
    ),
]
"""``--group-by``: one briefing per article, or per event (a grouping file's groups, or the folder's own grouping)."""

Groups = Annotated[
    Path | None,
    typer.Option("--groups", help="JSON/YAML file: group name → article files (with --group-by event)."),
]
"""``--groups``: the grouping file; None = found in the articles folder (with ``--group-by event``)."""

Concurrency = Annotated[
    str | None,
    typer.Option(
        "--concurrency",
        "-j",
        metavar="N",
        help=f"Briefings in flight, 1 to 64: an HTTP server's slots (default {DEFAULT_CONCURRENCY}); embedded: at most "
        "SUMMARISER_SEQUENCES / 2 (default 1).",
    ),
]
"""``--concurrency/-j``: the ``concurrency`` setting, as given (`summariser.config` checks it)."""

DryRun = Annotated[bool, typer.Option("--dry-run", help="List what would be rebuilt and why; build nothing.")]
"""``--dry-run``: the plan (and its token estimate) only."""

Prune = Annotated[bool, typer.Option("--prune", help="Delete briefings whose articles are gone.")]
"""``--prune``: delete orphaned briefings (without it they are only listed)."""

_BATCH = BatchOptions()  # the batch defaults the help shows are the options' own

BatchApi = Annotated[
    bool,
    typer.Option(
        "--batch-api",
        help="Send the requests as OpenAI Batch API jobs (JSONL, 24 h window, cheaper), then build from "
        "their answers. HTTP endpoints only.",
    ),
]
"""``--batch-api``: answer the requests through the OpenAI Batch API first."""

BatchPoll = Annotated[
    str | None,
    typer.Option(
        "--batch-poll", metavar="SECONDS", help=f"Seconds between batch status checks (default {_BATCH.poll:g})."
    ),
]
"""``--batch-poll``: the ``batch_poll`` setting, as given; only with ``--batch-api``."""

BatchWait = Annotated[
    str | None,
    typer.Option(
        "--batch-wait",
        metavar="SECONDS",
        help=f"Longest wait for a batch, in seconds (default {_BATCH.wait / 3600:g} h); a rerun resumes it.",
    ),
]
"""``--batch-wait``: the ``batch_wait`` setting, as given; only with ``--batch-api``."""

EditPages = Annotated[
    bool,
    typer.Option(
        "--edit-pages",
        help="Write the review pages of the briefings built in edit mode, for making gold (--force: all).",
    ),
]
"""``--edit-pages``: review pages in edit mode, for making gold from a regenerate run."""
