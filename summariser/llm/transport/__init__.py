"""The HTTP transport chain of every structured call, outermost first, and the request key it shares.

* `metering` — secrets out of every response, requests and tokens counted;
* `cache` — the response cache, keyed on the canonical request (`exchange`);
* `retry` — transient failures retried within the request's deadline;
* `cassette` — record and replay at the transport boundary (a miss explained by `closest`);
* `dialect` — the response-format dialect of an OpenAI-compatible server;
* `wire` — the bottom: every request within its deadline (`deadline`), every answer within its size;
* `exchange` — the canonical request and its key, shared by the cache and the cassettes.

Nothing here imports the embedded backend (an import-linter contract): the HTTP path needs no llama.cpp.
"""

__all__: list[str] = []
