"""How a failed call becomes one error of the summariser tree: `translate`.

Whatever failed — the endpoint (openai's API errors: a key refused, a route missing, a
timeout, a dropped connection, a redirect), or the answer (instructor's errors: cut at
``max_tokens``, no choices, never valid after the re-asks) — the caller gets one
`SummariserError` with a one-line message that says what to do. Every message is made as a
`SummariserError`, so a secret a server quotes is redacted
(`summariser.errors.add_message_filter`) before anything can print or store it.

An answer that never validated keeps instructor's data on the error (`ValidationFailed`):
the attempts, the tokens they spent and the last raw answer, so a user can see what the
model said without re-running with logs on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, urlsplit

import httpx2
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from summariser.errors import (
    AuthError,
    BackendError,
    ConfigError,
    EndpointError,
    InputError,
    SummariserError,
    ValidationFailed,
    first_validation_error,
)
from summariser.llm.backends import BackendSpec
from summariser.llm.transport.retry import TruncatedBody
from summariser.llm.transport.wire import REDIRECT

__all__ = ["translate"]

#: The usage fields a `ValidationFailed` keeps (those of OpenAI's ``usage`` block).
USAGE_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens")


def _chain(err: BaseException) -> list[BaseException]:
    """``err`` and its causes/contexts, outermost first (each once)."""
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def translate(
    err: BaseException, spec: BackendSpec, *, max_tokens: int | None = None, timeout: float | None = None
) -> SummariserError:
    """Map an exception from instructor/openai/httpx2 to a one-line summariser error.

    Complete answers that cannot be used are told apart by cause: cut at ``max_tokens``
    (``finish_reason: length``; not re-asked: the budget already fits any valid answer, so
    the model ran away), an empty ``choices`` list (nothing to re-ask about), and answers
    that never validated in ``1 + reasks`` attempts (named by their first problem).
    """
    chain = _chain(err)
    ours = next((e for e in chain if isinstance(e, SummariserError)), None)
    if ours is not None:
        return ours
    # instructor wraps transport failures in its retry exception: classify the API error inside.
    api = next((e for e in chain if isinstance(e, openai.APIError)), None)
    if api is not None:
        mapped = _api_error(api, spec, chain, timeout)
        if mapped is not None:
            return mapped
        err = api
    return _unusable_answer(err, spec, chain, max_tokens) or BackendError(f"{spec.label} failed: {_short(err)}")


def _api_error(
    err: openai.APIError, spec: BackendSpec, chain: list[BaseException], timeout: float | None
) -> SummariserError | None:
    """The error of a call the endpoint refused or never answered; None for an API error of no known kind."""
    where = spec.label
    if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
        return AuthError(
            f"{where} rejected the API key (HTTP {err.status_code}); set a valid key in "
            "SUMMARISER_API_KEY / OPENAI_API_KEY or pass --api-key"
        )
    if isinstance(err, openai.NotFoundError):
        return ConfigError(f"{where} has no model or route {spec.model!r} (HTTP 404); check the model name")
    if isinstance(err, openai.BadRequestError):
        message = _api_message(err)
        if "context" in message:
            return InputError(f"the article does not fit the context window of {where}: {message}")
        return BackendError(f"{where} refused the request (HTTP 400): {message}")
    if isinstance(err, openai.APITimeoutError):
        limit = f" ({timeout:g} s per request, retries and re-asks included)" if timeout else ""
        return EndpointError(
            f"{where} timed out after retries{limit}; check the server, or raise --timeout (SUMMARISER_TIMEOUT)"
        )
    if isinstance(err, openai.APIConnectionError):
        return _connection(spec, chain)
    if isinstance(err, openai.APIStatusError) and 300 <= err.status_code < 400:
        return _redirected(err, spec)
    if isinstance(err, openai.APIStatusError):
        cause = "rate limited, HTTP 429" if err.status_code == 429 else f"HTTP {err.status_code}"
        return EndpointError(f"{where} kept failing ({cause}) after retries; try again later")
    return None


def _connection(spec: BackendSpec, chain: list[BaseException]) -> SummariserError:
    """A connection that failed, told apart by what broke: JSON too deep, a body cut short, a drop mid-answer."""
    root, where = chain[-1], spec.label
    if any(isinstance(e, RecursionError) for e in chain):
        return BackendError(f"{where} answered with JSON nested too deep to read (no answer is); check the server")
    if any(isinstance(e, TruncatedBody) for e in chain):
        return EndpointError(
            f"{where} kept sending truncated JSON bodies after retries ({_short(root)}); "
            "check the server and any proxy in between"
        )
    if any(isinstance(e, httpx2.ReadError | httpx2.RemoteProtocolError) for e in chain):
        return EndpointError(
            f"{where} dropped the connection mid-answer after retries ({_short(root)}); check the server"
        )
    return EndpointError(f"cannot reach {spec.identity} ({_short(root)}); check the URL and that the server runs")


def _unusable_answer(
    err: BaseException, spec: BackendSpec, chain: list[BaseException], max_tokens: int | None
) -> SummariserError | None:
    """The error of a complete answer that cannot be used (with instructor's data); None if ``err`` is none."""
    where = spec.label
    if any(isinstance(e, IncompleteOutputException) for e in chain):
        limit = f"max_tokens={max_tokens}" if max_tokens else "max_tokens"
        return ValidationFailed(
            f"{where} cut its answer at {limit} (finish_reason: length) before the JSON ended; try another model",
            **_attempts(chain),
        )
    if _no_choices(chain):
        return BackendError(f"{where} answered with an empty choices list (no completion to read); check the server")
    if isinstance(err, InstructorRetryException | ValidationError):
        attempts = getattr(err, "n_attempts", None)
        tries = f" in {attempts} attempts" if isinstance(attempts, int) and attempts > 1 else ""
        invalid = next((e for e in chain if isinstance(e, ValidationError)), None)
        reason = first_validation_error(invalid) if invalid is not None else _short(chain[-1])
        return ValidationFailed(
            f"{where} never produced a valid answer{tries} ({reason}); try another model or check the prompt",
            **_attempts(chain),
        )
    return None


def _attempts(chain: list[BaseException]) -> dict[str, Any]:
    """``attempts``, ``usage`` and ``last_answer`` of a `ValidationFailed`, from instructor's exceptions.

    instructor's retry error has them all (its ``n_attempts``, ``total_usage`` and
    ``last_completion``); an answer cut at ``max_tokens`` ends the re-asks at once with only
    its own completion, so the attempts before it are not known (None) and the usage is its own.
    """
    retry = next((e for e in chain if isinstance(e, InstructorRetryException)), None)
    last = next((c for c in (getattr(e, "last_completion", None) for e in chain) if c is not None), None)
    attempts = retry.n_attempts if retry is not None and isinstance(retry.n_attempts, int) else None
    usage = _usage(retry.total_usage if retry is not None else getattr(last, "usage", None))
    return {"attempts": attempts, "usage": usage, "last_answer": _content(last)}


def _usage(usage: object) -> dict[str, int] | None:
    """`USAGE_FIELDS` of an OpenAI ``usage`` object (or mapping); None if it has none of them."""
    if usage is None:
        return None
    values = {f: usage.get(f) if isinstance(usage, dict) else getattr(usage, f, None) for f in USAGE_FIELDS}
    kept = {f: v for f, v in values.items() if isinstance(v, int)}
    return kept or None


def _content(completion: object) -> str | None:
    """The text of a chat completion's first choice; None if it has none."""
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        return None
    content = getattr(getattr(choices[0], "message", None), "content", None)
    return content if isinstance(content, str) else None


def _redirected(err: openai.APIStatusError, spec: BackendSpec) -> EndpointError:
    """A redirect, which is never followed (it could carry the API key to another host), named as one."""
    location = str(err.response.headers.get(REDIRECT) or err.response.headers.get("location") or "")
    here = urlsplit(spec.identity)
    target: SplitResult | None = None
    host: str | None = None
    port: int | None = None
    try:
        target = urlsplit(location)
        host, port = target.hostname, target.port
    except ValueError:  # not a URL (a bad port, say): say so, do not guess
        target = None
    if not location or target is None:
        return EndpointError(
            f"{spec.label} answered with a redirect (HTTP {err.status_code}) without a usable Location; "
            "redirects are not followed: check the URL in --model"
        )
    same = host is None or (host, port) == (here.hostname, here.port)
    netloc = f"{host or here.hostname}{f':{port}' if port else ''}" if host else here.netloc
    shown = f"{target.scheme or here.scheme}://{netloc}{target.path}"[:200]
    where = "another address on the same host" if same else f"another host, {host}"
    return EndpointError(
        f"{spec.label} redirected the request (HTTP {err.status_code}) to {where} ({shown}); redirects are "
        "not followed, since they could carry the API key elsewhere: if you trust it, pass that URL in --model"
    )


def _no_choices(chain: list[BaseException]) -> bool:
    """True if instructor failed on a completion whose ``choices`` list is empty."""
    for e in chain:
        for attr in ("raw_response", "last_completion"):
            choices = getattr(getattr(e, attr, None), "choices", None)
            if isinstance(choices, list) and not choices:
                return True
    return False


def _api_message(err: openai.APIStatusError) -> str:
    body = err.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(err)


def _short(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 200 else text[:197] + "…"
