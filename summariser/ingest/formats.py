"""The format parsers: what a Markdown, HTML, JSON or JSON Lines document holds as articles.

Each parser turns the text of one document into `Parsed` records — article text, the title
and publication time the document states, and how an error names the record (``a.jsonl
line 3``) — and raises a one-line `InputError` for a document it cannot read. Cleaning the
text and building the `Article` is `summariser.ingest.read`'s job.

* `from_markdown` — YAML front matter (``title``, ``published``/``date``), the first ``#``
  heading as title, Markdown syntax stripped to plain text;
* `from_html` — the main text, title and date that trafilatura extracts;
* `json_records` / `from_record` — a JSON object or list of objects, or JSON Lines (one
  object a line, blank lines skipped), each with its text under one of `TEXT_KEYS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import InputError
from ..text.dates import parse_timestamp

__all__ = ["TEXT_KEYS", "Parsed", "from_html", "from_markdown", "from_record", "json_records"]

#: Keys of a JSON article object that may hold its text, in order of preference.
TEXT_KEYS = ("text", "article", "body", "content")


@dataclass(frozen=True)
class Parsed:
    """One article as a document states it: raw text, title and publication time, and its name in errors."""

    text: str
    title: str | None
    published: datetime | None
    where: str


# Every pattern runs in linear time on hostile input: a span's body cannot contain the
# character that closes it (a link text no "[" or "]", a bold span no "**"), so an opener
# without a closer is given up at the next delimiter, not at the end of the text.
_MD_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"!\[[^\[\]]*\]\([^()\n]*\)"), ""),
    (re.compile(r"\[([^\[\]]+)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])"), r"\1"),
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:\s+\S+.*$", re.M), ""),
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$", re.M), lambda m: _heading_text(m.group(1))),
    (re.compile(r"^ {0,3}> ?", re.M), ""),
    (re.compile(r"^ {0,3}(?:(?:[-*_][ \t]*){3,}|```.*|~~~.*)$", re.M), ""),  # rules and code fences
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.M), r"\1- "),
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)((?:[^_\n]|(?<=\w)_(?=\w))+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~((?:[^~\n]|~(?!~))+?)~~"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
]


def _heading_text(line: str) -> str:
    """An ATX heading's text without its optional closing ``#`` run (string operations: linear time)."""
    text = line.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare and bare[-1] in " \t":
        text = bare.rstrip(" \t")
    return text


def _drop_comments(md: str) -> str:
    """``md`` without ``<!-- … -->`` comments; an unclosed ``<!--`` stays as text (linear time)."""
    kept, pos = [], 0
    while (start := md.find("<!--", pos)) != -1 and (end := md.find("-->", start + 4)) != -1:
        kept.append(md[pos:start])
        pos = end + 3
    kept.append(md[pos:])
    return "".join(kept)


def _strip_markdown(md: str) -> str:
    md = _drop_comments(md)
    for pattern, replacement in _MD_RULES:
        md = pattern.sub(replacement, md)
    return md


def from_markdown(md: str, path: str) -> Parsed:
    """The article of a Markdown document: front matter and first heading for the metadata, syntax stripped."""
    meta: dict[str, str] = {}
    if front := re.match(r"---[ \t]*\n(.*?)\n---[ \t]*\n", md, re.S):  # YAML front matter
        md = md[front.end() :]
        meta = dict(re.findall(r"(?m)^(\w+):[ \t]*[\"']?(.*?)[\"']?[ \t]*$", front.group(1)))
    heading = re.search(r"(?m)^ {0,3}#[ \t]+(.+)$", md)
    title = meta.get("title") or (_strip_markdown(_heading_text(heading.group(1))) if heading else None)
    stamp = meta.get("published") or meta.get("date")
    return Parsed(_strip_markdown(md), title, parse_timestamp(stamp) if stamp else None, path)


def from_html(html: str, path: str) -> Parsed:
    """The article of an HTML page (trafilatura's main text, with its title on top, and date)."""
    import trafilatura  # slow to import; only needed for HTML

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            favor_precision=True,
            date_extraction_params={"extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
        )
    except (RecursionError, MemoryError, ValueError) as exc:
        raise InputError(f"{path} cannot be parsed as HTML ({type(exc).__name__}); save it as .txt") from exc
    text, title, date = (getattr(doc, key, None) or "" for key in ("text", "title", "date"))
    if not any(len(line.split()) >= 5 for line in text.split("\n")):  # nothing but menu or link labels
        raise InputError(f"{path} has no main article text that HTML extraction could find; save it as .txt")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    published = _published(date.replace("+0000", "+00:00"), path) if date else None
    return Parsed(text, title or None, published, path)


def _published(value: Any, where: str) -> datetime | None:
    """A ``published`` value (ISO string, other dateline or null) as a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            if parsed := parse_timestamp(value):
                return parsed
    raise InputError(
        f'{where} has an unreadable "published" value {str(value)[:40]!r}; use ISO 8601 '
        '("2026-01-13T00:52:00Z") or null'
    )


def from_record(obj: Any, where: str) -> Parsed:
    """The article of one JSON value (an object with its text under one of `TEXT_KEYS`)."""
    if not isinstance(obj, dict):
        raise InputError(f'{where} is not a JSON object; give each article as an object with a "text" field')
    key = next((k for k in TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if key is None:
        raise InputError(f'{where} has no article text; add a "text" (or "article", "body", "content") key')
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f'{where} has a "title" that is not a string; use a string or null')
    return Parsed(obj[key], title, _published(obj.get("published", obj.get("date")), where), where)


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"{exc.msg}, line {exc.lineno} column {exc.colno}"
        raise InputError(f"{where} is not valid JSON ({problem}); fix it or save the text as .txt") from exc
    except (RecursionError, MemoryError) as exc:
        raise InputError(f'{where} is JSON nested too deeply to read; pass flat objects with "text"') from exc
    except ValueError as exc:  # e.g. an integer over sys.get_int_max_str_digits() digits
        detail = " ".join(str(exc).split())[:80]
        raise InputError(f"{where} holds a JSON value that cannot be read ({detail}); fix it") from exc


def json_records(text: str, path: str, lines: bool) -> list[tuple[str, Any]]:
    """``(where, value)`` for every article of a JSON (``lines=False``) or JSON Lines document.

    The whole document is parsed first; each value is checked by `from_record` when it is read.
    """
    if lines:  # .jsonl: one object per line, blank lines skipped
        rows = [(f"{path} line {n}", row) for n, row in enumerate(text.split("\n"), 1) if row.strip()]
        records = [(where, _parse_json(row, where)) for where, row in rows]
    else:
        data = _parse_json(text, path)
        items = data if isinstance(data, list) else [data]
        records = [(f"{path} item {n}" if items is data else path, o) for n, o in enumerate(items, 1)]
    if not records:
        raise InputError(f'{path} holds no articles; put objects with a "text" field in it')
    return records
