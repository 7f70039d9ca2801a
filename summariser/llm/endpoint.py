"""Endpoint URLs: the one parser of every base URL the tool is given, and what of one may be shown.

A base URL comes from ``--model`` (``http(s)://host[:port][/path][?query]#model``, also ``model``
in the config file and ``SUMMARISER_MODEL``), from ``OPENAI_BASE_URL`` (``openai:`` models) or
``OLLAMA_HOST`` (``ollama:`` models). `check` accepts it only as `ACCEPTED` says — scheme http or
https, a host (a name of letters, digits, ``-``, ``_`` and ``.``, an IPv4 address, or an IPv6
address in brackets), an optional port of ASCII digits from 1 to 65535, no space or control
character anywhere — and raises a one-line `ConfigError` naming the setting otherwise, before
anything else reads the URL (a bad one used to end in "internal error" or a traceback).

Secrets in a URL (`url_secrets`): the password of ``user:password@`` (and the Basic-auth token
of ``user:password``), and the value of every query parameter whose name is not in
`PUBLIC_PARAMS` — query parameters are secrets unless known otherwise (``?api-key=…``,
``?key=…``, ``?token=…``, a parameter with no name). `PUBLIC_PARAMS` holds what is known to be
no secret: ``api-version`` (Azure OpenAI's API version, which selects the API, not the caller).

Where each part goes:

* `public` — the URL with ``user:password@`` dropped and every secret query value replaced by
  `HIDDEN`; it is what is shown and stored: the backend's label (a briefing's ``model``, its
  .md/.html, ``manifest.sqlite``, every error line) and identity (cache and cassette keys);
* `client_base` — scheme, host, port and path only: what the openai client joins routes to, so
  ``http://host/v1?api-key=K`` is asked ``POST /v1/chat/completions?api-key=K`` (not
  ``/v1?api-key=K/chat/completions``); ``user:password`` travels as the client's Basic auth;
* `wire_query` — the query exactly as given, which the wire transport (`wire.WireTransport`)
  appends to each request URL at the socket: no layer above it (openai's and httpx2's logs,
  the cache, cassettes, error messages) ever sees it, and a key in the query still works.

`split`, `public` and `url_secrets` never raise, whatever the text: redaction reads URLs from the
environment on every message, and a malformed one must not stop it (it used to, so that
nothing of the run was redacted).
"""

from __future__ import annotations

import base64
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

from summariser.errors import ConfigError

__all__ = [
    "ACCEPTED",
    "HIDDEN",
    "PUBLIC_PARAMS",
    "Parts",
    "base_url",
    "check",
    "client_base",
    "public",
    "split",
    "url_secrets",
    "userinfo",
    "wire_query",
]

#: Query parameters known not to be secrets (compared case-insensitively); every other one is.
PUBLIC_PARAMS = frozenset({"api-version"})
#: What a secret query value is shown as (plain text: it means nothing to Markdown or HTML).
HIDDEN = "REDACTED"
#: What `check` accepts, for its error messages.
ACCEPTED = (
    "http(s)://host[:port][/path][?query] — a host name, an IPv4 address or an [IPv6] address, "
    "a port from 1 to 65535, no spaces"
)
_HOST_CHARS = frozenset("-_.")
_SHOWN = 200


@dataclass(frozen=True)
class Parts:
    """A URL cut where ``urllib.parse.urlsplit`` cuts it, without any check (so never failing)."""

    scheme: str | None
    userinfo: str | None
    hostport: str
    path: str
    query: str | None
    fragment: str | None

    def join(self, *, userinfo: bool = True, query: str | None = "", fragment: bool = True) -> str:
        """The URL again; ``query=""`` keeps the query as it is, None drops it, anything else replaces it."""
        text = "" if self.scheme is None else f"{self.scheme}://"
        if userinfo and self.userinfo is not None:
            text += f"{self.userinfo}@"
        text += self.hostport + self.path
        kept = self.query if query == "" else query
        if kept is not None:
            text += f"?{kept}"
        if fragment and self.fragment is not None:
            text += f"#{self.fragment}"
        return text


def split(url: str) -> Parts:
    """``url`` in its parts: the authority ends at the first ``/``, ``?`` or ``#``, userinfo at its last ``@``.

    Anything before the first ``://`` without one of ``/?#@`` in it is the scheme (checked by `check`,
    not here: a secret after a misspelt scheme is still found).
    """
    head, sep, rest = url.partition("://")
    scheme: str | None = head
    if not sep or any(c in head for c in "/?#@"):
        scheme, rest = None, url
    ends = [i for i in (rest.find(c) for c in "/?#") if i >= 0]
    end = min(ends, default=len(rest))
    netloc, rest = rest[:end], rest[end:]
    rest, hash_, fragment = rest.partition("#")
    path, question, query = rest.partition("?")
    info, at, hostport = netloc.rpartition("@")
    return Parts(scheme, info if at else None, hostport, path, query if question else None, fragment if hash_ else None)


