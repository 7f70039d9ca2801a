"""The ``summariser brief`` command: articles in, one briefing out (JSON or Markdown, optionally the review page).

The work is `summariser.summarise`; this module turns options into settings, shows the
pipeline's progress events in a status line and writes the outputs atomically.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .. import progress
from ..atomic import write_atomic
from ..config import load_settings_from_flags
from ..ingest.read import load_sources
from ..output.render import read_earlier, to_json, to_markdown
from ..output.review import write_review
from ..schemas import Article
from .options import (
    AllowUngrounded,
    ApiKey,
    Deadline,
    Model,
    NoCache,
    Refresh,
    Timeout,
    cache_mode,
    html_page,
    unset_unless,
)
from .options import output as output_option
from .sanitise import data, status, stderr_console

__all__ = ["EPILOG", "Format", "brief_command"]

EPILOG = (
    "Example: summariser brief article1.txt article2.html --format markdown -o briefing.md\n\n"
    "What changed: summariser brief new.txt --since briefing.json -o briefing-v2.json (the earlier "
    "briefing's articles and new.txt, with what new.txt adds under updates)"
)

err_console = stderr_console()


class Format(str, Enum):
    """Output formats of ``brief``."""

    json = "json"
    markdown = "markdown"


def brief_command(
    files: Annotated[list[Path], typer.Argument(help="Article files (.txt .md .html .json .jsonl) about one event.")],
    model: Model = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    output: Annotated[Path | None, output_option("Write here instead of stdout.")] = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    api_key: ApiKey = None,
    allow_ungrounded: AllowUngrounded = False,
    html: Annotated[Path | None, html_page("Also write the review page (briefing beside its sources) here.")] = None,
    timeout: Timeout = None,
    deadline: Deadline = None,
    since: Annotated[
        Path | None,
        typer.Option(
            "--since",
            help="An earlier briefing (JSON) of this story: brief its articles and FILES, and say what FILES add.",
            metavar="EARLIER.json",
        ),
    ] = None,
) -> None:
    """Brief one or more articles about one event into one briefing (JSON or Markdown).

    With --since, the briefing is the next version of an earlier one: its articles plus these,
    opening with what these add (updates: facts, changed numbers, people, organisations, quotes).
    """
    settings = load_settings_from_flags(
        model=model,
        cache=cache_mode(no_cache, refresh),
        api_key=api_key,
        allow_ungrounded=unset_unless(allow_ungrounded),
        timeout=timeout,
        deadline=deadline,
    )
    earlier = read_earlier(since) if since is not None else None
    from ..brief.pipeline import summarise  # openai + instructor: imported only when a briefing is made
    from ..brief.updates import earlier_articles

    sources: list[Path] | list[Article] = list(files)
    if earlier is not None and since is not None:  # every earlier source's text checked before any model work
        sources = earlier_articles(earlier, load_sources(files), name=str(since))
    quiet = not sys.stderr.isatty()
    with (
        err_console.status("starting…") as shown,
        progress.listen(lambda event: shown.update(status(event)) if not quiet else None),
    ):
        briefing = summarise(sources, settings=settings, previous=earlier)
    text = to_json(briefing) if output_format is Format.json else to_markdown(briefing)
    if html is not None:
        write_review(briefing, html)
        err_console.print(f"wrote review page {html}")
    if output is None:
        sys.stdout.write(data(text, is_json=output_format is Format.json))
        return
    write_atomic(output, text)
    usage = briefing.meta.usage if briefing.meta else None
    if usage is not None:
        err_console.print(
            f"wrote {output} ({usage.requests} requests, {usage.cache_hits} from cache, "
            f"{usage.prompt_tokens}+{usage.completion_tokens} tokens)"
        )
