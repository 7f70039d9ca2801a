"""Secrets: which values are credentials, and the filter that keeps them out of files and logs.

The API keys, the OpenAI organisation and project ids from the environment, keys registered
by this process (e.g. a ``--api-key``) and the password of an endpoint URL are secrets
(`secret_values`). `redact` replaces every occurrence by ``<redacted>`` in any JSON-like
value; the cassettes, the response cache, CLI error messages and the ``--debug`` log
(`RedactingFilter`) all use it, so one rule decides what never leaves the process.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from .backends import PLACEHOLDER_KEYS

__all__ = [
    "MIN_SECRET",
    "SECRET_ENV",
    "RedactingFilter",
    "redact",
    "register_secrets",
    "secret_values",
    "url_secrets",
]


#: Environment variables whose values are credentials or account ids (openai reads the
#: ``OPENAI_*`` ones itself and sends them as headers).
SECRET_ENV = (
    "SUMMARISER_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_WEBHOOK_SECRET",
)
#: Shorter values are not redacted: every "abc" in a text would vanish.
MIN_SECRET = 4
_REGISTERED: set[str] = set()


def url_secrets(url: str) -> list[str]:
    """The password of ``url`` and the Basic-auth token of its ``user:password`` (never the host)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return []
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    found = [token, token.rstrip("=")]
    if password:
        found += [password, parts.password or ""]
    return found


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember secrets seen in this process (e.g. a ``--api-key``) for every later filter."""
    _REGISTERED.update(v for v in values if v and len(v) >= MIN_SECRET and v not in PLACEHOLDER_KEYS)


def secret_values(*values: str | None) -> list[str]:
    """``values`` plus the secrets of the environment and those registered, longest first."""
    found = {v for v in values if v}
    found.update(os.environ.get(name) or "" for name in SECRET_ENV)
    found.update(list(_REGISTERED))
    for name in ("OPENAI_BASE_URL", "OLLAMA_HOST", "SUMMARISER_MODEL"):
        found.update(url_secrets(os.environ.get(name) or ""))
    keep = {v for v in found if len(v) >= MIN_SECRET and v not in PLACEHOLDER_KEYS}
    return sorted(keep, key=lambda v: (-len(v), v))  # a secret inside a longer one: the longer first


def redact(value: Any, secrets: list[str]) -> Any:
    """Return ``value`` with every occurrence of a secret string replaced by ``<redacted>``.

    Walks dicts (keys and values), lists and tuples at any depth; other values are kept.
    """
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, "<redacted>")
        return value
    if isinstance(value, list | tuple):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {redact(k, secrets): redact(v, secrets) for k, v in value.items()}
    return value


class RedactingFilter(logging.Filter):
    """A log-handler filter that removes every `secret_values` value from messages and tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; never drops it."""
        secrets = secret_values()
        if not secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it, as without this filter
            return True
        clean = redact(message, secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True
