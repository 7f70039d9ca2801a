"""The ``summariser`` command line, a thin layer over the library.

`app` (the Typer app, its ``--debug`` callback) and `main` (the entry point and its error
handling) are in `app`; each command is a module of its own — `brief`, `group`, `review`, `models`,
`schemas`, `eval` (its tables in `eval_tables`), `regenerate` (its progress bar and table in
`regenerate_display`) — and every flag is declared once, in `options`. Everything they print
that came from outside goes through `sanitise` (no escape sequences, no rich markup reach the
terminal).
"""

from .app import app, main

__all__ = ["app", "main"]
