"""The ``summariser review`` command: the review page of an existing briefing, or its edit mode.

The page is `summariser.output.review.write_review`: the briefing beside its sources, every
item linked to its evidence. With ``--edit`` it is also where an analyst makes gold
(`summariser.output.editing`): the saved file is named after the briefing file, and its
``sources.yaml`` line names the articles relative to the gold folder's parent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output.editing import EditPage, gold_paths
from ..output.render import read_briefing
from ..output.review import write_review
from .options import Articles, GoldDir
from .options import output as output_option
from .sanitise import stderr_console

__all__ = ["EPILOG", "review_command"]

EPILOG = (
    "Examples: summariser review briefing.json -o review.html · summariser review briefing.json --edit -o gold.html"
)

err_console = stderr_console()


def review_command(
    briefing_file: Annotated[Path, typer.Argument(help="A briefing JSON file (from `summariser brief`).")],
    output: Annotated[Path | None, output_option("Where to write the page (default: BRIEFING.html).")] = None,
    edit: Annotated[
        bool,
        typer.Option(
            "--edit", help="Edit mode: confirm, fix, reject and add items, then save the briefing as a gold file."
        ),
    ] = False,
    gold_dir: GoldDir = Path("gold"),
    articles: Articles = None,
) -> None:
    """Write the review page: the briefing beside its sources, every item linked to its evidence."""
    briefing = read_briefing(briefing_file)
    target = output or briefing_file.with_suffix(".html")
    page = EditPage(briefing_file.stem, gold_paths(briefing, gold_dir, articles)) if edit else None
    write_review(briefing, target, page)
    err_console.print(f"wrote {target}", markup=False, highlight=False)
