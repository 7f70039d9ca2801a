"""The one error tree of summariser.

Every error carries a one-line message that names the problem and how to fix it;
the CLI prints exactly that line and exits non-zero (a traceback only with ``--debug``).
This module imports nothing from the pipeline.

Messages often quote what a server said, so every message passes the filters installed with
`add_message_filter` when the error is made: `summariser.llm.secrets` installs the one that
redacts every known secret, so no error — printed, put in ``--json`` or in a report — can
carry an API key, whichever layer made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "INTERRUPTED",
    "AuthError",
    "BackendError",
    "BudgetExceeded",
    "CassetteMiss",
    "CheckFailed",
    "ConfigError",
    "EndpointError",
    "InputError",
    "ModelUnavailable",
    "PartialRun",
    "SummariserError",
    "ValidationFailed",
    "add_message_filter",
]

#: Exit code of a run stopped by Ctrl-C (128 + SIGINT, the shell's convention). Not an error of the
#: tree, but an exit code the CLI shares between its commands, kept beside theirs.
INTERRUPTED = 130

_MESSAGE_FILTERS: list[Callable[[str], str]] = []


def add_message_filter(rewrite: Callable[[str], str]) -> None:
    """Pass every later error message through ``rewrite`` (e.g. secret redaction); once per function."""
    if rewrite not in _MESSAGE_FILTERS:
        _MESSAGE_FILTERS.append(rewrite)


class SummariserError(Exception):
    """Base class of every error summariser raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        # Keep the message to one line: the CLI prints it as is.
        text = " ".join(str(message).split())
        for rewrite in _MESSAGE_FILTERS:
            text = rewrite(text)
        super().__init__(text)

    @property
    def message(self) -> str:
        """The one-line message."""
        return str(self)


class ConfigError(SummariserError):
    """A setting is wrong: unknown model string, bad option value, missing key."""

    exit_code = 2


class InputError(SummariserError):
    """An input article cannot be used: missing, empty, binary, undecodable, too long."""

    exit_code = 3


class BackendError(SummariserError):
    """The model backend failed after retries (HTTP error, unreachable server, crash)."""

    exit_code = 4


class AuthError(BackendError):
    """The endpoint rejected the credentials (401/403); never retried."""


class EndpointError(BackendError):
    """The endpoint could not be reached or kept failing (connection, timeout, 5xx)."""


class ModelUnavailable(BackendError):
    """The embedded model's weights or runtime are missing or corrupt."""


class ValidationFailed(SummariserError):
    """The model's answer never validated against the response schema, even after re-asks."""

    exit_code = 5


class CassetteMiss(SummariserError):
    """A replay-only run met a request that its cassette has not recorded."""

    exit_code = 6


class PartialRun(SummariserError):
    """A regenerate run finished, but some briefings could not be built (listed above)."""

    exit_code = 7


class CheckFailed(SummariserError):
    """A check (``summariser gold check``) found problems, each listed above on a line of its own."""

    exit_code = 1


class BudgetExceeded(SummariserError):
    """The run's token budget (``max_tokens_total``) has no room for the next request; nothing was sent.

    ``spent`` is what the run had spent, ``limit`` the budget and ``needed`` the most the
    refused request could have cost (its prompt estimate plus its ``max_tokens``); ``what``
    replaces the part about that request (a regenerate run says what it built and left).
    """

    exit_code = 8

    def __init__(self, limit: int, spent: int, needed: int, what: str | None = None) -> None:
        self.limit, self.spent, self.needed = limit, spent, needed
        what = what or f"the next request could need up to {needed:,}"
        super().__init__(
            f"token budget of {limit:,} reached (spent {spent:,}; {what}); "
            "raise --max-tokens-total (max_tokens_total, SUMMARISER_MAX_TOKENS_TOTAL) or rerun to resume"
        )


def first_validation_error(err: ValidationError) -> str:
    """``"where: message"`` of a pydantic error's first problem, for one-line messages."""
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "document"
    return f"{where}: {first['msg']}"
