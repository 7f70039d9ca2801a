"""The ``summariser schemas`` command: export the JSON Schema of every response model.

The schemas are `summariser.schemas.export_schemas`; a test keeps the repository's
``schemas/`` folder in sync with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..schemas import export_schemas
from .sanitise import plain

__all__ = ["EPILOG", "schemas_command"]

EPILOG = "Example: summariser schemas schemas/"


def schemas_command(
    directory: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("schemas"),
) -> None:
    """Export the JSON Schema of every response model (kept in sync with schemas/ by a test)."""
    for path in export_schemas(directory):
        typer.echo(plain(path))
