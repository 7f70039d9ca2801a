"""The ``summariser serve`` command: llama.cpp's batching llama-server on an embedded model, in the foreground.

The server is `summariser.llm.embedded.llama_server.serve`; this module resolves the model string,
prints the model string to pass to other commands, and waits until Ctrl-C or SIGTERM (which
stop the server and exit 0).
"""

from __future__ import annotations

import contextlib
import signal
from typing import Annotated

import typer

from .. import progress
from ..config import flag_value, load_settings_from_flags
from ..errors import ConfigError
from ..llm import EMBEDDED_MODELS, resolve
from ..settings_table import DEFAULT_SLOTS
from .options import Model
from .sanitise import plain, status, stderr_console

__all__ = ["EPILOG", "serve_command"]

EPILOG = (
    "Example: summariser serve --model small --parallel 4, then in another shell: "
    "summariser regenerate articles/ briefings/ -j 4 --model http://127.0.0.1:PORT/v1#qwen2.5-0.5b"
)

err_console = stderr_console()


def serve_command(
    model: Model = None,
    slots: Annotated[
        str | None,
        typer.Option(
            "--parallel",
            "-np",
            metavar="N",
            help=f"Server slots, 1 to 64: requests decoded together (default {DEFAULT_SLOTS}).",
        ),
    ] = None,
    listen: Annotated[
        str | None, typer.Option("--port", metavar="PORT", help="Port on 127.0.0.1 (default: a free one).")
    ] = None,
) -> None:
    """Serve an embedded model on 127.0.0.1 with llama.cpp's batching llama-server until Ctrl-C."""
    parallel: int = flag_value("parallel", slots) or DEFAULT_SLOTS
    port: int | None = flag_value("port", listen)
    spec = resolve(load_settings_from_flags(model=model).model)
    if spec.embedded is None:
        local = ", ".join(f"local:{alias}" for alias in EMBEDDED_MODELS)
        raise ConfigError(f"summariser serve runs an embedded model, not {spec.label}; pick {local}, small or a .gguf")
    from ..llm import serve  # llama.cpp's threads setting (numpy): imported only when serving

    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops the server as Ctrl-C does
    with contextlib.suppress(KeyboardInterrupt), contextlib.ExitStack() as stack:
        with err_console.status("starting llama-server…") as shown, progress.listen(lambda e: shown.update(status(e))):
            server = stack.enter_context(serve(spec.embedded, parallel=parallel, port=port))
        typer.echo(plain(server.model_string))  # stdout: the one thing a script needs
        for text in (
            f"llama-server: local:{spec.embedded.alias}, {parallel} slots of {spec.embedded.n_ctx} tokens each",
            f"use it with --model {server.model_string} (or SUMMARISER_MODEL=…)",
            f"and SUMMARISER_CONTEXT_TOKENS={spec.embedded.n_ctx}, the context of one slot; Ctrl-C stops it",
        ):
            err_console.print(text, soft_wrap=True)  # a URL is never broken across lines
        server.wait()
    err_console.print("llama-server stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
