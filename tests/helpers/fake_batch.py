"""A loopback fake of the OpenAI Batch API (files + batches) on top of `FakeOpenAI`.

`FakeBatchServer` serves, besides ``POST /v1/chat/completions`` (the `FakeOpenAI` routes):

* ``POST /v1/files`` (multipart, purpose ``batch``) — stores the JSONL, kept in ``uploads``;
* ``POST /v1/batches`` — creates a batch (``validating``); every ``GET /v1/batches/{id}``
  moves it one step on (``in_progress`` → ``finalizing`` → ``completed``), unless
  ``stuck`` holds it in progress;
* ``GET /v1/files/{id}/content`` — the output and error files.

When a batch completes, each input line is answered by ``responder`` (the same one that
answers live chat completions): a 200 goes to the output file, anything else to the error
file, and a line for which ``fail(body)`` is true gets a line-level error instead. The output
lines come in ``order`` (``"reversed"`` by default, so that matching by position fails).
`cassette_responder` answers from recorded cassettes, matching requests as the cassette
layer does (the canonical key, under each cassette's recorded endpoint identity);
`reasked_responder` makes one kind of request need an instructor re-ask first.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.fake_server import Action, FakeOpenAI, RecordedRequest, Reply, error_body
from summariser.llm.transport.exchange import Canonical

__all__ = ["FakeBatchServer", "as_floats", "cassette_responder", "reasked_responder"]

STEPS = ("validating", "in_progress", "finalizing", "completed")


def cassette_responder(*paths: Path) -> Callable[[Any], Action]:
    """Answer a chat request body from the cassettes ``paths`` (a 500 naming the miss otherwise)."""
    index: dict[str, dict[str, Any]] = {}
    identities: list[str] = []
    for path in paths:
        for item in json.loads(path.read_text(encoding="utf-8"))["interactions"]:
            index.setdefault(item["key"], item)
            if item["request"]["endpoint"] not in identities:
                identities.append(item["request"]["endpoint"])

    def respond(body: Any) -> Action:
        for identity in identities:
            item = index.get(Canonical(identity, "POST", "/chat/completions", body).key)
            if item is not None:
                return Reply(item["response"]["status"], item["response"]["body"])
        return Reply(500, error_body("fake batch server: no cassette has this request"))

    return respond


def as_floats(content: str) -> str:
    """An answer with every integer written as a float (``[1, 2]`` → ``[1.0, 2.0]``).

    The JSON Schema and a lax validation accept it (``1.0`` is an integer to JSON Schema), so a
    batch stores it in the response cache; instructor validates strictly and re-asks.
    """

    def floats(value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return float(value)
        if isinstance(value, list):
            return [floats(v) for v in value]
        if isinstance(value, dict):
            return {k: floats(v) for k, v in value.items()}
        return value

    return json.dumps(floats(json.loads(content)))


def reasked_responder(respond: Callable[[Any], Action], schema: str = "OverviewDraft") -> Callable[[Any], Action]:
    """``respond``, except that a first ``schema`` request gets its answer with floats (`as_floats`).

    instructor rejects that answer and re-asks: the same request with the rejected answer and
    the validation errors appended. The re-ask is answered as ``respond`` answers the original
    request, so the briefing ends up with the recorded answers, one batch round later.
    """

    def answer(body: Any) -> Action:
        if body["response_format"]["json_schema"]["name"] != schema:
            return respond(body)
        first = next(i for i, m in enumerate(body["messages"]) if m["role"] == "user") + 1
        if len(body["messages"]) > first:  # a re-ask: answer the original request
            return respond({**body, "messages": body["messages"][:first]})
        reply = respond(body)
        assert isinstance(reply, Reply) and reply.status == 200, "the original request has no recorded answer"
        choice = reply.body["choices"][0]
        wrong = {**choice, "message": {**choice["message"], "content": as_floats(choice["message"]["content"])}}
        return Reply(200, {**reply.body, "choices": [wrong]})

    return answer


class FakeBatchServer(FakeOpenAI):
    """`FakeOpenAI` plus the files and batches routes of the Batch API (see the module docstring)."""

    def __init__(
        self,
        responder: Callable[[Any], Action] | None = None,
        *,
        fail: Callable[[Any], bool] | None = None,
        order: str = "reversed",
        stuck: bool = False,
    ) -> None:
        super().__init__(responder=responder)
        self.fail = fail
        self.order = order
        self.stuck = stuck
        self.files: dict[str, bytes] = {}
        self.uploads: list[bytes] = []
        self.batches: dict[str, dict[str, Any]] = {}
        self.created: list[dict[str, Any]] = []
        """The JSON bodies of ``POST /v1/batches``."""
        self._ids = itertools.count(1)
        self._batch_lock = threading.Lock()

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Chat completions sent outside any batch."""
        return [r for r in self.requests if r.path == self.ROUTE]

    def upload_lines(self, n: int = -1) -> list[dict[str, Any]]:
        """The parsed JSONL lines of upload ``n`` (default: the last)."""
        return [json.loads(line) for line in self.uploads[n].decode("utf-8").splitlines() if line.strip()]

    # ------------------------------------------------------------------ batch logic

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _upload(self, content_type: str, raw: bytes) -> Reply:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
        fields: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = part.get_payload(decode=True) or b""
        if fields.get("purpose") != b"batch" or "file" not in fields:
            return Reply(400, error_body("fake batch server: expected a 'file' and purpose 'batch'"))
        file_id = self._new_id("file")
        self.files[file_id] = fields["file"]
        self.uploads.append(fields["file"])
        return Reply(200, self._file_object(file_id, "batch"))

    def _file_object(self, file_id: str, purpose: str) -> dict[str, Any]:
        size = len(self.files[file_id])
        return {"id": file_id, "object": "file", "bytes": size, "created_at": 1_700_000_000,
                "filename": f"{file_id}.jsonl", "purpose": purpose, "status": "processed"}  # fmt: skip

    def _create(self, body: Any) -> Reply:
        self.created.append(body)
        if body.get("input_file_id") not in self.files:
            return Reply(404, error_body("fake batch server: no such input file"))
        batch_id = self._new_id("batch")
        lines = self.files[body["input_file_id"]].decode("utf-8").splitlines()
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
            "input_file_id": body["input_file_id"], "completion_window": body["completion_window"],
            "status": "validating", "created_at": 1_700_000_000, "output_file_id": None, "error_file_id": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }  # fmt: skip
        return Reply(200, self.batches[batch_id])

    def _poll(self, batch_id: str) -> Reply:
        with self._batch_lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return Reply(404, error_body(f"fake batch server: no batch {batch_id}"))
            step = STEPS.index(batch["status"]) if batch["status"] in STEPS else len(STEPS) - 1
            if batch["status"] != "completed" and not (self.stuck and step >= 1):
                batch["status"] = STEPS[step + 1]
                if batch["status"] == "completed":
                    self._finish(batch)
            return Reply(200, batch)

    def _finish(self, batch: dict[str, Any]) -> None:
        out, errors = [], []
        for raw in self.files[batch["input_file_id"]].decode("utf-8").splitlines():
            line = json.loads(raw)
            row: dict[str, Any] = {"id": self._new_id("batch_req"), "custom_id": line["custom_id"]}
            if self.fail is not None and self.fail(line["body"]):
                errors.append({**row, "response": None, "error": {"code": "server_error", "message": "fake outage"}})
                continue
            action = self.responder(line["body"]) if self.responder else Reply(500, error_body("no responder"))
            assert isinstance(action, Reply)
            response = {"status_code": action.status, "request_id": row["id"], "body": action.body}
            (out if action.status == 200 else errors).append({**row, "response": response, "error": None})
        if self.order == "reversed":
            out.reverse()
        elif self.order == "shuffled":
            random.Random(0).shuffle(out)
        for kind, rows in (("output_file_id", out), ("error_file_id", errors)):
            if rows:
                file_id = self._new_id("file")
                self.files[file_id] = "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
                batch[kind] = file_id
        batch["request_counts"].update(completed=len(out), failed=len(errors))

    # ------------------------------------------------------------------ HTTP

    def _handler_class(self) -> Any:
        base = super()._handler_class()
        fake = self

        class Handler(base):  # type: ignore[valid-type,misc]
            def _record(self, raw: bytes) -> Any:
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                headers = {name.lower(): value for name, value in self.headers.items()}
                with fake._lock:
                    fake.requests.append(RecordedRequest(self.command, self.path, headers, body, raw))
                return body

            def do_POST(self) -> None:
                if self.path == fake.ROUTE:
                    super().do_POST()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = self._record(raw)
                if self.path == "/v1/files":
                    self._send(fake._upload(self.headers.get("Content-Type", ""), raw))
                elif self.path == "/v1/batches" and isinstance(body, dict):
                    self._send(fake._create(body))
                else:
                    self._send(Reply(404, error_body(f"no route {self.path}", code="not_found")))

            def do_GET(self) -> None:
                self._record(b"")
                parts = self.path.strip("/").split("/")
                if parts[:2] == ["v1", "batches"] and len(parts) == 3:
                    self._send(fake._poll(parts[2]))
                elif parts[:2] == ["v1", "files"] and len(parts) == 4 and parts[3] == "content":
                    content = fake.files.get(parts[2])
                    if content is None:
                        self._send(Reply(404, error_body(f"no file {parts[2]}")))
                    else:
                        self._send(Reply(200, content.decode("utf-8")))
                else:
                    self._send(Reply(404, error_body(f"no route {self.path}")))

        return Handler
