"""Read articles from files or text and clean them into `Article` objects.

Inputs are paths (``.txt``, ``.md``/``.markdown``, ``.html``/``.htm``, ``.json``, ``.jsonl``;
any other suffix is read as plain text), strings of article text, or ready `Article` objects.
`clean_text` removes page junk ("Related Articles", "Back to top button", cookie banners),
a leading category label and a trailing disclaimer, and is idempotent. `make_article` infers
the title and the publication time from the top lines and gives a stable content-hash id,
so the same text gets the same id whatever file it came from. Every bad input raises a
one-line `InputError` that names the input and the fix.

Inputs over `MAX_INPUT_BYTES` (20 MB) are refused before they are read in full: a file is
read with a bounded ``read(limit + 1)``, so memory stays bounded however large it is. The
``SUMMARISER_MAX_INPUT_MB`` environment variable raises (or lowers) the limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..schemas import Article
from ..text.dates import DateMention, event_date, find_date_mentions, find_timestamp, parse_timestamp
from .cleaning import clean_line, clean_text, looks_like_title

__all__ = [  # noqa: RUF022 - grouped: constants, dates (re-exported from .dates), functions
    "MAX_INPUT_BYTES",
    "SUFFIXES",
    "TEXT_KEYS",
    "DateMention",
    "event_date",
    "find_date_mentions",
    "clean_text",
    "load_source",
    "load_sources",
    "make_article",
    "max_input_bytes",
]

#: Inputs larger than this are refused before they are read in full (see `max_input_bytes`).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Environment variable that overrides `MAX_INPUT_BYTES`, in MB (2**20 bytes).
MAX_INPUT_ENV = "SUMMARISER_MAX_INPUT_MB"
#: Suffixes read with a dedicated reader (anything else is plain text).
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
#: Keys of a JSON article object that may hold its text, in order of preference.
TEXT_KEYS = ("text", "article", "body", "content")

Source = str | os.PathLike[str] | Article

# --------------------------------------------------------------------------- articles


def max_input_bytes() -> int:
    """The input size limit in bytes: ``SUMMARISER_MAX_INPUT_MB`` if set, else `MAX_INPUT_BYTES`."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not value:
        return MAX_INPUT_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 2**20:  # also refuses nan and inf
        raise ConfigError(f"{MAX_INPUT_ENV}={value[:40]!r} is not a size in MB; use a number such as 50")
    return int(megabytes * 2**20)


def _too_big(where: str, size: int, limit: int) -> InputError:
    """The one-line error for an input of ``size`` bytes (at least) over the ``limit``."""
    shown = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} bytes"
    return InputError(
        f"{where} is over the {limit / 2**20:g} MB input limit ({shown}); pass one article at a time, "
        f"or raise the limit with {MAX_INPUT_ENV}={max(1, -(-size // 2**20))}"
    )


