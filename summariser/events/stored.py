"""`FeatureStore`: an article's grouping features kept on disk by content, so placing the past again costs no spaCy.

A caller that keeps a grouping across runs (``regenerate --group-by event``) feeds the stream the
articles it placed before, each forced into its event, before it places the new ones; reading
each of them with spaCy again would make every run with one new article cost the whole past.
The store keeps `ArticleFeatures` as JSON (never pickled) in a diskcache folder, keyed by the
article's content hash, its publication time and `VERSION` (bump it when `features` changes what
it reads). An entry that cannot be read is a miss; a store that cannot be opened is no store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from ..schemas import Article
from .features import ArticleFeatures, article_features

__all__ = ["VERSION", "FeatureStore", "from_json", "to_json"]

#: The version of what `summariser.events.features` reads: part of every key.
VERSION = 2


def to_json(features: ArticleFeatures) -> str:
    """``features`` as JSON text."""
    return json.dumps(
        {
            "id": features.id,
            "tokens": features.tokens,
            "lead": features.lead,
            "stems": features.stems,
            "entities": features.entities,
            "names": features.names,
            "numbers": sorted(features.numbers),
            "years": sorted(features.years),
            "dates": sorted(d.isoformat() for d in features.dates),
            "when": None if features.when is None else features.when.isoformat(),
            "sketch": list(features.sketch),
        },
        ensure_ascii=False,
    )


def from_json(text: str) -> ArticleFeatures:
    """The `ArticleFeatures` of `to_json`'s text; `ValueError`, `KeyError` or `TypeError` if it is not one."""
    data: dict[str, Any] = json.loads(text)
    when = data["when"]
    return ArticleFeatures(
        id=str(data["id"]),
        tokens=Counter(data["tokens"]),
        lead=Counter(data["lead"]),
        stems=Counter(data["stems"]),
        entities={kind: Counter(counts) for kind, counts in data["entities"].items()},
        names={kind: dict(names) for kind, names in data["names"].items()},
        numbers=frozenset(str(n) for n in data["numbers"]),
        years=frozenset(int(y) for y in data["years"]),
        dates=frozenset(dt.date.fromisoformat(d) for d in data["dates"]),
        when=None if when is None else dt.datetime.fromisoformat(when),
        sketch=tuple(int(h) for h in data["sketch"]),
    )


class FeatureStore:
    """`article_features` through a disk cache (module docstring); ``directory`` None: no cache, just features."""

    def __init__(self, directory: Path | None) -> None:
        self._cache: Any = None
        if directory is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                import diskcache

                directory.mkdir(parents=True, exist_ok=True)
                self._cache = diskcache.Cache(str(directory), size_limit=2**30)
        self.hits = 0

    def features(self, article: Article) -> ArticleFeatures:
        """The features of ``article``: from the store when it holds them, else read (and stored)."""
        when = None if article.published is None else article.published.isoformat()
        key = f"v{VERSION}:{article.id}:{when}"
        if self._cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error, ValueError, KeyError, TypeError):
                raw = self._cache.get(key)
                if isinstance(raw, str):
                    found = from_json(raw)
                    self.hits += 1
                    return found
        computed = article_features(article)
        if self._cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                self._cache.set(key, to_json(computed))
        return computed

    def close(self) -> None:
        """Close the cache (if open)."""
        if self._cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                self._cache.close()
