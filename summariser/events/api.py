"""`group`: articles in, the events they report out — read, put in arrival order, placed one by one.

    from summariser import group
    grouping = group(["a.txt", "b.html", "wire.jsonl"])
    [(e.id, e.label, e.articles) for e in grouping.events]

Sources are what `summariser.ingest.read` reads (paths, article text, `Article` objects); every
record of a ``.json``/``.jsonl`` file is an article of its own, named ``FILE#ID`` when the record
has an ``"id"`` (the form ``load_source`` reads back) and ``FILE line N`` / ``FILE item N``
otherwise. Unlike a briefing's sources, a stream has no cap on its number of articles; each file
is still held to the input size limit. The arrival order is the publication time where it is
known (``order="published"``): an article without one keeps its place after the article given
before it; ``order="given"`` keeps the order given. Placing is `EventStream`'s.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from ..errors import ConfigError, InputError
from ..files import read_text_bounded
from ..ingest.formats import from_record, json_records
from ..ingest.limits import max_input_bytes
from ..ingest.read import Source, load_source, make_article
from ..schemas import Article
from .model import DEFAULT_DECISION, Decision
from .results import Grouping
from .stream import DEFAULT_WINDOW, EventStream

__all__ = ["Order", "arrival", "group", "read_stream"]

Order = Literal["published", "given"]


def _records(name: str) -> list[tuple[str, Article]] | None:
    """The articles of a JSON (Lines) file, each named (module docstring); None for any other source."""
    path = Path(name).expanduser()
    if path.suffix.lower() not in (".json", ".jsonl") or not path.is_file():
        return None
    text = read_text_bounded(path, what="", limit=max_input_bytes(), error=InputError, name=name)
    out = []
    for where, obj in json_records(text, name, path.suffix.lower() == ".jsonl"):
        parsed = from_record(obj, where)
        key = obj.get("id") if isinstance(obj, dict) else None
        shown = f"{name}#{key}" if isinstance(key, str | int) and not isinstance(key, bool) else where
        out.append((shown, make_article(parsed.text, title=parsed.title, published=parsed.published, path=name)))
    return out


def read_stream(sources: Iterable[Source] | Source) -> list[tuple[str, Article]]:
    """Every article of ``sources`` with the name it is shown by, in the order given (module docstring)."""
    if isinstance(sources, str | os.PathLike | Article):
        sources = [sources]
    out: list[tuple[str, Article]] = []
    for source in sources:
        if isinstance(source, Article):
            out.append((source.path or f"text:{source.id}", source))
            continue
        name = os.fspath(source) if isinstance(source, str | os.PathLike) else None
        records = _records(name) if isinstance(name, str) and "\n" not in name else None
        if records is not None:
            out += records
            continue
        for article in load_source(source):
            out.append((article.path or f"text:{article.id}", article))
    if not out:
        raise InputError("no articles to group; pass article files, folders of them, or article text")
    return out


def _utc(when: dt.datetime) -> dt.datetime:
    offset = when.utcoffset()
    return when.replace(tzinfo=None) - offset if offset is not None else when


def arrival(articles: list[tuple[str, Article]], order: Order) -> list[tuple[str, Article]]:
    """``articles`` in arrival order (module docstring)."""
    if order == "given":
        return articles
    if order != "published":
        raise ConfigError(f"unknown order {order!r}; use 'published' or 'given'")
    keys, last = [], dt.datetime.min
    for index, (_, article) in enumerate(articles):
        if article.published is not None:
            last = _utc(article.published)
        keys.append((last, index))
    return [articles[i] for _, i in sorted(keys)]


def group(
    sources: Iterable[Source] | Source,
    *,
    order: Order = "published",
    decision: Decision = DEFAULT_DECISION,
    window: dt.timedelta | None = DEFAULT_WINDOW,
) -> Grouping:
    """Group ``sources`` into events, online, in arrival order (module docstring).

    ``decision`` is the learned "join or found" rule (`summariser.events.model`); ``window`` how far
    apart in publication time an article and an event may be (None: no limit). The same articles
    in the same order always give the same events and ids. Raises `InputError` for a source that
    cannot be read or holds no article text.
    """
    stream = EventStream(decision, window)
    for name, article in arrival(read_stream(sources), order):
        stream.add(article, name)
    return stream.grouping()
