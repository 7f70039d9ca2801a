"""A real, scriptable OpenAI-compatible HTTP server for tests (stdlib only, loopback only).

`FakeOpenAI` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` (port 0: the OS picks a free
port) in a background thread and answers ``POST /v1/chat/completions`` from a script of
actions queued with `FakeOpenAI.push`. Every request it receives is recorded (method, path,
headers, parsed JSON body) in `FakeOpenAI.requests`, so tests can count attempts and check
what really went over the wire. When the script runs out, the server answers 500 with an
error naming the problem, so a test that sends more requests than it expected fails loudly.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "CloseMidResponse",
    "FakeOpenAI",
    "RecordedRequest",
    "Reply",
    "completion",
    "error_body",
    "unused_port",
]


@dataclass(frozen=True)
class Reply:
    """Answer with ``status`` and ``body`` (a dict is sent as JSON)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CloseMidResponse:
    """Send the status line, headers and part of the body, then close the connection."""

    status: int = 200
    body: Any = None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes


Action = Reply | CloseMidResponse | Callable[[Any], "Reply | CloseMidResponse"]
"""What the server does for one request: a fixed reply, or a function of the request body that makes one."""


def completion(
    content: str,
    *,
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
    finish_reason: str = "stop",
    model: str = "fake",
) -> dict[str, Any]:
    """A chat-completion response body whose only choice carries ``content``."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def error_body(message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def unused_port() -> int:
    """A loopback port that nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class _Server(ThreadingHTTPServer):
    """The HTTP server, quiet about clients that hang up (a client's timeout is what some tests check).

    socketserver prints the traceback of such a broken pipe to ``sys.stderr``, which is the command's
    own stderr while the CLI runs in this process (`helpers.cli.run`).
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError …
            super().handle_error(request, client_address)


class FakeOpenAI:
    """A scriptable fake of the OpenAI chat-completions endpoint on a real loopback socket."""

    ROUTE = "/v1/chat/completions"

    def __init__(self, responder: Callable[[Any], Action] | None = None, delay: float = 0.0) -> None:
        """``responder`` answers a request body when the script is empty; ``delay`` slows every answer."""
        self.responder = responder
        self.delay = delay
        self.requests: list[RecordedRequest] = []
        self._script: deque[Action] = deque()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeOpenAI:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ scripting

    @property
    def port(self) -> int:
        """The port the server listens on."""
        port: int = self._server.server_address[1]
        return port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *actions: Action) -> None:
        """Queue actions; each request consumes the next one."""
        with self._lock:
            self._script.extend(actions)

    @property
    def pending(self) -> int:
        """Actions not consumed yet."""
        with self._lock:
            return len(self._script)

    def _next(self, body: Any = None) -> Action:
        with self._lock:
            action = self._script.popleft() if self._script else None
        if callable(action):
            return action(body)
        if action is not None:
            return action
        if self.responder is not None:
            return self.responder(body)
        return Reply(500, error_body("fake server: script exhausted (the test sent more requests than it scripted)"))

    # ------------------------------------------------------------------ HTTP

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # silence stderr
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                headers = {name.lower(): value for name, value in self.headers.items()}
                with fake._lock:
                    fake.requests.append(RecordedRequest(self.command, self.path, headers, body, raw))
                if self.path.partition("?")[0] != fake.ROUTE:  # a query (an endpoint's ?api-key=…) is not the route
                    self._send(Reply(404, error_body(f"no route {self.path}", code="not_found")))
                    return
                action = fake._next(body)
                if fake.delay:
                    time.sleep(fake.delay)
                self._send(action)

            def do_GET(self) -> None:
                self._send(Reply(404, error_body(f"no route {self.path}")))

            def _send(self, action: Action) -> None:
                if isinstance(action, CloseMidResponse):
                    payload = json.dumps(action.body if action.body is not None else completion("{}")).encode()
                    self.send_response(action.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    # Shut the socket down hard so the client sees the truncation at once.
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = action.body.encode() if isinstance(action.body, str) else json.dumps(action.body).encode()
                self.send_response(action.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in action.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()

        return Handler
