"""``--group-by event`` without a grouping file: the folder grouped into events by itself, online, kept across runs.

`group_folder` decides which event every article of the folder is in and returns one `Job` per
event (named by the event's id, its articles in arrival order):

* the articles a previous run placed keep their event (`summariser.regenerate.event_state`, beside
  the manifest): the past is never re-clustered;
* new articles are placed by `summariser.events.stream.EventStream` in arrival order (publication
  time where known, else file order: `summariser.events.api.arrival`), each joining the best
  event so far or founding one. To give the stream what it knew, the articles already placed are
  fed to it first, each forced into its event (read again only on a run that has new articles or
  corrections; a run with nothing new reads no article);
* ``BRIEFINGS/grouping.yaml`` (`EDITABLE`) is the grouping as the tool last wrote it, in the format of
  a hand-written grouping file, for the analyst to correct: every article it lists is pinned to
  the event it is listed under (move a line: the article moves; a new name: a split; two lists
  made one: a merge), and every later run keeps that. A line naming an article twice, an article
  that is not in the folder, or an event id the tool never made is a one-line `InputError`
  naming the line;
* an article that cannot be read (no text, too large, not UTF-8) is an event of its own, whose
  briefing fails with the reason, and does not stop the others;
* an event that grows past the cap of one briefing (`summariser.ingest.limits.max_articles`) is
  briefed from its latest articles, with a warning naming the setting that raises the cap (a
  hand-written grouping file's group over the cap is refused instead: its author chose it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..atomic import write_atomic
from ..config import Settings
from ..errors import InputError, SummariserError
from ..files import read_text_bounded
from ..ingest.limits import MAX_ARTICLES_ENV, max_articles
from ..ingest.read import load_source
from ..schemas import Article

if TYPE_CHECKING:
    from ..events.stored import FeatureStore
from .event_state import ArticleRow, EventState, load_state, save_state
from .groups import MAX_GROUPS_BYTES, read_groups_lines
from .jobs import Job, Warn, check_names, discover, safe_name
from .paths import EDITABLE, article_path

__all__ = ["EDITABLE", "EventGrouping", "EventInfo", "editable_text", "features_folder", "group_folder", "read_pins"]

#: The ids the tool gives events (``ev-`` + 12 hex digits of the founder's hash, ``-N`` if reused).
TOOL_ID = re.compile(r"^ev-[0-9a-f]{12}(-\d+)?$")


@dataclass(frozen=True)
class EventInfo:
    """What the index says of one event: its label and its articles with their days."""

    label: str
    articles: tuple[tuple[str, str | None], ...]


@dataclass
class EventGrouping:
    """The folder's events: the jobs, what the index shows, which articles joined which event this run."""

    jobs: list[Job]
    events: dict[str, EventInfo]
    joined: dict[str, list[str]] = field(default_factory=dict)
    """Event → the articles placed in it by this run (new to the folder)."""
    pinned: int = 0
    """Articles the editable file moved from the event the tool had them in."""


def read_pins(path: Path, present: set[str], state: EventState, articles: Path) -> dict[str, str]:
    """Article → event, as ``path`` (the editable file) lists them; a bad line is an `InputError` naming it."""
    known = {row.event for row in state.articles.values()}
    pins: dict[str, str] = {}
    lines: dict[str, int] = {}
    for name, line, files in read_groups_lines(path):
        if known and TOOL_ID.match(name) and name not in known:  # no state (moved away): the file is taken whole
            raise InputError(
                f"{path} line {line}: unknown event {name[:80]!r} (not one this folder's grouping made); "
                "fix the id, or give a new event a name of your own that does not start with 'ev-'"
            )
        safe_name(name, path)
        for file, at in files:
            posix = PurePosixPath(file).as_posix()
            if posix in pins:
                raise InputError(
                    f"{path} line {at}: {file[:80]!r} is already in event {pins[posix][:80]!r} (line {lines[posix]}); "
                    "list each article once"
                )
            if posix not in present and posix not in state.articles:  # one the state knows has since gone
                raise InputError(
                    f"{path} line {at}: {file[:80]!r} is not an article in {articles}; fix the path or remove the line"
                )
            pins[posix], lines[posix] = name, at
    return pins


def _read(articles: Path, relative: str) -> Article | None:
    """The article of file ``relative``, or None if it cannot be read (its briefing will say why)."""
    try:
        found = load_source(article_path(articles, relative))
    except SummariserError:
        return None
    return found[0] if found and found[0].text.strip() else None


def _own_event(relative: str) -> str:
    return f"ev-{hashlib.sha256(relative.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _day(article: Article | None) -> str | None:
    from ..events.features import article_day  # spaCy and scikit-learn: only when articles are placed

    day = None if article is None else article_day(article)
    return None if day is None else day.isoformat()


