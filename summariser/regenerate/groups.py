"""The grouping file of ``--group-by event``: group name → article files, read with bounded memory.

`read_groups` accepts exactly one shape — a mapping of string names to non-empty lists of
string file names (JSON, or the YAML that means the same) — and refuses, with a one-line
`InputError`, everything else before it can cost memory:

* a file over `MAX_GROUPS_BYTES`, or one that is not a regular file (``/dev/zero``, a FIFO),
  is refused before it is read in full;
* the YAML is read as a stream of parser events, never composed into a document: an alias or
  anchor (``*a``, ``&a``, the "billion laughs"), nesting deeper than the one shape, a second
  document or a tag other than ``!!str`` is refused at the event that shows it, so memory
  stays proportional to the file, whatever its structure;
* a name or file item that YAML reads as something other than a string (``2024``, ``null``,
  ``true``, a date) is refused with "quote it", never stringified.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..errors import ConfigError, InputError
from ..files import read_text_bounded
from .paths import is_outside_link

__all__ = ["GROUPS_FILES", "MAX_GROUPS_BYTES", "Group", "find_groups_file", "read_groups", "read_groups_lines"]

#: The largest grouping file read (a list of 100,000 article files is about 4 MB).
MAX_GROUPS_BYTES = 16 * 2**20

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq"))
_SHAPE = "must map each group name to a non-empty list of article files"

Group = tuple[str, int, list[tuple[str, int]]]
"""A group as the file writes it: its name, the line of the name, and each article file with its line (from 1)."""


def _read_bounded(path: Path) -> str:
    """The file's text: a regular file of at most `MAX_GROUPS_BYTES`, UTF-8."""
    return read_text_bounded(
        path, what="the grouping file", limit=MAX_GROUPS_BYTES, error=InputError,
        too_big="split the run into several folders",
    )  # fmt: skip


def _string(event: yaml.ScalarEvent, resolver: yaml.resolver.BaseResolver, path: Path, what: str) -> str:
    """A scalar event's value if YAML reads it as a string; else an `InputError` saying to quote it."""
    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag != _STR:
        shown = event.value[:60]
        raise InputError(f'{what} {shown!r} in {path} is not a string (YAML reads it as {tag}); quote it: "{shown}"')
    return event.value


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 0


def _events(text: str, path: Path) -> list[Group]:
    """The groups, in file order, with their lines, from the parser's events (no document is ever built)."""
    resolver = yaml.resolver.Resolver()
    groups: list[Group] = []
    names: dict[str, int] = {}
    state = "stream"  # stream → document → mapping → (key ⇄ list) → end
    current: list[tuple[str, int]] = []
    for event in yaml.parse(text, Loader=_Loader):
        if getattr(event, "anchor", None) is not None or isinstance(event, yaml.AliasEvent):
            raise InputError(f"{path} uses a YAML anchor or alias (& or *); write every list out in full")
        if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent):
            continue
        if isinstance(event, yaml.CollectionStartEvent) and event.tag not in (None, _MAP, _SEQ):
            raise InputError(f"{path} {_SHAPE} (no YAML tags such as {event.tag[:40]})")
        if isinstance(event, yaml.DocumentStartEvent) and state == "stream":
            state = "document"
        elif isinstance(event, yaml.MappingStartEvent) and state == "document":
            state = "key"
        elif isinstance(event, yaml.ScalarEvent) and state == "key":
            name = _string(event, resolver, path, "the group name")
            if name in names:
                raise InputError(
                    f"{path} line {_line(event)}: group {name[:60]!r} appears twice (first on line {names[name]}); "
                    "merge the two lists"
                )
            names[name] = _line(event)
            groups.append((name, _line(event), current := []))
            state = "value"
        elif isinstance(event, yaml.SequenceStartEvent) and state == "value":
            state = "item"
        elif isinstance(event, yaml.ScalarEvent) and state == "item":
            item = _string(event, resolver, path, f"an article file of group {groups[-1][0][:60]!r}:")
            current.append((item, _line(event)))
        elif isinstance(event, yaml.SequenceEndEvent) and state == "item" and current:
            state = "key"
        elif isinstance(event, yaml.MappingEndEvent) and state == "key":
            state = "mapped"
        elif isinstance(event, yaml.DocumentEndEvent) and state == "mapped":
            state = "done"
        elif isinstance(event, yaml.DocumentStartEvent) and state == "done":
            raise InputError(f"{path} holds more than one YAML document; keep one mapping of groups")
        else:
            raise InputError(f"{path} {_SHAPE}")
    if state != "done":
        raise InputError(f"{path} {_SHAPE}")
    return groups


def read_groups(path: Path) -> list[tuple[str, list[str]]]:
    """The groups of the grouping file ``path``: ``(name, files)`` in file order, each a string.

    Raises a one-line `InputError` for an unreadable, oversized or non-regular file, invalid
    YAML, anchors or aliases, any other shape, and names or items that are not strings.
    """
    return [(name, [item for item, _ in files]) for name, _, files in read_groups_lines(path)]


def read_groups_lines(path: Path) -> list[Group]:
    """`read_groups` with the line of every name and article file, for messages that name the line."""
    text = _read_bounded(path)
    try:
        return _events(text, path)
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        detail = " ".join(str(err).split())[:160] or type(err).__name__
        raise InputError(f"cannot read the grouping file {path}: {detail}; fix or pass another --groups") from None


#: Grouping files looked for in the articles folder when ``group_by="event"`` names none.
GROUPS_FILES = ("groups.yaml", "groups.yml", "groups.json")


def find_groups_file(articles: Path) -> Path | None:
    """The grouping file in ``articles`` (first of `GROUPS_FILES`); None if there is none (the folder is then
    grouped by itself: `summariser.regenerate.auto_events`).

    A candidate that is a link to outside the articles folder is refused (`ConfigError`) like an article would be.
    """
    for candidate in GROUPS_FILES:
        if (articles / candidate).exists():
            if is_outside_link(articles / candidate, os.path.realpath(articles)):
                raise ConfigError(
                    f"{articles / candidate} is a link to a file outside {articles}; "
                    "pass it with --groups if you mean it"
                )
            return articles / candidate
    return None
