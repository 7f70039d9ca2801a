"""llama.cpp's own C++ ``llama-server`` on an embedded model: a local batching endpoint.

`serve` is a context manager that starts ``llama-server`` on the verified GGUF file of an
embedded model, listening on 127.0.0.1 only, with ``parallel`` slots of the model's own context
each and continuous batching, waits until ``GET /health`` says the model is loaded, and yields
a `LlamaServer` whose ``model_string`` (``http://127.0.0.1:PORT/v1#alias``) any backend of this
package takes. On exit — normal, an exception or Ctrl-C — the process is terminated, then
killed; on Linux it is also stopped if the thread that started it dies first, even by SIGKILL
(``PR_SET_PDEATHSIG``: enter `serve` in a thread that outlives the block), so it is never left
behind.

The binary is ``$SUMMARISER_LLAMA_SERVER``, else this machine's build, compiled the first time
it is needed (`summariser.llm.embedded.server_build`: ~6 minutes, once). A missing binary, a failed build,
a crash or a failed start is one `ModelUnavailable` naming the cause and the fix.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from summariser import progress
from summariser.errors import BackendError, ConfigError, ModelUnavailable
from summariser.llm.embedded.backend import threads
from summariser.llm.embedded.server_build import ensure, runnable
from summariser.llm.embedded.weights import EmbeddedModel, assemble
from summariser.settings_table import DEFAULT_SLOTS, LLAMA_SERVER

__all__ = ["BUILD", "ENV_BINARY", "HOST", "LlamaServer", "binary", "command", "serve"]

#: The only address the server listens on.
HOST = "127.0.0.1"
#: The variable naming a llama-server binary to use instead of the cached build: the table's.
ENV_BINARY = LLAMA_SERVER.variable
#: The command that builds this machine's binary now (else `serve` builds it on first use).
BUILD = "bash scripts/build_llama_server.sh"
#: llama-server's own defaults for the logical and physical batch, passed explicitly (not tuned here).
BATCH, UBATCH = 2048, 512
#: Seconds a stopped server may take to exit on SIGTERM before it is killed.
STOP_GRACE = 10.0
#: Environment variables the server would read as settings (``LLAMA_ARG_HOST``, ``AIP_HTTP_PORT``
#: of Vertex AI's compatibility mode…): none reach it, so it runs exactly as `command` says.
_SCRUBBED = ("LLAMA_ARG_", "AIP_")


def binary() -> Path:
    """``$SUMMARISER_LLAMA_SERVER``, else this machine's build of llama-server (built now if there is none)."""
    env = LLAMA_SERVER.from_env()
    if env is None:
        return ensure()
    if not runnable(env):
        raise ModelUnavailable(
            f"llama-server not found ({ENV_BINARY}={env}); set {ENV_BINARY} to a llama-server binary, "
            f"or unset it to use this machine's own build (`{BUILD}`)"
        )
    return env


def command(exe: Path, gguf: Path, *, parallel: int, n_ctx: int, port: int, n_threads: int) -> list[str]:
    """The llama-server command line: ``parallel`` slots of ``n_ctx`` tokens each, on `HOST`:``port``."""
    return [
        str(exe),
        *("--model", str(gguf), "--host", HOST, "--port", str(port)),
        *("--parallel", str(parallel), "--ctx-size", str(n_ctx * parallel), "--threads", str(n_threads)),
        *("--batch-size", str(BATCH), "--ubatch-size", str(UBATCH)),
        *("--cont-batching", "--no-webui", "--no-kv-unified"),  # a fixed n_ctx per slot, as the client plans
    ]


@dataclass
class LlamaServer:
    """A running llama-server: where to send requests and the process behind it."""

    model: EmbeddedModel
    port: int
    parallel: int
    process: subprocess.Popen[bytes] = field(repr=False)
    log: collections.deque[str] = field(repr=False, default_factory=lambda: collections.deque(maxlen=40))

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL, ``http://127.0.0.1:PORT/v1``."""
        return f"http://{HOST}:{self.port}/v1"

    @property
    def model_string(self) -> str:
        """The model string for ``--model`` / ``SUMMARISER_MODEL``: the base URL and the model's alias."""
        return f"{self.base_url}#{self.model.alias}"

    def last_line(self) -> str:
        """The server's last non-empty log line (or a note that it logged nothing)."""
        return next((line for line in reversed(self.log) if line.strip()), "it logged nothing")

    def wait(self) -> None:
        """Block until the server exits; its exit is a `BackendError` (it only stops when asked)."""
        code = self.process.wait()
        raise BackendError(f"llama-server exited ({_exit_text(code)}): {self.last_line()}; start it again")


def _port(wanted: int | None) -> int:
    """``wanted`` if nothing listens on it yet (else a `ConfigError`), or a free port."""
    with socket.socket() as sock:
        try:
            sock.bind((HOST, wanted or 0))
        except OSError as err:
            raise ConfigError(
                f"port {wanted} on {HOST} is in use ({err.strerror}); pick another or leave it out"
            ) from None
        return int(sock.getsockname()[1])


def _exit_text(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _parent_death_signal() -> Callable[[], None] | None:
    """Linux: a ``preexec_fn`` that has the kernel SIGTERM the server when the thread that
    started it dies (even by SIGKILL). ``prctl`` is looked up here, in the parent: the child,
    between fork and exec, only calls it."""
    if sys.platform != "linux":
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return None
    return lambda: prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _drain(stream: IO[bytes], lines: collections.deque[str]) -> None:
    """Keep the server's last log lines; reading them also keeps its pipe from filling up."""
    for raw in iter(stream.readline, b""):
        lines.append(raw.decode("utf-8", "replace").rstrip())


def _healthy(port: int) -> bool:
    """True once ``GET /health`` answers 200 (it answers 503 while the model loads)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", "/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, `STOP_GRACE` seconds to exit, then SIGKILL (at once on a second Ctrl-C)."""
    try:
        if process.poll() is None:
            process.terminate()
            process.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        pass
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@contextlib.contextmanager
def serve(
    model: EmbeddedModel, *, parallel: int = DEFAULT_SLOTS, port: int | None = None, timeout: float = 180.0
) -> Iterator[LlamaServer]:
    """Run llama-server on ``model`` with ``parallel`` slots on 127.0.0.1 (``port`` or a free one) while inside."""
    if parallel < 1:
        raise ConfigError(f"parallel must be at least 1, not {parallel}")
    exe, gguf = binary(), assemble(model)
    chosen = _port(port)
    argv = command(exe, gguf, parallel=parallel, n_ctx=model.n_ctx, port=chosen, n_threads=threads())
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    progress.report(f"starting llama-server on local:{model.alias} ({parallel} slots)")
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # Ctrl-C reaches this process only, which then stops the server
        preexec_fn=_parent_death_signal(),
    )
    server = LlamaServer(model, chosen, parallel, process)
    reader = threading.Thread(target=_drain, args=(process.stdout, server.log), daemon=True)
    reader.start()
    try:
        _wait_ready(server, reader, timeout)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: LlamaServer, reader: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _healthy(server.port):
        code = server.process.poll()
        if code is not None:
            reader.join(2.0)  # until the log's end: its last line says why
            raise ModelUnavailable(
                f"llama-server did not start ({_exit_text(code)}): {server.last_line()}; check the model file "
                f"and the port, or rebuild the server with `{BUILD}`"
            )
        if time.monotonic() > deadline:
            raise ModelUnavailable(
                f"llama-server did not become ready within {timeout:g} s: {server.last_line()}; "
                "the machine may be busy: try again"
            )
        time.sleep(0.2)
