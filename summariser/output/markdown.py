"""The one escaper of text from models and sources in every Markdown file the tool writes.

A headline, a theme, a person's role, a source title or a file name comes from a model, an
article or a folder someone sent you, and Markdown renderers are everywhere (GitHub, editors,
static sites): written raw, ``[x](javascript:alert(1))`` is a link, ``<img src=x
onerror=…>`` is HTML, a line break followed by ``# `` is a heading. `text` turns any string
into one line of inline Markdown that a CommonMark or GitHub (GFM) renderer shows as exactly
that string, and nothing else; `code` does the same as a code span. ``render.to_markdown``
(a briefing's ``.md``) and ``index.index_markdown`` (``index.md``) build every line from
them; no other module writes Markdown.

What is escaped, and why (a backslash before ASCII punctuation is always a literal):

* **line breaks** (``\\n``, ``\\r``, tabs, U+0085, U+2028/9) become one space: a new line
  could start any block — heading, list, quote, fence, HTML block, table, a link reference
  definition (``[x]: javascript:…``) — so each text stays on the line the writer gave it;
* **control characters** (C0 and C1 controls, DEL, bidi embeddings, overrides and isolates,
  lone surrogates) are shown as visible escapes (ESC → ``\\x1b``, U+202E → ``\\u202e``), as
  the CLI shows them: none reaches a file, where ``cat`` or an editor would obey it;
* **always**: ``\\`` (an escape of its own), `````` ` `````` (code spans), ``*`` and ``~``
  (emphasis, strikethrough), ``[`` and ``]`` (links, images, footnotes, task items, link
  references), ``<`` and ``>`` (raw HTML, autolinks ``<http://…>``, block quotes), ``|``
  (table cells);
* **where they would act**: ``_`` unless between two letters or digits (``snake_case``
  cannot emphasise), ``&`` before an entity (``&lt;``, ``&#106;``), a leading ``#`` run
  followed by a space and a closing run of ``#`` at the end (a heading's own), a leading
  ``-``, ``+`` or ``=`` followed by a space or another of them and the ``.`` or ``)`` of a
  leading number followed by a space (list items, setext underlines, thematic breaks),
  and GFM's extended autolinks: the ``:`` of ``scheme://`` and of ``mailto:``/``xmpp:``, the
  ``.`` of ``www.``, the ``@`` of an e-mail address.

Ordinary text keeps its periods, commas, quotes, brackets, colons and dashes as they are:
"Talks resume at 10:30 in St. Louis (U.S.) — union says 'no'." comes back unchanged.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "code", "text"]

#: Never written as they are: C0 controls, DEL, C1 controls, bidi marks, embeddings,
#: overrides and isolates, lone surrogates (the class of `summariser.cli.sanitise.UNSAFE`).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BREAKS = re.compile("[ \t\n\r\x0b\x0c\x85\u2028\u2029]+")
_ALWAYS = re.compile(r"[\\`*~\[\]<>|]")
_WHERE = re.compile(
    r"(?<![^\W_])_|_(?![^\W_])"  # an underscore not inside a word
    r"|&(?=#?\w+;)"  # an entity
    r"|(?<=[A-Za-z]):(?=//)|(?i:(?<=\bmailto)|(?<=\bxmpp)):"  # scheme:// and GFM's protocol autolinks
    r"|(?i:(?<=\bwww))\."  # www.
    r"|(?<=[\w.+-])@(?=[\w-])"  # an e-mail address
)
_LEAD = re.compile(r"#{1,6}(?= |$)|[-+=](?=[-+= ]|$)|\d{1,9}(?=[.)](?: |$))")  # a block marker at the start


def _visible(found: re.Match[str]) -> str:
    code_point = ord(found.group())
    return f"\\x{code_point:02x}" if code_point < 0x100 else f"\\u{code_point:04x}"


def _one_line(value: str) -> str:
    return _BREAKS.sub(" ", value).strip()


def text(value: str) -> str:
    """``value`` as one line of inline Markdown that renders as exactly ``value`` (see the module docstring)."""
    line = _one_line(value)
    escaped = _WHERE.sub(lambda m: "\\" + m.group(), _ALWAYS.sub(lambda m: "\\" + m.group(), line))
    if lead := _LEAD.match(escaped):
        escaped = f"\\{escaped}" if lead.group()[0] in "#+=-" else f"{lead.group()}\\{escaped[lead.end() :]}"
    body = escaped.rstrip("#")  # a closing run of # after a space (not a regex: linear on a long run)
    if body != escaped and body.endswith(" "):
        escaped = f"{body}\\{escaped[len(body) :]}"
    return UNSAFE.sub(_visible, escaped)


def code(value: str) -> str:
    """``value`` as an inline code span (on one line, control characters visible); ``""`` for an empty value."""
    shown = UNSAFE.sub(_visible, _one_line(value))
    if not shown:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown[0] == "`" or shown[-1] == "`" else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
