"""The ``summariser group`` command: articles (files, or folders of them) in, the events they report out.

The work is `summariser.events.api.group`; this module expands folders into their article files
(`summariser.regenerate.jobs.discover`: the one definition of which files of a folder are
articles), and prints the events — one block per event, or ``--json``: exactly
``{"events": [{"id", "label", "articles": [<path as given>, …], …}, …]}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..ingest.read import SUFFIXES
from ..regenerate.jobs import discover
from .options import Json
from .sanitise import data, plain, stderr_console

__all__ = ["EPILOG", "group_command"]

EPILOG = "Examples: summariser group articles/ · summariser group a.txt b.html wire.jsonl --json"

err_console = stderr_console()


def _expand(paths: list[Path]) -> list[str]:
    """Every path as given; a folder becomes its article files (sorted), an empty one an `InputError`."""
    out: list[str] = []
    for path in paths:
        if not path.is_dir():
            out.append(str(path))
            continue
        found = discover(path, lambda message: err_console.print(plain(message)))
        if not found:
            kinds = " ".join(SUFFIXES)
            raise InputError(f"{path} holds no article files ({kinds}); put the articles in it or pass the files")
        out += [str(path / name) for name in found]
    return out


def group_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (.txt .md .html .json .jsonl), or folders of them.")
    ],
    as_json: Json = False,
    given_order: Annotated[
        bool,
        typer.Option("--given-order", help="Place the articles in the order given, not by publication time."),
    ] = False,
) -> None:
    """Group articles into the events they report, online: each joins the likeliest event so far or starts one."""
    from ..events.api import group  # scikit-learn: imported only when grouping

    grouping = group(_expand(paths), order="given" if given_order else "published")
    if as_json:
        sys.stdout.write(data(json.dumps(grouping.model_dump(mode="json"), indent=2) + "\n", is_json=True))
        return
    for event in grouping.events:
        span = "undated"
        if event.start is not None:
            span = str(event.start) if event.start == event.end else f"{event.start} – {event.end}"
        typer.echo(plain(f"{event.id}  {event.label}", one_line=True))
        typer.echo(plain(f"  {event.size} article{'s' * (event.size != 1)}, {span}", one_line=True))
        for kind, names in (("people", event.people), ("organisations", event.organisations), ("places", event.places)):
            if names:
                typer.echo(plain(f"  {kind}: {', '.join(names)}", one_line=True))
        for member in event.members:
            typer.echo(plain(f"  - {member.article}: {member.reason}", one_line=True))
    count = len(grouping.events)
    articles = sum(len(e.articles) for e in grouping.events)
    err_console.print(plain(f"{articles} article{'s' * (articles != 1)} in {count} event{'s' * (count != 1)}"))
