"""The structured-call client: instructor over openai over one transport chain.

Chain, outermost first::

    Metering → Caching (diskcache) → Retrying (tenacity) → [Ledger] → Cassette | Embedded | HTTP

where HTTP is ``ResponseFormatFallback → WireTransport → httpx2.HTTPTransport``. Metering
takes every secret out of every response before instructor sees it (`metering`); Retrying
gives each request its `wire.Deadline` (what is left of the call's timeout, which a request
and its re-asks share, or the briefing's deadline: `wire.Budget`), and the wire holds every
socket operation to it and caps the answer's size from ``max_tokens``. With a token budget,
Ledger reserves each attempt's worst case before it reaches the backend and charges what it
spent (`ledger`). The openai client's own retries are off: retries happen once, at the
transport, where the fault-injection tests and the cassettes see them. Errors from every
layer are translated into the summariser error tree with a one-line message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import SplitResult, urlsplit

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from ..errors import (
    AuthError,
    BackendError,
    ConfigError,
    EndpointError,
    InputError,
    SummariserError,
    ValidationFailed,
    first_validation_error,
)
from ..schemas import Usage
from .backends import BackendSpec
from .budget import max_tokens_for_model
from .cache import CachingTransport, ResponseCache
from .cassette import CassetteTransport
from .dialect import ResponseFormatFallback
from .embedded import EmbeddedTransport
from .endpoint import client_base, userinfo, wire_query
from .exchange import register_response_model
from .ledger import LedgerTransport, TokenLedger
from .metering import MeteringTransport
from .options import LLMOptions
from .retry import RetryingTransport, TruncatedBody
from .secrets import register_secrets, secret_values, url_secrets
from .tokens import counter_for
from .wire import REDIRECT, Budget, WireTransport

__all__ = ["LLMClient", "MeteringTransport", "Wrapper", "build_transport", "endpoint_auth", "translate"]

T = TypeVar("T", bound=BaseModel)

Wrapper = Callable[[httpx2.BaseTransport, ResponseCache | None, BackendSpec], httpx2.BaseTransport]
"""``wrap(chain, cache, spec)``: a transport put between Metering and the rest of the chain.