def _secret_param(item: str) -> bool:
    name, eq, _ = item.partition("=")
    return not (eq and unquote_plus(name).strip().casefold() in PUBLIC_PARAMS)


def _hide_query(query: str) -> str:
    items = query.split("&")
    return "&".join(
        (f"{item.partition('=')[0]}={HIDDEN}" if "=" in item else HIDDEN) if item and _secret_param(item) else item
        for item in items
    )


def public(url: str) -> str:
    """``url`` as it may be shown and stored: no ``user:password@``, every secret query value `HIDDEN`."""
    parts = split(url)
    query = None if parts.query is None else _hide_query(parts.query)
    return parts.join(userinfo=False, query=query)


def base_url(url: str, tail: str = "") -> str:
    """``url`` as a base URL: its path without a trailing ``/``, then ``tail``; query kept, fragment dropped."""
    parts = split(url)
    path = parts.path.rstrip("/") + tail
    return Parts(parts.scheme, parts.userinfo, parts.hostport, path, parts.query, None).join()


def client_base(url: str) -> str:
    """What the HTTP client joins routes to: scheme, host, port and path (no userinfo, query or fragment)."""
    return split(url).join(userinfo=False, query=None, fragment=False)


def wire_query(url: str) -> str | None:
    """The query of ``url`` exactly as given (None: none), for the wire to append to each request."""
    query = split(url).query
    return query or None


def userinfo(url: str) -> tuple[str, str] | None:
    """``(user, password)`` of ``user:password@``, percent-decoded; None without userinfo."""
    info = split(url).userinfo
    if info is None:
        return None
    user, _, password = info.partition(":")
    return unquote(user), unquote(password)


def url_secrets(url: str) -> list[str]:
    """The secrets of ``url``: its password, the Basic-auth token of ``user:password``, its secret query values.

    Each as written and percent-decoded (a server may echo either). Never raises.
    """
    parts = split(url)
    found: list[str] = []
    if parts.userinfo is not None:
        raw_user, colon, raw_password = parts.userinfo.partition(":")
        user, password = unquote(raw_user), unquote(raw_password)
        pair = f"{user}:{password}".encode("utf-8", "surrogatepass")
        for token in (base64.b64encode(pair).decode(), base64.urlsafe_b64encode(pair).decode()):
            found += [token, token.rstrip("=")]
        if colon and password:
            found += [password, raw_password]
    for item in (parts.query or "").split("&"):
        if item and _secret_param(item):
            value = item.partition("=")[2] if "=" in item else item
            found += [value, unquote(value), unquote_plus(value)]
    return [s for s in dict.fromkeys(found) if s]


def _host_problem(host: str) -> str | None:
    if host.startswith("["):
        if not host.endswith("]"):
            return "its [IPv6] address has no closing bracket"
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return "its [IPv6] address is not one"
        return None
    if not host:
        return "it has no host"
    if not all(c.isalnum() or c in _HOST_CHARS for c in host) or "[" in host or "]" in host:
        return "its host has characters no host name has"
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return "its host is not a valid international domain name"
    return None


def _problem(url: str) -> str | None:
    if any(c.isspace() or not c.isprintable() for c in url):
        return "it contains a space or a control character"
    parts = split(url)
    if (parts.scheme or "").lower() not in {"http", "https"}:
        return "it does not start with http:// or https://"
    host, port = parts.hostport, None
    if not host.endswith("]") and ":" in host.rpartition("]")[2]:
        cut = host.rindex(":")
        host, port = host[:cut], host[cut + 1 :]
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return "its port is not a number from 1 to 65535"
    return _host_problem(host)


def check(url: str, setting: str, also: str = "") -> None:
    """Raise a one-line `ConfigError` naming ``setting`` unless ``url`` is a base URL `ACCEPTED` describes.

    ``also`` ends the message (the model string's other valid forms).
    """
    why = _problem(url)
    if why is None:
        return
    shown = re.sub(r"[^/?#@]*@", "", public(url))  # no userinfo, even where the URL is too broken to find it
    shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
    raise ConfigError(f"{setting} {shown!r} is not a usable endpoint URL: {why}; expected {ACCEPTED}{also}")
