"""The ``summariser review`` command: the review page of an existing briefing.

The page is `summariser.output.review.write_review`: the briefing beside its sources, every
item linked to its evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output.render import read_briefing
from ..output.review import write_review
from .sanitise import stderr_console

__all__ = ["EPILOG", "review_command"]

EPILOG = "Example: summariser review briefing.json -o review.html"

err_console = stderr_console()


def review_command(
    briefing_file: Annotated[Path, typer.Argument(help="A briefing JSON file (from `summariser brief`).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the page (default: BRIEFING.html).")
    ] = None,
) -> None:
    """Write the review page: the briefing beside its sources, every item linked to its evidence."""
    briefing = read_briefing(briefing_file)
    target = output or briefing_file.with_suffix(".html")
    write_review(briefing, target)
    err_console.print(f"wrote {target}")
