"""Answer many chat requests at once through the OpenAI Batch API, into the response cache.

`submit` writes the requests as Batch API JSONL (``{"custom_id", "method": "POST", "url":
"/v1/chat/completions", "body"}``, one line per distinct request; the custom id is the
request's cache key), uploads it (``POST /files``, purpose ``batch``), creates the batch
(``POST /batches``, 24 h window), polls it (``GET /batches/{id}``) until it ends or the
wait runs out, downloads its output and error files and matches their lines by custom id,
in whatever order they come. A complete, schema-valid answer (`exchange.cacheable`, the
cache's own rule) is stored in the response cache under its request's key; anything else
is returned as a failure with a one-line reason and is never cached.

Control requests go through the retrying transport and the wire (not the cache), each within
the per-request timeout. A failure reason quotes the server, and reaches the user only as a
`BackendError`, whose message the error tree redacts; what each answer costs the token budget
is `metering.charge`'s to say (a believable usage, else that request's worst case). The batches
in flight are remembered in a state file, so a run that stops waiting (or is killed) picks the
same batch up again next time instead of paying for a second one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx2
import openai

from summariser import progress
from summariser.errors import BackendError, ConfigError, SummariserError
from summariser.llm.backends import BackendSpec
from summariser.llm.client import endpoint_auth
from summariser.llm.endpoint import wire_query
from summariser.llm.failures import translate
from summariser.llm.openai_batch.state import BatchState
from summariser.llm.options import LLMOptions
from summariser.llm.secrets import register_secrets, url_secrets
from summariser.llm.tokens.counting import counter_for, request_cost
from summariser.llm.transport.cache import ResponseCache
from summariser.llm.transport.exchange import cacheable, loads
from summariser.llm.transport.metering import charge, read_usage
from summariser.llm.transport.retry import RetryingTransport
from summariser.llm.transport.wire import Deadlines, WireTransport
from summariser.schemas import Usage

__all__ = ["DONE", "ENDPOINT", "BatchOptions", "BatchOutcome", "BatchRunner", "check_batchable", "chunks", "jsonl_line"]

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
DONE = frozenset({"completed", "expired", "cancelled", "failed"})


@dataclass(frozen=True)
class BatchOptions:
    """How to run batches: poll interval and longest wait (seconds), rounds, size limits."""

    poll: float = 30.0
    wait: float = 26 * 3600.0
    rounds: int = 3
    max_requests: int = 50_000
    max_bytes: int = 190 * 2**20


@dataclass
class BatchOutcome:
    """What one `submit` achieved: answers stored, failures by cache key, batch ids, usage, budget charge."""

    stored: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    batch_ids: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    charged: int = 0
    worst_cases: int = 0
    """Answers without a believable usage, charged their request's worst case (`metering.charge`)."""


