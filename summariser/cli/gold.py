"""The ``summariser gold`` commands: ``check`` a gold folder, ``init`` one from predictions.

The work is `summariser.evaluation.check_gold` and `summariser.evaluation.init_gold`; this
module prints their results — one line per problem or file on stdout, or JSON with
``--json`` — and turns problems into a non-zero exit (`CheckFailed`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CheckFailed
from ..evaluation import check_gold, init_gold
from .options import AllowUnreviewed, Articles, Json
from .options import force as force_option
from .sanitise import data, plain, stderr_console

__all__ = ["CHECK_EPILOG", "HELP", "INIT_EPILOG", "check_command", "init_command"]

HELP = "Make and check gold: `gold init` drafts it from predictions, `gold check` validates a gold folder."
CHECK_EPILOG = "Example: summariser gold check gold/"
INIT_EPILOG = (
    "Example: summariser gold init briefings/ gold/ · then, for each draft: "
    "summariser review gold/NAME.json --edit -o NAME.html, confirm it and save it over gold/NAME.json"
)

err_console = stderr_console(soft_wrap=True)  # whole lines in logs


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def check_command(
    gold: Annotated[Path, typer.Argument(help="The gold folder (NAME.json files and sources.yaml).")],
    allow_unreviewed: AllowUnreviewed = False,
    as_json: Json = False,
) -> None:
    """Validate gold files: the schema, every evidence offset against its source text, sources.yaml.

    Prints one line per problem and exits non-zero if there is any.
    """
    problems, checked = check_gold(gold, allow_unreviewed=allow_unreviewed)
    if as_json:
        report = {"checked": checked, "problems": [{"file": p.file, "message": p.message} for p in problems]}
        sys.stdout.write(data(json.dumps(report, indent=2, ensure_ascii=False) + "\n", is_json=True))
    else:
        for problem in problems:
            typer.echo(plain(problem.line(), one_line=True))
    if problems:
        files = len({p.file for p in problems})
        raise CheckFailed(
            f"{_count(len(problems), 'problem')} in {_count(files, 'file')} of {gold} (listed above); "
            f"fix them and run `summariser gold check {gold}` again"
        )
    err_console.print(f"{gold}: {_count(checked, 'gold file')}, no problems", markup=False, highlight=False)


def init_command(
    briefings: Annotated[Path, typer.Argument(help="Folder of predicted briefings (NAME.json, searched recursively).")],
    gold: Annotated[Path, typer.Argument(help="The gold folder to start (created if missing).")],
    articles: Articles = None,
    force: Annotated[bool, force_option("Overwrite gold files that exist.")] = False,
    as_json: Json = False,
) -> None:
    """Start gold from predictions: each briefing copied as an unreviewed draft, plus its sources.yaml entry.

    `summariser eval` refuses the drafts (unless --allow-unreviewed) until each is confirmed
    in its review page (`summariser review gold/NAME.json --edit`) and saved over the draft.
    """
    report = init_gold(briefings, gold, articles=articles, force=force)
    if as_json:
        result = {"written": report.written, "skipped": dict(report.skipped), "sources_added": report.entries}
        sys.stdout.write(data(json.dumps(result, indent=2, ensure_ascii=False) + "\n", is_json=True))
    else:
        for path in report.written:
            typer.echo(plain(f"wrote {path} (unreviewed)", one_line=True))
        for path, reason in report.skipped:
            typer.echo(plain(f"skipped {path}: {reason}", one_line=True))
    err_console.print(
        f"{_count(len(report.written), 'draft')} written, {len(report.skipped)} skipped, "
        f"{_count(len(report.entries), 'sources.yaml entry', 'sources.yaml entries')} added; "
        "review each draft with `summariser review FILE --edit`",
        markup=False,
        highlight=False,
    )