def _place(articles: Path, state: EventState, past: list[str], fresh: list[str], target: dict[str, str],
           pins: dict[str, str], store: FeatureStore) -> dict[str, list[str]]:  # fmt: skip
    """Replay ``past`` into their ``target`` events, then place ``fresh`` in arrival order; update ``state``.

    The past's features come from ``store`` (no spaCy for an article read before) and its days from the state.
    """
    from ..events.api import arrival  # spaCy and scikit-learn (3 s to import): only on a run that places articles
    from ..events.stream import EventStream

    stream = EventStream()
    rows: dict[str, ArticleRow] = {}
    for path in past:
        article = _read(articles, path)
        if article is not None:
            stream.add(article, path, event=target[path], features=store.features(article))
        old = state.articles[path]
        rows[path] = ArticleRow(event=target[path], position=old.position, day=old.day)
    read = [(path, _read(articles, path)) for path in fresh]
    readable = arrival([(p, a) for p, a in read if a is not None], "published")
    position = max((r.position for r in rows.values()), default=-1) + 1
    joined: dict[str, list[str]] = {}
    for path, article in [*readable, *((p, a) for p, a in read if a is None)]:
        if article is None:
            event = pins.get(path) or _own_event(path)
        else:
            member = stream.add(article, path, event=pins.get(path), features=store.features(article))
            event = stream.event_of(member.position)
        rows[path] = ArticleRow(event=event, position=position, day=_day(article))
        position += 1
        if path not in pins:
            joined.setdefault(event, []).append(path)
    state.articles = rows
    labels = {e.id: e.label for e in stream.grouping().events}
    events = {r.event for r in rows.values()}
    first = {r.event: p for p, r in sorted(rows.items(), key=lambda item: -item[1].position)}
    state.labels = {e: labels.get(e) or PurePosixPath(first[e]).stem for e in events}
    return joined


def features_folder(settings: Settings) -> Path | None:
    """Where the articles' grouping features are kept: beside the response cache (None: the cache is off)."""
    if settings.cache == "off":
        return None
    responses = settings.response_cache_dir()
    return responses.with_name(responses.name + "-grouping")


def group_folder(
    articles: Path, briefings: Path, warn: Warn, *, save: bool, features: Path | None = None
) -> EventGrouping:
    """The events of the articles folder (module docstring); ``save`` stores the state and writes `EDITABLE`.

    ``features`` is the folder of the articles' stored grouping features (`summariser.events.stored`;
    None: none kept, every article the run places is read with spaCy).
    """
    found = discover(articles, warn)
    present = set(found)
    state = load_state(briefings)
    editable = briefings / EDITABLE
    own = editable_text(state) if state.articles else None
    written = _read_editable(editable)
    # the file as the tool last wrote it pins nothing the state does not say (100k lines: 4 s not parsed)
    pins = read_pins(editable, present, state, articles) if editable.exists() and written != own else {}
    past = sorted((p for p in state.articles if p in present), key=lambda p: state.articles[p].position)
    fresh = [p for p in found if p not in state.articles]
    target = {p: pins.get(p, state.articles[p].event) for p in past}
    moved = sum(1 for p in past if target[p] != state.articles[p].event)
    joined: dict[str, list[str]] = {}
    placing = bool(fresh or moved or len(past) != len(state.articles))
    if placing:
        from ..events.stored import FeatureStore

        store = FeatureStore(features)
        try:
            joined = _place(articles, state, past, fresh, target, pins, store)
        finally:
            store.close()
    grouping = _grouping(state, joined, moved, editable, warn)
    if save and placing:
        save_state(briefings, state)
        if state.articles:  # with no articles there is no grouping to write
            _write_editable(editable, editable_text(state), _read_editable(editable))
    elif save and own is not None:  # nothing placed: the state is as loaded
        _write_editable(editable, own, written)
    return grouping


def _members(state: EventState) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for path, row in sorted(state.articles.items(), key=lambda item: item[1].position):
        members.setdefault(row.event, []).append(path)
    return members


def _grouping(state: EventState, joined: dict[str, list[str]], moved: int, editable: Path, warn: Warn) -> EventGrouping:
    members, cap = _members(state), max_articles()
    jobs = sorted(
        (Job(event, _briefed(event, paths, cap, warn)) for event, paths in members.items()), key=lambda j: j.name
    )
    check_names(jobs, lambda j: f"event {j.name[:80]!r} of {editable}")
    info = {
        event: EventInfo(state.labels.get(event, ""), tuple((p, state.articles[p].day) for p in paths))
        for event, paths in members.items()
    }
    return EventGrouping(jobs, info, joined, moved)


def _briefed(event: str, paths: list[str], cap: int, warn: Warn) -> tuple[str, ...]:
    """The articles an event's briefing merges: all of them, or its latest ``cap`` (`max_articles`) when it
    has grown past it (a story is briefed as it stands now; the index still lists every article)."""
    if len(paths) <= cap:
        return tuple(paths)
    warn(
        f"event {event}: {len(paths)} articles, over the cap of {cap} for one briefing; briefed from its "
        f"latest {cap} (raise the cap with {MAX_ARTICLES_ENV}={len(paths)} to brief them all)"
    )
    return tuple(paths[-cap:])


def editable_text(state: EventState) -> str:
    """`EDITABLE` as the tool writes it: a comment on how to correct it, then each event and its articles."""
    head = [
        "# The events summariser regenerate found in the articles folder, one list per event (paths inside it).",
        "# Correct it and rerun: every article listed here stays where you put it. Move a line to move an",
        "# article; give some of an event's articles a new name of your own (not starting with 'ev-') to",
        "# split it; put two lists under one name to merge them. A hand-written --groups file wins over this one.",
    ]
    body = []
    for event, paths in _members(state).items():
        body += ["", f"# {_comment(state.labels.get(event, ''))}", f"{json.dumps(event)}:"]
        for path in paths:
            day = state.articles[path].day
            body.append(f"  - {json.dumps(path)}" + (f"  # {day}" if day else ""))
    return "\n".join([*head, *body]) + "\n"


def _comment(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:200]


def _read_editable(path: Path) -> str | None:
    """The text of `EDITABLE` (None if there is none, or it cannot be read as one)."""
    try:
        return read_text_bounded(path, what="", limit=MAX_GROUPS_BYTES, error=InputError) if path.exists() else None
    except InputError:
        return None


def _write_editable(path: Path, text: str, current: str | None) -> None:
    """Write `EDITABLE` (atomically) unless it already says ``text`` (``current``: what it says now)."""
    if current != text:
        write_atomic(path, text)
