"""The structured-call client: instructor over openai over one transport chain.

Chain, outermost first::

    Metering → Caching (diskcache) → Retrying (tenacity) → [Ledger] → Cassette | Embedded | HTTP

where HTTP is ``ResponseFormatFallback → WireTransport → httpx2.HTTPTransport``. Metering
takes every secret out of every response before instructor sees it (`metering`); Retrying
gives each request its `wire.Deadline` (what is left of the call's timeout, which a request
and its re-asks share, or the briefing's deadline: `wire.Deadlines`), and the wire holds every
socket operation to it and caps the answer's size from ``max_tokens``. With a token budget,
Ledger reserves each attempt's worst case before it reaches the backend and charges what it
spent (`ledger`). The openai client's own retries are off: retries happen once, at the
transport, where the fault-injection tests and the cassettes see them. Errors from every
layer are translated into the summariser error tree with a one-line message (`failures.translate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx2
import instructor
import openai
from pydantic import BaseModel

from summariser.llm.backends import BackendSpec
from summariser.llm.embedded.backend import EmbeddedTransport
from summariser.llm.endpoint import client_base, userinfo, wire_query
from summariser.llm.failures import translate
from summariser.llm.options import LLMOptions
from summariser.llm.secrets import register_secrets, secret_values, url_secrets
from summariser.llm.tokens.counting import counter_for
from summariser.llm.tokens.max_tokens import max_tokens_for_model
from summariser.llm.tokens.run_budget import LedgerTransport, TokenLedger
from summariser.llm.transport.cache import CachingTransport, ResponseCache
from summariser.llm.transport.cassette import CassetteTransport
from summariser.llm.transport.dialect import ResponseFormatFallback
from summariser.llm.transport.exchange import register_response_model
from summariser.llm.transport.metering import MeteringTransport
from summariser.llm.transport.retry import RetryingTransport
from summariser.llm.transport.wire import Deadlines, WireTransport
from summariser.schemas import Usage

__all__ = ["LLMClient", "MeteringTransport", "Wrapper", "build_transport", "endpoint_auth"]

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
    budget: Deadlines | None = None,
    ledger: TokenLedger | None = None,
) -> tuple[MeteringTransport, ResponseCache | None]:
    """Assemble the transport chain for ``spec``; ``wrap`` goes between Metering and the cache.

    ``budget`` times the requests (default: ``options.timeout`` per request, ``options.deadline`` in all);
    ``ledger`` holds every request that reaches the backend to the run's token budget (`ledger.LedgerTransport`).
    """
    secrets = secret_values(spec.api_key, options.api_key, *url_secrets(spec.base_url))
    register_secrets(secrets)  # for every later filter: error messages, the --debug log
    budget = budget or Deadlines(spec.label, options.timeout, options.deadline)
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
        self._budget = Deadlines(spec.label, options.timeout, options.deadline)
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
        """Ask for a ``response_model`` instance; re-ask on validation errors, all in one timeout (`Deadlines.call`)."""
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