def _build(text: str, title: str | None, published: datetime | None, path: str | None, where: str) -> Article:
    """`make_article` with ``where`` (file, item or line) named in its errors."""
    limit = max_input_bytes()
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise _too_big(where, size, limit)
    if not text.strip():
        fix = "a file that contains the article text" if path else "the text of an article or a path to one"
        raise InputError(f"{where} is empty; pass {fix}")
    cleaned, removed = clean_text(text)
    if not cleaned:
        raise InputError(f"{where} has no article text left once page junk is removed; pass the article")
    first = next(line.strip() for line in cleaned.split("\n") if line.strip())
    title = (clean_line(title) or None) if title else (first if looks_like_title(first) else None)
    digest = hashlib.sha256(cleaned.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    published = published if published is not None else find_timestamp(cleaned)
    return Article(id=digest, title=title, published=published, text=cleaned, path=path, removed=(*removed,))


def make_article(
    text: str, *, title: str | None = None, published: datetime | None = None, path: str | None = None
) -> Article:
    """Clean ``text`` and build an `Article`; infer ``title`` and ``published`` when not given.

    The title is the first line when it is short (≤ 20 words, no final period, not a
    timestamp or bullet); ``published`` comes from a dateline among the first lines, never a
    guess. ``id`` is the first 16 hex digits of the SHA-256 of the cleaned text; ``removed``
    lists the junk lines that cleaning dropped. Raises `InputError` for empty text.
    """
    return _build(text, title, published, path, path or "the article text")


# --------------------------------------------------------------------------- readers

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


def _from_markdown(md: str, path: str) -> Article:
    meta: dict[str, str] = {}
    if front := re.match(r"---[ \t]*\n(.*?)\n---[ \t]*\n", md, re.S):  # YAML front matter
        md = md[front.end() :]
        meta = dict(re.findall(r"(?m)^(\w+):[ \t]*[\"']?(.*?)[\"']?[ \t]*$", front.group(1)))
    heading = re.search(r"(?m)^ {0,3}#[ \t]+(.+)$", md)
    title = meta.get("title") or (_strip_markdown(_heading_text(heading.group(1))) if heading else None)
    stamp = meta.get("published") or meta.get("date")
    return _build(_strip_markdown(md), title, parse_timestamp(stamp) if stamp else None, path, path)


def _from_html(html: str, path: str) -> Article:
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
    return _build(text, title or None, published, path, path)


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


def _from_record(obj: Any, where: str, path: str) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f'{where} is not a JSON object; give each article as an object with a "text" field')
    key = next((k for k in TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if key is None:
        raise InputError(f'{where} has no article text; add a "text" (or "article", "body", "content") key')
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f'{where} has a "title" that is not a string; use a string or null')
    return _build(obj[key], title, _published(obj.get("published", obj.get("date")), where), path, where)


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


def _from_json(text: str, path: str, lines: bool) -> list[Article]:
    if lines:  # .jsonl: one object per line, blank lines skipped
        rows = [(f"{path} line {n}", row) for n, row in enumerate(text.split("\n"), 1) if row.strip()]
        records = [(where, _parse_json(row, where)) for where, row in rows]
    else:
        data = _parse_json(text, path)
        items = data if isinstance(data, list) else [data]
        records = [(f"{path} item {n}" if items is data else path, o) for n, o in enumerate(items, 1)]
    if not records:
        raise InputError(f'{path} holds no articles; put objects with a "text" field in it')
    return [_from_record(obj, where, path) for where, obj in records]


def _read(path: Path, name: str) -> str:
    """The text of a file, refusing missing, directory, too large, binary and non-UTF-8 inputs."""
    limit = max_input_bytes()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name} is a directory; pass the article files inside it, e.g. {name}/*.txt")
        if info.st_size > limit:
            raise _too_big(name, info.st_size, limit)
        with path.open("rb") as handle:  # bounded: a device or a growing file is never read in full
            data = handle.read(limit + 1)
    except ValueError as exc:  # "embedded null byte"
        raise InputError(f"{name!r} is not a usable file name ({exc}); check the path") from exc
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise InputError(f"no such file: {name}; check the path") from exc
    except PermissionError as exc:
        raise InputError(f"{name} cannot be read (permission denied); check its permissions") from exc
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror or exc}); check the file") from exc
    if len(data) > limit:
        raise InputError(
            f"{name} is over the {limit / 2**20:g} MB input limit (it grew, or is a device); "
            f"pass one article at a time, or raise the limit with {MAX_INPUT_ENV}"
        )
    if not data.strip():
        raise InputError(f"{name} is empty; pass a file that contains the article text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name} is UTF-16 text; convert it to UTF-8, e.g. `iconv -f utf-16 -t utf-8`")
    controls = sum(data.count(bytes([b])) for b in (*range(9), *range(14, 32), 127))
    if b"\x00" in data or controls > len(data) * 0.05:
        raise InputError(f"{name} is a binary file, not text; pass a .txt, .md, .html or .json article")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (invalid byte at offset {exc.start}); "
            "convert it, e.g. `iconv -f latin1 -t utf-8`"
        ) from exc


def _is_path(value: str) -> bool:
    """Whether a string names a file rather than holding article text."""
    if "\n" in value or "\r" in value or len(value) >= 1024 or not value.strip():
        return False
    try:
        if Path(value).expanduser().exists():
            return True
    except (OSError, ValueError, RuntimeError):  # RuntimeError: "~name" of an unknown user
        return False
    separator = "/" in value or os.sep in value
    return value.strip().lower().endswith(SUFFIXES) or (separator and len(value.split()) <= 3)


def load_source(source: Source) -> list[Article]:
    """Read one source into articles (a ``.jsonl`` file or a JSON list gives several).

    An `Article` passes through; a `Path` is a file; a `str` is a file name when it has no
    newline, is under 1024 characters and exists or looks like a path (a known suffix, or a
    ``/`` in at most three words), and is otherwise the article text itself.
    """
    if isinstance(source, Article):
        return [source]
    if isinstance(source, str) and not _is_path(source):
        return [_build(source, None, None, None, "the article text")]
    if not isinstance(source, str | os.PathLike):
        kind = type(source).__name__
        raise InputError(f"cannot read {kind} objects as articles; pass a path, article text or an Article")
    raw_name = os.fspath(source)
    name = os.fsdecode(raw_name) if isinstance(raw_name, bytes) else raw_name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the file name, kept as lone surrogates
        shown = name.encode("utf-8", "backslashreplace").decode("utf-8")
        raise InputError(f"the file name {shown} is not valid UTF-8; rename the file") from None
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # "~name/…" of a user without a home directory
        raise InputError(f"no such file: {name}; check the path (its ~user part names no home directory)") from None
    text, suffix = _read(path, name), path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return [_from_markdown(text, name)]
    if suffix in (".html", ".htm"):
        return [_from_html(text, name)]
    if suffix in (".json", ".jsonl"):
        return _from_json(text, name, lines=suffix == ".jsonl")
    return [_build(text, None, None, name, name)]


def load_sources(sources: Iterable[Source] | Source) -> list[Article]:
    """Read every source (see `load_source`) into one list of articles, in order.

    A single path, string or `Article` is accepted too (not iterated character by character).
    """
    if isinstance(sources, str | os.PathLike | Article):
        return load_source(sources)
    return [article for source in sources for article in load_source(source)]