def jsonl_line(key: str, body: Any) -> str:
    """One Batch API input line for the chat request ``body`` whose cache key is ``key``."""
    line = {"custom_id": key, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chunks(requests: Mapping[str, Any], options: BatchOptions) -> list[list[str]]:
    """JSONL lines in custom-id order, cut into files within the Batch API's count and size limits."""
    files: list[list[str]] = [[]]
    size = 0
    for key in sorted(requests):
        line = jsonl_line(key, requests[key])
        cost = len(line.encode("utf-8")) + 1
        if files[-1] and (len(files[-1]) >= options.max_requests or size + cost > options.max_bytes):
            files.append([])
            size = 0
        files[-1].append(line)
        size += cost
    return [f for f in files if f]


def check_batchable(spec: BackendSpec, options: LLMOptions) -> None:
    """Raise `ConfigError` unless ``spec`` is an HTTP endpoint and the response cache is on."""
    if spec.embedded is not None:
        raise ConfigError(
            f"--batch-api needs an HTTP endpoint with the OpenAI Batch API, not the embedded {spec.label}; "
            "pass --model openai:<model> or drop --batch-api"
        )
    if options.cache != "on":
        raise ConfigError(
            f"--batch-api keeps the batch's answers in the response cache, which is {options.cache!r}; "
            "set cache = 'on' (SUMMARISER_CACHE=on) or drop --batch-api"
        )


class BatchRunner:
    """Upload, create, poll and harvest batches against one HTTP backend."""

    def __init__(
        self,
        spec: BackendSpec,
        llm: LLMOptions,
        options: BatchOptions,
        state: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        check_batchable(spec, llm)
        self.spec = spec
        self.options = options
        self.sleep = sleep
        self.state = BatchState(state)
        register_secrets([spec.api_key, llm.api_key, *url_secrets(spec.base_url)])  # out of every message
        base_url, auth = endpoint_auth(spec)  # no credentials in request URLs (and so in logs)
        budget = Deadlines(spec.label, llm.timeout)
        wire = WireTransport(httpx2.HTTPTransport(), query=wire_query(spec.base_url))  # a key in the query: only here
        transport = RetryingTransport(wire, llm.retry, deadline=budget.request)
        self._http = httpx2.Client(transport=transport, timeout=llm.timeout, auth=auth)
        self.client = openai.OpenAI(
            base_url=base_url, api_key=spec.api_key or "local", http_client=self._http, max_retries=0
        )

    def close(self) -> None:
        """Release the HTTP client."""
        self._http.close()

    def _call(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except openai.NotFoundError as err:
            raise ConfigError(
                f"{self.spec.label} has no Batch API ({what}: HTTP 404); drop --batch-api for this endpoint"
            ) from err
        except SummariserError:
            raise
        except Exception as err:  # translate every API failure into the error tree
            raise translate(err, self.spec, timeout=self._http.timeout.read) from err

    def submit(self, requests: Mapping[str, Any], cache: ResponseCache) -> BatchOutcome:
        """Send ``requests`` (cache key → chat request body) as batches; store good answers in ``cache``."""
        outcome = BatchOutcome()
        started: list[tuple[str, str, list[str]]] = []
        for lines in chunks(requests, self.options):
            data = ("\n".join(lines) + "\n").encode("utf-8")
            digest = hashlib.sha256(self.spec.identity.encode() + b"\n" + data).hexdigest()
            known = self.state.data.get(digest)
            if known is not None and self._still_there(str(known["id"])):
                progress.report(f"batch {known['id']}: resuming ({len(lines)} requests)")
                started.append((digest, str(known["id"]), lines))
                continue
            upload = self._call("upload", self.client.files.create, file=("batch.jsonl", data), purpose="batch")
            batch = self._call(
                "create batch",
                self.client.batches.create,
                input_file_id=upload.id,
                endpoint=ENDPOINT,
                completion_window="24h",
            )
            self.state.set(digest, {"id": batch.id, "endpoint": self.spec.identity, "requests": len(lines)})
            progress.report(f"batch {batch.id}: submitted {len(lines)} requests")
            started.append((digest, batch.id, lines))
        deadline = time.monotonic() + self.options.wait  # one wait for all of this round's batches
        for digest, batch_id, lines in started:
            batch = self._wait(batch_id, deadline)
            self._harvest(batch, lines, cache, outcome)
            self.state.set(digest, None)
            outcome.batch_ids.append(batch_id)
        return outcome

    def _still_there(self, batch_id: str) -> bool:
        """Whether the batch a previous run left in flight can still be picked up."""
        try:
            self.client.batches.retrieve(batch_id)
        except openai.NotFoundError:
            return False
        except Exception as err:  # translate every API failure into the error tree
            raise translate(err, self.spec) from err
        return True

    def _wait(self, batch_id: str, deadline: float) -> Any:
        while True:
            batch = self._call("poll", self.client.batches.retrieve, batch_id)
            counts = batch.request_counts
            done = f"{counts.completed}/{counts.total} done, {counts.failed} failed" if counts else "no counts yet"
            progress.report(f"batch {batch.id}: {batch.status} ({done})")
            if batch.status in DONE:
                return batch
            if time.monotonic() >= deadline:
                raise BackendError(
                    f"batch {batch.id} is still {batch.status} ({done}) after {self.options.wait:g} s; "
                    "rerun the same command to pick it up again (it keeps running), or raise --batch-wait"
                )
            self.sleep(self.options.poll)

    def _download(self, file_id: str | None) -> list[dict[str, Any]]:
        if not file_id:
            return []
        text = self._call("download", self.client.files.content, file_id).text
        rows = []
        for raw in str(text).splitlines():
            try:
                row = loads(raw)
            except ValueError:
                continue
            if isinstance(row, dict):
                rows.append(row)
        return rows

    def _harvest(self, batch: Any, lines: list[str], cache: ResponseCache, outcome: BatchOutcome) -> None:
        bodies, counter = {row["custom_id"]: row["body"] for row in map(json.loads, lines)}, counter_for(self.spec)
        seen: set[str] = set()
        if batch.status == "failed":
            errors = batch.errors.data if batch.errors and batch.errors.data else []
            why = "; ".join(filter(None, (str(e.message) for e in errors))) or "no reason given"
            for key in bodies:
                outcome.failed[key] = f"batch {batch.id} failed: {why}; fix the cause and rerun"
            return
        for row in self._download(batch.output_file_id) + self._download(batch.error_file_id):
            key = str(row.get("custom_id"))
            if key not in bodies or key in seen:
                continue
            seen.add(key)
            response: dict[str, Any] = row["response"] if isinstance(row.get("response"), dict) else {}
            answer, status = response.get("body"), response.get("status_code")
            counts = read_usage(answer, bodies[key])  # an answer that cannot be used has spent its tokens all the same
            outcome.usage.prompt_tokens += counts.prompt
            outcome.usage.completion_tokens += counts.completion
            worst = request_cost(counter, bodies[key]).total
            spent, at_worst = charge(bodies[key], status if isinstance(status, int) else 0, answer, worst)
            outcome.charged, outcome.worst_cases = outcome.charged + spent, outcome.worst_cases + at_worst
            error = _line_error(batch.id, bodies[key], row)
            if error is not None:
                outcome.failed[key] = error
                continue
            cache.set(key, answer)
            outcome.stored += 1
            outcome.usage.requests += 1
        for key in bodies.keys() - seen:
            outcome.failed[key] = f"batch {batch.id} ended {batch.status} without an answer to this request; rerun"


def _line_error(batch_id: str, request: Any, row: dict[str, Any]) -> str | None:
    """Why a batch output line is not a usable answer to ``request`` (None: it is)."""
    error = row.get("error")
    response = row.get("response")
    if not isinstance(response, dict):
        response = {}
    status = response.get("status_code")
    body = response.get("body")
    fmt = request.get("response_format") if isinstance(request, dict) else None
    name = fmt.get("json_schema", {}).get("name") if isinstance(fmt, dict) else None
    what = f"the {name} request" if name else "a request"
    if error:
        message = error.get("message") if isinstance(error, dict) else str(error)
        return f"batch {batch_id} could not answer {what}: {message}; rerun to send it again"
    if status != 200:
        inner = body.get("error", body) if isinstance(body, dict) else body
        message = inner.get("message") if isinstance(inner, dict) else inner
        return f"batch {batch_id} answered {what} with HTTP {status}: {message}; rerun to send it again"
    if not cacheable(request, 200, body):
        choice = (body.get("choices") or [{}])[0] if isinstance(body, dict) else {}
        finish = choice.get("finish_reason") if isinstance(choice, dict) else None
        return (
            f"batch {batch_id} gave an incomplete or schema-invalid answer to {what} (finish_reason={finish}); "
            "rerun to ask again, or try another model"
        )
    return None
