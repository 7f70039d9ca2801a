"""The ``summariser`` command: a thin layer over the library.

Every error of the summariser error tree becomes one line on stderr and a non-zero exit
code; a traceback is shown only with ``--debug`` (or ``SUMMARISER_DEBUG=1``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .. import progress
from ..config import load_settings
from ..errors import ConfigError, SummariserError
from ..llm.backends import valid_forms
from ..llm.weights import EMBEDDED_MODELS, assemble, model_path
from ..output.render import read_briefing, to_json, to_markdown, write_atomic
from ..output.review import write_review
from ..schemas import export_schemas
from .eval import EPILOG as EVAL_EPILOG
from .eval import eval_command
from .regenerate import EPILOG as REGENERATE_EPILOG
from .regenerate import regenerate_command

app = typer.Typer(
    help="Turn news articles into structured, verifiable briefings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)
_state = {"debug": os.environ.get("SUMMARISER_DEBUG") == "1"}


class Format(str, Enum):
    """Output formats of ``brief``."""

    json = "json"
    markdown = "markdown"


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
) -> None:
    if debug:
        _state["debug"] = True
    # instructor logs every failed attempt at ERROR; the CLI reports the final outcome as
    # one line instead (shown with --debug).
    level = logging.DEBUG if _state["debug"] else logging.CRITICAL
    for name in ("instructor", "openai", "httpx2", "summariser"):
        logging.getLogger(name).setLevel(level)
    if _state["debug"]:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
        from ..llm.cassette import RedactingFilter

        # Keys, organisation/project ids and URL passwords never reach the log (headers echoed back, URLs).
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


@app.command(epilog="Example: summariser brief article1.txt article2.html --format markdown -o briefing.md")
def brief(
    files: Annotated[list[Path], typer.Argument(help="Article files (.txt .md .html .json .jsonl) about one event.")],
    model: Annotated[str | None, typer.Option("--model", "-m", help=f"Model string: {valid_forms()}.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore cached answers and overwrite them.")] = False,
    api_key: Annotated[str | None, typer.Option("--api-key", help="API key (default from env).")] = None,
    allow_ungrounded: Annotated[
        bool,
        typer.Option("--allow-ungrounded", help="Keep summary bullets no source supports (flagged in the report)."),
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the review page (briefing beside its sources) here.")
    ] = None,
) -> None:
    """Brief one or more articles about one event into one briefing (JSON or Markdown)."""
    if no_cache and refresh:
        raise ConfigError("--no-cache and --refresh exclude each other; pick one")
    cache = "off" if no_cache else "refresh" if refresh else None
    settings = load_settings(model=model, cache=cache, api_key=api_key, allow_ungrounded=allow_ungrounded or None)
    from ..brief.pipeline import summarise

    quiet = not sys.stderr.isatty()
    with (
        err_console.status("starting…") as status,
        progress.listen(lambda event: status.update(event) if not quiet else None),
    ):
        briefing = summarise(list(files), settings=settings)
    text = to_json(briefing) if output_format is Format.json else to_markdown(briefing)
    if html is not None:
        write_review(briefing, html)
        err_console.print(f"wrote review page {html}")
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        usage = briefing.meta.usage if briefing.meta else None
        if usage is not None:
            err_console.print(
                f"wrote {output} ({usage.requests} requests, {usage.cache_hits} from cache, "
                f"{usage.prompt_tokens}+{usage.completion_tokens} tokens)"
            )


@app.command(epilog="Example: summariser review briefing.json -o review.html")
def review(
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


@app.command(epilog="Example: summariser models --json")
def models(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    assemble_now: Annotated[
        bool, typer.Option("--assemble", help="Assemble and SHA-256-verify every embedded model now.")
    ] = False,
) -> None:
    """List the embedded models and whether their weights are assembled."""
    if assemble_now:
        for m in EMBEDDED_MODELS.values():
            err_console.print(f"local:{m.alias}: {assemble(m)}")
    rows = [
        {
            "model": f"local:{m.alias}",
            "description": m.description,
            "sha256": m.sha256,
            "assembled": model_path(m).exists(),
            "default": m.alias == "qwen2.5-1.5b",
        }
        for m in EMBEDDED_MODELS.values()
    ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    for row in rows:
        flag = " (default)" if row["default"] else ""
        ready = "ready" if row["assembled"] else "assembled on first use"
        typer.echo(f"{row['model']}{flag}: {row['description']} [{ready}]")
    typer.echo(f"Other backends: {valid_forms()}")


@app.command(epilog="Example: summariser schemas schemas/")
def schemas(
    directory: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("schemas"),
) -> None:
    """Export the JSON Schema of every response model (kept in sync with schemas/ by a test)."""
    for path in export_schemas(directory):
        typer.echo(str(path))


app.command("eval", epilog=EVAL_EPILOG)(eval_command)
app.command("regenerate", epilog=REGENERATE_EPILOG)(regenerate_command)


def main() -> None:
    """Console-script entry point: run the app, turning errors into one-line messages."""
    try:
        app(standalone_mode=False)
    except SummariserError as err:
        if _state["debug"]:
            _traceback(err)
        sys.stderr.write(_clean(f"error: {err.message}\n"))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; nothing was written\n")
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except Exception as err:  # click usage errors are handled below; anything else is a bug
        import click

        if isinstance(err, click.exceptions.ClickException):
            err.show()
            sys.exit(err.exit_code)
        if isinstance(err, click.exceptions.Exit):
            sys.exit(err.exit_code)
        if _state["debug"]:
            _traceback(err)
        detail = " ".join(str(err).split())[:300]
        message = f"internal error: {type(err).__name__}: {detail} (rerun with --debug for a traceback)\n"
        sys.stderr.write(_clean(message))
        sys.exit(70)


def _clean(text: str) -> str:
    """``text`` without any known secret (a server may echo the key back in an error message)."""
    from ..llm.cassette import redact, secret_values

    clean: str = redact(text, secret_values())
    return clean


def _traceback(err: BaseException) -> None:
    """Print ``err``'s traceback (``--debug``), secrets redacted."""
    import traceback

    sys.stderr.write(_clean("".join(traceback.format_exception(err))))


if __name__ == "__main__":
    main()
