"""The ``summariser models`` command: the embedded models, their state, and the other backends.

The models and their weights are `summariser.llm.embedded.weights`; ``--assemble`` assembles and
SHA-256-verifies every embedded model now instead of on first use.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from ..llm import DEFAULT_MODEL, EMBEDDED_MODELS, assemble, model_path, valid_forms
from .options import Json
from .sanitise import data, plain, stderr_console

__all__ = ["EPILOG", "models_command"]

EPILOG = "Example: summariser models --json"

err_console = stderr_console()


def models_command(
    as_json: Json = False,
    assemble_now: Annotated[
        bool, typer.Option("--assemble", help="Assemble and SHA-256-verify every embedded model now.")
    ] = False,
) -> None:
    """List the embedded models and whether their weights are assembled."""
    if assemble_now:
        for m in EMBEDDED_MODELS.values():
            err_console.print(f"local:{m.alias}: {assemble(m)}")
    rows: list[dict[str, Any]] = [
        {
            "model": f"local:{m.alias}",
            "description": m.description,
            "sha256": m.sha256,
            "assembled": model_path(m).exists(),
            "default": m.alias == DEFAULT_MODEL,
        }
        for m in EMBEDDED_MODELS.values()
    ]
    if as_json:
        sys.stdout.write(data(json.dumps(rows, indent=2) + "\n", is_json=True))
        return
    for row in rows:
        flag = " (default)" if row["default"] else ""
        ready = "ready" if row["assembled"] else "assembled on first use"
        typer.echo(plain(f"{row['model']}{flag}: {row['description']} [{ready}]"))
    typer.echo(plain(f"Other backends: {valid_forms()}"))