The batch rounds of ``regenerate --batch-api`` pass one to see every request before the cache.
"""


def endpoint_auth(spec: BackendSpec) -> tuple[str, httpx2.BasicAuth | None]:
    """The base URL the client joins routes to (`endpoint.client_base`) and the Basic auth of its ``user:password@``.

    Credentials in the URL would otherwise travel with every request URL into debug logs
    and error messages; as client auth they only ever reach the ``Authorization`` header.
    Its query is not there either: the wire appends it (`endpoint.wire_query`).
    """
    credentials = userinfo(spec.base_url)
    auth = None if credentials is None else httpx2.BasicAuth(*credentials)
    return client_base(spec.base_url), auth


def build_transport(
    spec: BackendSpec,
    options: LLMOptions,
    wrap: Wrapper | None = None,
    budget: Budget | None = None,
    ledger: TokenLedger | None = None,
) -> tuple[MeteringTransport, ResponseCache | None]:
    """Assemble the transport chain for ``spec``; ``wrap`` goes between Metering and the cache.

    ``budget`` times the requests (default: ``options.timeout`` per request, ``options.deadline`` in all);
    ``ledger`` holds every request that reaches the backend to the run's token budget (`ledger.LedgerTransport`).
    """
    secrets = secret_values(spec.api_key, options.api_key, *url_secrets(spec.base_url))
    register_secrets(secrets)  # for every later filter: error messages, the --debug log
    budget = budget or Budget(spec.label, options.timeout, options.deadline)
    base: httpx2.BaseTransport
    if spec.embedded is not None:
        base = EmbeddedTransport(spec.embedded)
    else:
        base = ResponseFormatFallback(WireTransport(httpx2.HTTPTransport(), query=wire_query(spec.base_url)))
    if options.cassette is not None:
        inner = base if options.cassette_mode == "record" else None
        base = CassetteTransport(options.cassette, spec.identity, options.cassette_mode, inner, secrets)
    if ledger is not None:
        base = LedgerTransport(base, ledger, counter_for(spec))
    chain: httpx2.BaseTransport = RetryingTransport(base, options.retry, deadline=budget.request)
    cache = None
    if options.cache != "off":
        cache = ResponseCache(options.response_cache_dir(), secrets)
        chain = CachingTransport(chain, cache, spec.identity, options.cache)
    if wrap is not None:
        chain = wrap(chain, cache, spec)
    return MeteringTransport(chain, secrets), cache


class LLMClient:
    """Structured extraction against one backend: ``extract(Model, messages) -> Model``."""

    def __init__(
        self, spec: BackendSpec, options: LLMOptions, *, wrap: Wrapper | None = None, ledger: TokenLedger | None = None
    ) -> None:
        self.spec = spec
        self.options = options
        self._budget = Budget(spec.label, options.timeout, options.deadline)
        self.transport, self._cache = build_transport(spec, options, wrap, self._budget, ledger)
        base_url, auth = endpoint_auth(spec)
        self._http = httpx2.Client(transport=self.transport, timeout=options.timeout, auth=auth)
        raw = openai.OpenAI(
            base_url=base_url,
            api_key=spec.api_key or "local",
            http_client=self._http,
            max_retries=0,
        )
        self.client = instructor.from_openai(raw, mode=instructor.Mode.JSON_SCHEMA)

    @property
    def usage(self) -> Usage:
        """Usage summed over every request made through this client."""
        return self.transport.usage

    def extract(self, response_model: type[T], messages: list[dict[str, str]]) -> T:
        """Ask for a ``response_model`` instance; re-ask on validation errors, all in one timeout (`Budget.call`)."""
        max_tokens = max_tokens_for_model(response_model)
        register_response_model(response_model)  # the cache stores only what it validates
        try:
            with self._budget.call():
                result: T = self.client.chat.completions.create(
                    model=self.spec.model,
                    response_model=response_model,
                    messages=messages,  # type: ignore[arg-type]
                    max_retries=self.options.reasks,
                    temperature=self.options.temperature,
                    seed=self.options.seed,
                    max_tokens=max_tokens,
                )
        except Exception as err:  # translate every backend failure into the error tree
            raise translate(err, self.spec, max_tokens=max_tokens, timeout=self.options.timeout) from err
        return result

    def close(self) -> None:
        """Release the HTTP client and the cache."""
        self._http.close()
        if self._cache is not None:
            self._cache.close()


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

    Every message is made as a `SummariserError`, so a secret a server quotes is redacted
    (`summariser.errors.add_message_filter`) before anything can print or store it.

    Complete answers that cannot be used are told apart by cause: cut at ``max_tokens``
    (``finish_reason: length``; not re-asked: the budget already fits any valid answer, so
    the model ran away), an empty ``choices`` list (nothing to re-ask about), and answers
    that never validated in ``1 + reasks`` attempts (named by their first problem).
    """
    chain = _chain(err)
    ours = next((e for e in chain if isinstance(e, SummariserError)), None)
    if ours is not None:
        return ours
    root = chain[-1]
    where = spec.label
    # instructor wraps transport failures in its retry exception: classify the API error inside.
    err = next((e for e in chain if isinstance(e, openai.APIError)), err)
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
    if isinstance(err, openai.APIStatusError) and 300 <= err.status_code < 400:
        return _redirected(err, spec)
    if isinstance(err, openai.APIStatusError):
        cause = "rate limited, HTTP 429" if err.status_code == 429 else f"HTTP {err.status_code}"
        return EndpointError(f"{where} kept failing ({cause}) after retries; try again later")
    if any(isinstance(e, IncompleteOutputException) for e in chain):
        limit = f"max_tokens={max_tokens}" if max_tokens else "max_tokens"
        return ValidationFailed(
            f"{where} cut its answer at {limit} (finish_reason: length) before the JSON ended; try another model"
        )
    if _no_choices(chain):
        return BackendError(f"{where} answered with an empty choices list (no completion to read); check the server")
    if isinstance(err, InstructorRetryException | ValidationError):
        attempts = getattr(err, "n_attempts", None)
        tries = f" in {attempts} attempts" if isinstance(attempts, int) and attempts > 1 else ""
        invalid = next((e for e in chain if isinstance(e, ValidationError)), None)
        reason = first_validation_error(invalid) if invalid is not None else _short(root)
        return ValidationFailed(
            f"{where} never produced a valid answer{tries} ({reason}); try another model or check the prompt"
        )
    return BackendError(f"{where} failed: {_short(err)}")


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
