"""The one sanitiser of what the CLI shows: text from outside never reaches the terminal as a command.

File names, group names, article titles, server error messages, batch ids and report fields
come from outside, and a terminal obeys what they may carry: ``ESC [`` (CSI) and OSC
sequences (hyperlinks, clipboard writes, window titles), their 8-bit C1 forms, carriage
returns and backspaces that overprint a line, bidi overrides that reorder it. And rich reads
``[red]`` or ``[link=…]`` in a string as markup (a stray ``[/x]`` raises `MarkupError`).

* `plain` shows every `UNSAFE` character as a visible escape (``ESC`` → ``\\x1b``, U+202E →
  ``\\u202e``; text without them is returned unchanged): for ``typer.echo`` and
  ``sys.stderr.write``;
* `SafeConsole` is the rich console of every command: each string it prints or draws in a
  table (cells, titles, captions) is `plain` and never read as markup or emoji codes;
  styled lines are built with `line` (styles come only from the code, never from a string);
* `line` builds such a line; `status` the status line's text; `PlainColumn` is the progress
  bar's description column (the description is shown `plain`, on one line, not as markup);
* `detail_lines` shows an error's data (``--debug``): one ``key: JSON`` line per value;
* `data` is for the CLI's data on stdout (a briefing, ``--json``): JSON gets the `UNSAFE`
  characters as ``\\uXXXX`` escapes (the same JSON value); other text is exact when piped
  and `plain` on a terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from typing import IO, Any

from rich.console import Console
from rich.progress import Task, TextColumn
from rich.style import Style
from rich.text import Text

__all__ = ["UNSAFE", "PlainColumn", "SafeConsole", "data", "detail_lines", "line", "plain", "status", "stderr_console"]

_CLASS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
#: Characters never written as they are: C0 controls but tab and newline, DEL, the C1 controls,
#: bidi marks, embeddings, overrides and isolates, line and paragraph separators, lone surrogates.
UNSAFE = re.compile(f"[{_CLASS}]")
_UNSAFE_LINE = re.compile(rf"[{_CLASS}\t\n]")  # one-line places: tab and newline too
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def plain(value: object, *, one_line: bool = False) -> str:
    """``str(value)`` with every `UNSAFE` character shown as a visible escape (``ESC`` → ``\\x1b``).

    ``one_line``: tab and newline too (``\\t``, ``\\n``), for a name or an event shown on one line.
    """
    return (_UNSAFE_LINE if one_line else UNSAFE).sub(_visible, str(value))


def line(*parts: object) -> Text:
    """One styled line: each part is shown `plain` (``one_line``); a ``(value, style)`` pair gets the style.

    ``line(("failed", "red"), f" {name}: {detail}")``: whatever ``name`` and ``detail`` hold,
    they are text on one line, never markup.
    """
    out = Text()
    for part in parts:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], str | Style):
            out.append(plain(part[0], one_line=True), style=part[1])
        else:
            out.append(plain(part, one_line=True))
    return out


def detail_lines(values: Mapping[str, Any]) -> list[str]:
    """An error's data (`SummariserError.details`) as ``--debug`` shows it: ``  key: value`` lines, `plain`.

    Each value is written as JSON, so a raw answer of several lines stays on one, its
    newlines and quotes visible as escapes.
    """
    return [plain(f"  {key}: {json.dumps(value, ensure_ascii=False)}", one_line=True) for key, value in values.items()]


def status(event: object) -> Text:
    """A progress event as the status line shows it: `plain`, on one line."""
    return Text(plain(event, one_line=True))


class SafeConsole(Console):
    """A rich console on which every string is `plain` text: no markup, no emoji codes, no controls."""

    def render_str(self, text: str, **options: Any) -> Text:
        """``text`` `plain`, never read as markup or emoji (print, table cells, titles and captions)."""
        options.update(markup=False, emoji=False)
        return super().render_str(plain(text), **options)


def stderr_console(**options: Any) -> SafeConsole:
    """The `SafeConsole` of a command's lines on stderr."""
    return SafeConsole(stderr=True, **options)


class PlainColumn(TextColumn):
    """The progress bar's description: `plain`, on one line, not markup."""

    def __init__(self) -> None:
        super().__init__("{task.description}", markup=False)

    def render(self, task: Task) -> Text:
        """The task's description, sanitised."""
        return Text(plain(task.description, one_line=True), style=self.style, justify=self.justify)


def data(text: str, *, is_json: bool = False, stream: IO[str] | None = None) -> str:
    """The CLI's data as written to stdout (or ``stream``): the same data, never a terminal command.

    JSON gets its `UNSAFE` characters as ``\\uXXXX`` escapes, always: JSON escapes the C0
    controls already, and these can occur only inside strings, so the value is the same.
    Other text (a Markdown briefing) is unchanged when piped and `plain` on a terminal.
    """
    if is_json:
        return UNSAFE.sub(_json_escape, text)
    target = sys.stdout if stream is None else stream
    return plain(text) if target.isatty() else text
