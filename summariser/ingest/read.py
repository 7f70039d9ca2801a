"""Read articles from files or text and clean them into `Article` objects.

Inputs are paths (``.txt``, ``.md``/``.markdown``, ``.html``/``.htm``, ``.json``, ``.jsonl``;
any other suffix is read as plain text), strings of article text, or ready `Article` objects.
A file is opened by `summariser.files.open_regular` (a regular file, checked on the open
descriptor) and read with a bounded ``read(limit + 1)`` (the size policy:
`summariser.ingest.limits`); it is refused when it is missing, a FIFO or a device, a
directory, binary or not UTF-8; its format is parsed by
`summariser.ingest.formats`. `make_article` cleans the text (`summariser.ingest.cleaning`:
page junk, a leading category label, a trailing disclaimer out), infers the title and the
publication time from the top lines and gives a stable content-hash id, so the same text
gets the same id whatever file it came from. Every bad input raises a one-line `InputError`
that names the input and the fix.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import open_regular
from ..schemas import Article
from ..text.dates import find_timestamp
from .cleaning import clean_line, clean_text, looks_like_title
from .formats import Parsed, from_html, from_markdown, from_record, json_records
from .limits import MAX_INPUT_ENV, check_article_count, check_text_size, max_input_bytes, too_big

__all__ = ["SUFFIXES", "Source", "load_source", "load_sources", "make_article"]

#: Suffixes read with a dedicated reader (anything else is plain text).
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")

Source = str | os.PathLike[str] | Article


def _build(text: str, title: str | None, published: datetime | None, path: str | None, where: str) -> Article:
    """`make_article` with ``where`` (file, item or line) named in its errors."""
    check_text_size(text, where)
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


def _from(parsed: Parsed, path: str) -> Article:
    return _build(parsed.text, parsed.title, parsed.published, path, parsed.where)


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


def _read(path: Path, name: str) -> str:
    """The text of a file, refusing missing, directory, too large, binary and non-UTF-8 inputs.

    The file is opened by `summariser.files.open_regular` (``O_NONBLOCK``, ``fstat`` of the
    open descriptor): a FIFO or a device — one in the folder when it was scanned, or one
    swapped in since — is refused in one line, never waited on or read whole.
    """
    limit = max_input_bytes()
    if os.path.isdir(path):  # only for the clearer message: the descriptor's check below is what holds
        raise InputError(f"{name} is a directory; pass the article files inside it, e.g. {name}/*.txt")
    handle, size = open_regular(path, what="", error=InputError, name=name)
    with handle:
        if size > limit:
            raise too_big(name, size, limit)
        try:
            data = handle.read(limit + 1)  # bounded: a file that grows is never read in full
        except OSError as exc:
            raise InputError(f"{name} cannot be read ({exc.strerror or exc}); check the file") from exc
    if len(data) > limit:
        raise InputError(
            f"{name} is over the {limit / 2**20:g} MB input limit (it grew while it was read); "
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


def _record_selector(path: Path) -> tuple[Path, str | None]:
    """``FILE.jsonl#ID`` (or ``FILE.json#ID``) that is no file itself: ``(FILE, ID)``; else ``(path, None)``."""
    head, mark, record = path.name.rpartition("#")
    if not mark or not head.lower().endswith((".json", ".jsonl")) or not record or path.exists():
        return path, None
    return path.with_name(head), record


def _selected(text: str, name: str, record: str) -> list[tuple[str, Any]]:
    """The record of a JSON (Lines) file whose ``"id"`` is ``record``; an `InputError` if none is."""
    file = name.rpartition("#")[0]
    records = json_records(text, file, file.lower().endswith(".jsonl"))
    chosen = [(where, obj) for where, obj in records if isinstance(obj, dict) and str(obj.get("id")) == record]
    if not chosen:
        raise InputError(f'{file} has no record with "id": {record!r}; check the id after "#" in {name}')
    return chosen[:1]


def load_source(source: Source) -> list[Article]:
    """Read one source into articles (a ``.jsonl`` file or a JSON list gives several).

    ``FILE.jsonl#ID`` names one record of a JSON Lines (or JSON) file, the one whose ``"id"`` is
    ID (a gold folder's ``sources.yaml`` names articles of a dataset so). An `Article` passes
    through; a `Path` is a file; a `str` is a file name when it has no
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
    path, record = _record_selector(path)
    text, suffix = _read(path, name), path.suffix.lower()
    if record is not None:
        return [_from(from_record(obj, where), name) for where, obj in _selected(text, name, record)]
    if suffix in (".md", ".markdown"):
        return [_from(from_markdown(text, name), name)]
    if suffix in (".html", ".htm"):
        return [_from(from_html(text, name), name)]
    if suffix in (".json", ".jsonl"):
        records = json_records(text, name, suffix == ".jsonl")
        check_article_count(len(records), name)
        return [_from(from_record(obj, where), name) for where, obj in records]
    return [_build(text, None, None, name, name)]


def load_sources(sources: Iterable[Source] | Source) -> list[Article]:
    """Read every source (see `load_source`) into one list of articles, in order.

    A single path, string or `Article` is accepted too (not iterated character by character).
    They are the articles of one briefing: more than `limits.max_articles` is an `InputError`,
    raised as soon as the count is over (before the rest is read).
    """
    if isinstance(sources, str | os.PathLike | Article):
        return load_source(sources)
    articles: list[Article] = []
    for source in sources:
        articles += load_source(source)
        check_article_count(len(articles), "the sources of this briefing")
    return articles
