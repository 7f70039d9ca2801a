"""Versions: which version a briefing is, and the articles a new version is made with.

A briefing's version is not stored apart: a first version has ``updates: null`` (version 1),
and every later one says which version it is measured against (``updates.since.version``), so
it is that plus one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import InputError
from ...schemas import Article, Briefing, Since, SourceRef

__all__ = ["article_of", "earlier_articles", "since_of", "version_of"]


def version_of(briefing: Briefing) -> int:
    """The version number of ``briefing``: 1 without an update, else one past the version it updates."""
    return 1 if briefing.updates is None else briefing.updates.since.version + 1


def since_of(previous: Briefing) -> Since:
    """What an update says of the version it is measured against."""
    return Since(
        version=version_of(previous),
        made=previous.meta.made if previous.meta is not None else None,
        headline=previous.headline,
        sources=[s.doc_id for s in previous.sources],
    )


def article_of(source: SourceRef) -> Article | None:
    """The article a briefing's source was made from, read back from its ``text`` (None: the briefing does not
    carry it). The same id, text, title and publication time: the same requests, answered by the cache."""
    if source.text is None:
        return None
    return Article(id=source.doc_id, title=source.title, published=source.published, text=source.text, path=source.path)


def earlier_articles(
    previous: Briefing, given: Sequence[Article], *, name: str = "the earlier briefing"
) -> list[Article]:
    """The articles of a new version: ``previous``'s (in its order, read from its ``sources[].text``), then the
    ``given`` ones it does not have. One given again (the same text) stands for its earlier copy.

    An earlier source without its text that is not given again is an `InputError` naming ``name``.
    """
    by_id = {a.id: a for a in given}
    out: list[Article] = []
    for s in previous.sources:
        if s.doc_id in by_id:
            out.append(by_id.pop(s.doc_id))
        elif (article := article_of(s)) is not None:
            out.append(article)
        else:
            raise InputError(
                f"{name} does not carry the text of its source {(s.path or s.title or s.doc_id)[:80]!r}; "
                "pass that article too, or a briefing written by `summariser brief`"
            )
    for article in given:
        if all(a.id != article.id for a in out):
            out.append(article)
    return out
