"""The ``summariser`` command: the Typer app, its ``--debug`` callback and `main`, the entry point.

Each command lives in a module of its own (`brief`, `group`, `review`, `models`, `schemas`, `eval`,
`regenerate`, `serve`, and the ``gold`` group's `gold`) and is registered here; the options they share are
declared once in
`summariser.cli.options`. `main` turns every error of the summariser error tree into one
line on stderr and its exit code, a usage error into click's usage message and exit 2, and
anything else into an ``internal error`` line and exit 70; a traceback is shown only with
``--debug`` (or ``SUMMARISER_DEBUG=1``), and with it the data the error carries, a line each
(`SummariserError.details`: a validation failure's attempts, usage and last raw answer; the
closest recorded request of a cassette miss).
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import INTERRUPTED, SummariserError
from ..settings_table import DEBUG
from . import brief, gold, group, models, regenerate, review, schemas, serve
from . import eval as eval_
from .sanitise import detail_lines, plain

__all__ = ["app", "main"]


def _with_context(parse: Callable[[Any, list[str]], list[str]], ctx: Any, args: list[str]) -> list[str]:
    """``parse(ctx, args)``, with ``ctx`` attached to a usage error that came without one.

    click's option parser raises "option requires an argument" and "option does not take a
    value" without the command's context, so they would print without the usage line.
    """
    try:
        return parse(ctx, args)
    except typer.TyperException as err:
        if getattr(err, "ctx", False) is None:
            err.ctx = ctx  # type: ignore[attr-defined]
        raise


class _Command(TyperCommand):
    """A command whose usage errors all print with its usage line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _with_context(super().parse_args, ctx, args)


class _Group(TyperGroup):
    """The command group, whose usage errors all print with its usage line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _with_context(super().parse_args, ctx, args)


app = typer.Typer(
    cls=_Group,
    help="Turn news articles into structured, verifiable briefings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
) -> None:
    if debug or DEBUG.from_env():
        _state["debug"] = True
    # instructor logs every failed attempt at ERROR; the CLI reports the final outcome as
    # one line instead (shown with --debug).
    level = logging.DEBUG if _state["debug"] else logging.CRITICAL
    for name in ("instructor", "openai", "httpx2", "summariser"):
        logging.getLogger(name).setLevel(level)
    if _state["debug"]:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
        from ..llm import RedactingFilter

        # Keys, organisation/project ids and URL passwords never reach the log (headers echoed back, URLs).
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
            handler.setFormatter(_PlainFormatter("%(name)s: %(message)s"))


class _PlainFormatter(logging.Formatter):
    """Debug log lines as `sanitise.plain` text: a logged server message cannot drive the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return plain(super().format(record))


app.command("brief", cls=_Command, epilog=brief.EPILOG)(brief.brief_command)
app.command("group", cls=_Command, epilog=group.EPILOG)(group.group_command)
app.command("review", cls=_Command, epilog=review.EPILOG)(review.review_command)
app.command("models", cls=_Command, epilog=models.EPILOG)(models.models_command)
app.command("schemas", cls=_Command, epilog=schemas.EPILOG)(schemas.schemas_command)
app.command("eval", cls=_Command, epilog=eval_.EPILOG)(eval_.eval_command)
app.command("regenerate", cls=_Command, epilog=regenerate.EPILOG)(regenerate.regenerate_command)
app.command("serve", cls=_Command, epilog=serve.EPILOG)(serve.serve_command)
gold_app = typer.Typer(cls=_Group, help=gold.HELP, no_args_is_help=True, pretty_exceptions_enable=False)
gold_app.command("check", cls=_Command, epilog=gold.CHECK_EPILOG)(gold.check_command)
gold_app.command("init", cls=_Command, epilog=gold.INIT_EPILOG)(gold.init_command)
app.add_typer(gold_app, name="gold")


def main() -> None:
    """Console-script entry point: run the app, turning errors into one-line messages and exit codes."""
    try:
        _state["debug"] = _state["debug"] or bool(DEBUG.from_env())  # before any command: tracebacks too
        # Not standalone: errors come here instead of being printed by typer, and an exit
        # (``--help``, or Ctrl-C, which typer turns into exit 130: `INTERRUPTED`) comes back as its code.
        code = app(standalone_mode=False)
    except SummariserError as err:
        if _state["debug"]:
            _traceback(err)
        sys.stderr.write(_clean(f"error: {err.message}", one_line=True) + "\n")
        if _state["debug"]:
            sys.stderr.writelines(_clean(text, one_line=True) + "\n" for text in detail_lines(err.details()))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        _interrupted()
    except typer.Abort:
        sys.exit(INTERRUPTED)
    except typer.TyperException as err:
        _usage_error(err)
    except Exception as err:  # anything else is a bug
        if _state["debug"]:
            _traceback(err)
        detail = " ".join(str(err).split())[:300]
        message = f"internal error: {type(err).__name__}: {detail} (rerun with --debug for a traceback)"
        sys.stderr.write(_clean(message, one_line=True) + "\n")
        sys.exit(70)
    if code == INTERRUPTED:
        _interrupted()
    if isinstance(code, int) and code:
        sys.exit(code)


def _usage_error(err: typer.TyperException) -> NoReturn:
    """Click's usage message (usage line, help hint, ``Error: …``) on stderr, and its exit code (2).

    typer vendors click as ``typer._click``: its usage errors (missing argument, no such
    command or option, option without its value) derive from `typer.TyperException`, not
    from the ``click`` package's ``ClickException``, so they are caught as that.
    """
    if err.format_message():  # empty for no_args_is_help: typer has printed the help already
        text = io.StringIO()
        show = getattr(err, "show", None)  # every click exception has it; a bare TyperException has not
        if callable(show):
            show(text)
        else:
            text.write(f"Error: {err.format_message()}\n")
        sys.stderr.write(_clean(text.getvalue()))
    sys.exit(err.exit_code)


def _interrupted() -> NoReturn:
    sys.stderr.write("interrupted; no file was left half-written\n")
    sys.exit(INTERRUPTED)


def _clean(text: str, *, one_line: bool = False) -> str:
    """``text`` without any known secret (a server may echo the key back in an error message),
    and with nothing a terminal would obey (`sanitise.plain`: a file name or a server's message
    may hold escape sequences)."""
    from ..llm import redact, secret_values

    return plain(redact(text, secret_values()), one_line=one_line)


def _traceback(err: BaseException) -> None:
    """Print ``err``'s traceback (``--debug``), secrets redacted."""
    import traceback

    sys.stderr.write(_clean("".join(traceback.format_exception(err))))


if __name__ == "__main__":
    main()
