"""Hostile and broken servers: `FakeOpenAI` with responder kinds that attack the client.

`HostileServer` answers like `helpers.fake_server.FakeOpenAI` (its script, its responder)
and also understands these actions:

* `Drip` — a complete answer sent a few bytes at a time, with a pause between them
  (optionally the header block too, and optionally stalling for good after some bytes);
* `Flood` — a body of ``size`` bytes (or endless) made of a repeated pattern, sent with a
  ``Content-Length`` or chunked, optionally gzip- or deflate-encoded on the fly (a bomb:
  a few hundred KB on the wire inflate to ``size``);

Every handler stops as soon as the client goes away or the server stops, so an attack
never outlives its test.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from helpers.fake_server import FakeOpenAI

__all__ = ["Drip", "Flood", "HostileServer", "gzip_stream"]


@dataclass(frozen=True)
class Drip:
    """Send ``body`` ``step`` bytes at a time, ``interval`` seconds apart."""

    body: Any
    interval: float = 0.2
    step: int = 1
    headers_too: bool = False
    """Drip the status line and headers as well (the client has no response object yet)."""
    stall_after: int | None = None
    """Stop sending after this many body bytes and hold the connection open."""


@dataclass(frozen=True)
class Flood:
    """A body of ``size`` bytes of ``pattern`` (None: endless)."""

    size: int | None
    pattern: bytes = b"["
    prefix: bytes = b""
    encoding: Literal["identity", "gzip", "deflate"] = "identity"
    chunked: bool = False


def _payload(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


def _pieces(prefix: bytes, block: bytes, size: int | None) -> Iterator[bytes]:
    """``prefix``, then ``size`` bytes (None: endless) of ``block`` repeated."""
    if prefix:
        yield prefix
    left = size
    while left is None or left > 0:
        piece = block if left is None else block[:left]
        if left is not None:
            left -= len(piece)
        yield piece


def gzip_stream(encoding: str) -> Any:
    """A zlib compressor for the ``gzip`` or ``deflate`` content coding."""
    return zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)


class HostileServer(FakeOpenAI):
    """`FakeOpenAI` that also plays `Drip` and `Flood` actions (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stopping = threading.Event()
        self.sent: list[int] = []
        """Bytes put on the wire per hostile answer."""

    def __enter__(self) -> HostileServer:
        self.start()
        return self

    def push(self, *actions: Any) -> None:
        """Queue actions (`Drip`, `Flood` or any `FakeOpenAI` action); each request consumes the next one."""
        with self._lock:
            self._script.extend(actions)

    def clear(self) -> None:
        """Drop the actions a test queued but did not use (the server may serve several tests)."""
        with self._lock:
            self._script.clear()

    def stop(self) -> None:
        """Stop every running attack, then the server."""
        self.stopping.set()
        super().stop()

    def _handler_class(self) -> Any:
        base = super()._handler_class()
        fake = self

        class Handler(base):  # type: ignore[valid-type,misc]
            def _send(self, action: Any) -> None:
                try:
                    if isinstance(action, Drip):
                        self._drip(action)
                    elif isinstance(action, Flood):
                        self._flood(action)
                    else:
                        super()._send(action)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
                    self.close_connection = True  # the client hung up: the attack is over

            def _pause(self, seconds: float) -> bool:
                return not fake.stopping.wait(seconds)

            def _drip(self, action: Drip) -> None:
                payload = _payload(action.body)
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                    "Connection: close\r\n\r\n"  # said, as a real server says it: else the client may reuse
                ).encode()  # the connection before it sees it closed, and its next request finds it dropped
                self.close_connection = True
                stream = (head if action.headers_too else b"") + payload
                if not action.headers_too:
                    self.wfile.write(head)
                    self.wfile.flush()
                sent = 0
                limit = len(stream) if action.stall_after is None else min(len(stream), action.stall_after)
                while sent < limit and self._pause(action.interval):
                    piece = stream[sent : min(limit, sent + action.step)]
                    self.wfile.write(piece)
                    self.wfile.flush()
                    sent += len(piece)
                while action.stall_after is not None and self._pause(0.1):
                    pass  # hold the connection open, send nothing
                fake.sent.append(sent)

            def _flood(self, action: Flood) -> None:
                self.close_connection = True
                self.send_response(200)
                self.send_header("Connection", "close")
                self.send_header("Content-Type", "application/json")
                if action.encoding != "identity":
                    self.send_header("Content-Encoding", action.encoding)
                if action.chunked or action.size is None or action.encoding != "identity":
                    self.send_header("Transfer-Encoding", "chunked")
                    chunked = True
                else:
                    self.send_header("Content-Length", str(len(action.prefix) + action.size))
                    chunked = False
                self.end_headers()
                packer = gzip_stream(action.encoding) if action.encoding != "identity" else None
                block = action.pattern * max(1, 65536 // len(action.pattern))
                wire = 0
                started = time.monotonic()
                for piece in _pieces(action.prefix, block, action.size):
                    if fake.stopping.is_set() or time.monotonic() - started > 60:
                        break
                    data = packer.compress(piece) if packer is not None else piece
                    if data:
                        wire += len(data)
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                if packer is not None:
                    tail = packer.flush()
                    wire += len(tail)
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(tail), tail))
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                fake.sent.append(wire)

        return Handler
