"""Secrets: which values are credentials, and the one filter that keeps them out of every output.

The API keys, the OpenAI organisation and project ids from the environment, keys registered
by this process (e.g. a ``--api-key``), and the password of an endpoint URL (and the Basic-auth
token of its ``user:password``) and the values of its query parameters but ``api-version``
(`endpoint.url_secrets`) are secrets (`secret_values`) — if they look like one
(`is_secret`): at least `MIN_SECRET` characters, not a well-known placeholder (``test``,
``EMPTY``, ``lm-studio`` …) and not a plain short word, so no ordinary word is ever taken for a key.

`redact` replaces a secret by ``<redacted>`` only where it stands as a token of its own: not
where letters or digits continue it on either side ("protest" never loses a "test"), but
after or before any other character (``Bearer sk-…``, ``key=sk-…``, ``chatcmpl-sk-…``, ``sk-….``).

Where it applies, so that no output path can carry a secret: every response body, at the top
of the transport chain before instructor or pydantic read it (`redact_response`, used by
`metering.MeteringTransport`); every error message of the error tree, when it is made
(installed as `summariser.errors` message filter on import); the cassettes, the response
cache, the CLI's stderr and the ``--debug`` log (`RedactingFilter`).

Redaction never raises, whatever the environment holds: the URLs there are cut without being
checked (`endpoint.split`; checking them is `endpoint.check`'s job, with a one-line error). An
exception inside a filter used to leave that message, and every later one, unredacted.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import httpx2

from summariser.errors import add_message_filter
from summariser.llm.endpoint import url_secrets
from summariser.llm.transport.exchange import BODY_HEADERS
from summariser.settings_table import TABLE

__all__ = [
    "MIN_SECRET",
    "PLACEHOLDER_KEYS",
    "PLACEHOLDER_SECRETS",
    "SECRET_ENV",
    "RedactingFilter",
    "is_secret",
    "redact",
    "redact_response",
    "redact_text",
    "register_secrets",
    "secret_values",
    "url_secrets",
]


#: Keys that placeholder-only servers accept; they are not secrets (and are too common a word to redact).
PLACEHOLDER_KEYS = frozenset({"not-needed", "ollama", "local", "none", "sk-no-key-required"})


#: Environment variables whose values are credentials or account ids (openai reads the
#: ``OPENAI_*`` ones itself and sends them as headers).
SECRET_ENV = (
    TABLE["api_key"].variable,
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_WEBHOOK_SECRET",
)
#: Shorter values are not secrets: no real key is this short, and every "test" in a text would vanish.
MIN_SECRET = 8
#: Values below this length must mix letters, digits and other characters to count as a key.
PLAIN_WORD_MAX = 16
#: Keys that local servers accept in place of a real one (compared case-insensitively): never secrets.
PLACEHOLDER_SECRETS = frozenset(
    k.casefold()
    for k in (
        *PLACEHOLDER_KEYS,
        *("test", "testing", "empty", "dummy", "lm-studio", "lmstudio", "none", "null", "nokey", "no-key"),
        *("changeme", "password", "secret", "api-key", "apikey", "api_key", "token", "placeholder"),
        *("sk-xxx", "sk-xxxx", "sk-1234", "sk-12345678", "sk-test", "sk-dummy", "sk-placeholder", "vllm", "llama"),
    )
)
#: A secret is a token of its own where no letter or digit continues it ("protest" holds no "test").
_EDGE = r"[^\W_]"
_REGISTERED: set[str] = set()


def is_secret(value: str | None) -> bool:
    """Whether ``value`` can be a credential: long enough, not a placeholder, not a plain word.

    A value shorter than `PLAIN_WORD_MAX` must mix at least two of letters, digits and other
    characters (``sk-…``, hex, base64 do; "protests" or "Password" do not).
    """
    if not value or len(value) < MIN_SECRET or value.casefold() in PLACEHOLDER_SECRETS:
        return False
    if len(value) >= PLAIN_WORD_MAX:
        return True
    kinds = {"letter" if c.isalpha() else "digit" if c.isdigit() else "other" for c in value}
    return len(kinds) >= 2


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember secrets seen in this process (e.g. a ``--api-key``) for every later filter."""
    _REGISTERED.update(v for v in values if v is not None and is_secret(v))


def secret_values(*values: str | None) -> list[str]:
    """``values`` plus the secrets of the environment and those registered, longest first; never raises."""
    found = {v for v in values if isinstance(v, str) and v}
    found.update(os.environ.get(name) or "" for name in SECRET_ENV)
    found.update(list(_REGISTERED))
    for name in ("OPENAI_BASE_URL", "OLLAMA_HOST", TABLE["model"].variable):
        found.update(url_secrets(os.environ.get(name) or ""))  # cut, never checked: a broken URL cannot raise
    keep = {v for v in found if is_secret(v)}
    return sorted(keep, key=lambda v: (-len(v), v))  # a secret inside a longer one: the longer first


@lru_cache(maxsize=64)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(s) for s in sorted(set(secrets), key=lambda s: (-len(s), s)))
    return re.compile(f"(?<!{_EDGE})(?:{alternatives})(?!{_EDGE})")


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every token-standing occurrence of a secret replaced by ``<redacted>``."""
    chosen = tuple(s for s in secrets if s)
    if not chosen or not text:
        return text
    return _pattern(chosen).sub("<redacted>", text)


def redact(value: Any, secrets: list[str]) -> Any:
    """Return ``value`` with every secret (`redact_text`) replaced by ``<redacted>``.

    Walks dicts (keys and values), lists and tuples at any depth; other values are kept.
    """
    if not secrets:
        return value
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, list | tuple):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {redact(k, secrets): redact(v, secrets) for k, v in value.items()}
    return value


def redact_response(response: httpx2.Response, secrets: list[str]) -> httpx2.Response:
    """``response`` (read), or a copy without any secret in its body and header values.

    A JSON body is redacted value by value (so escapes such as ``\\n`` before a key do not
    hide it) and re-serialised only if something changed; any other body as text. An
    ordinary response, with nothing to redact, is returned as it is, byte for byte.
    """
    content = response.read()
    if not secrets:
        return response
    text = content.decode("utf-8", "surrogateescape")
    try:
        body = json.loads(text)
    except ValueError:
        clean_text = redact_text(text, secrets)
        clean = content if clean_text == text else clean_text.encode("utf-8", "surrogateescape")
    else:
        clean_body = redact(body, secrets)
        clean = content if clean_body == body else json.dumps(clean_body).encode()
    raw = response.headers.raw  # bytes, as the server sent them (latin-1 is every byte's own character)
    headers = [(k, redact_text(v.decode("latin-1"), secrets).encode("latin-1")) for k, v in raw]
    if clean is content and headers == raw:
        return response
    kept = [(k, v) for k, v in headers if k.lower() not in BODY_HEADERS]
    return httpx2.Response(response.status_code, headers=kept, content=clean, extensions=response.extensions)


def _redact_message(message: str) -> str:
    return redact_text(message, secret_values())


add_message_filter(_redact_message)  # every SummariserError message, as it is made


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
