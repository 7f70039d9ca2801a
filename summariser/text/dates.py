"""Dates in news text: publication timestamps, explicit dates and relative days.

* `parse_timestamp` reads one dateline such as ``2026-01-13 00:52:00`` or
  ``Published: 13 January 2026``; `find_timestamp` finds that line near the top of an article.
* `find_date_mentions` lists every date a text states, with character offsets: explicit
  dates (``January 12, 2026``, ``12 Jan``, ``2026-01-12``), relative days resolved against
  the publication time (``on Monday``, ``yesterday``, ``this morning``) and the publication
  timestamp line itself.
* `event_date` picks the date of the main event of an `Article`.

Nothing here guesses: a year-less date or a relative day is resolved only when the
publication time is known, and future or vague references ("next Monday", "last week")
are never resolved.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..schemas import Article

__all__ = [
    "HEADER_LINES",
    "DateMention",
    "event_date",
    "find_date_mentions",
    "find_timestamp",
    "parse_timestamp",
]

#: How many non-empty lines at the top of an article may hold its publication timestamp.
HEADER_LINES = 6

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WD = rf"(?:{_DAYS}|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)"
_MON = (  # an abbreviation may end in a period; a full name's period ends the sentence
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_EXPLICIT = re.compile(
    rf"(?<![\w-])(?:{_WD}\b\.?,?\s+)?"
    r"(?:(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MON})(?:,?\s+(?P<y2>\d{{4}}))?)"
    r"(?![\w-])"
)
_PREFIX = re.compile(
    r"(?i)\s*(?:(?:first\s+)?published|posted|(?:last\s+)?updated|(?:last\s+)?modified|date)\b"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*"
)
_TIME_TAIL = re.compile(
    r"[\s,|·•@\-–—]*(?:at\s+)?"
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?i:[ap]\.?m\.?)?|\d{1,2}\s*(?i:[ap]\.?m\.?))?"
    r"\s*(?:\(?[A-Z]{1,5}(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?\s*"
)
_WEEKDAY_REF = re.compile(rf"\b(?P<last>(?i:last|past)\s+)?(?P<wd>{_DAYS})(?!\w)")
#: A weekday after one of these words is in the future or recurring: never resolved.
_FUTURE_WORDS = frozenset(["next", "coming", "this", "following", "by", "until", "till", "through", "every", "each"])
_DAY_REF = re.compile(
    r"(?i)\b(?:the\s+day\s+before\s+yesterday|yesterday|(?:earlier|later)\s+today|today|tonight"
    r"|this\s+(?:morning|afternoon|evening))\b"
)


@dataclass(frozen=True)
class DateMention:
    """A date stated in a text: ``text[start:end]`` says it, ``date`` is what it means."""

    date: dt.date
    start: int
    end: int
    text: str
    kind: Literal["explicit", "relative", "published"]


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _explicit_date(m: re.Match[str], published: dt.datetime | None) -> dt.date | None:
    """The date an `_EXPLICIT` match means; None if invalid or year-less without ``published``."""
    try:
        if m["iy"]:
            return dt.date(int(m["iy"]), int(m["im"]), int(m["id"]))
        month, day = (_month(m["m1"]), int(m["d1"])) if m["m1"] else (_month(m["m2"]), int(m["d2"]))
        year = m["y1"] or m["y2"]
        if year:
            return dt.date(int(year), month, day)
    except ValueError:
        return None
    if published is None:
        return None
    anchor = published.date()
    candidates = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(y, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: (abs((d - anchor).days), d), default=None)


def _normalise_tz(value: dt.datetime) -> dt.datetime:
    """Replace a library-specific tzinfo by a plain fixed-offset `datetime.timezone`."""
    offset = value.utcoffset()
    return value if offset is None else value.replace(tzinfo=dt.timezone(offset))


def _timestamp_span(line: str) -> tuple[int, int, dt.date] | None:
    """(start, end, date) of the dateline when the whole ``line`` is a publication timestamp."""
    prefix = _PREFIX.match(line)
    start = prefix.end() if prefix else len(line) - len(line.lstrip())
    m = _EXPLICIT.match(line, start)
    if m is None or not (m["iy"] or m["y1"] or m["y2"]) or len(line) > 120:
        return None
    if _TIME_TAIL.fullmatch(line, m.end()) is None:
        return None
    day = _explicit_date(m, None)
    return None if day is None else (start, len(line.rstrip()), day)


def parse_timestamp(line: str) -> dt.datetime | None:
    """Parse a dateline such as ``2026-01-13 00:52:00`` or ``Published: Jan 13, 2026 8:00 AM ET``.

    Returns None unless the whole line is a date (with year), optionally with a time, a time
    zone and a ``Published``/``Updated`` prefix. A time zone in the line gives an aware result.
    """
    span = _timestamp_span(line)
    if span is None:
        return None
    start, end, day = span
    stamp = line[start:end]
    try:
        return _normalise_tz(dt.datetime.fromisoformat(stamp))
    except ValueError:
        pass
    import dateparser  # slow to import; only needed here

    parsed = dateparser.parse(stamp, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    if isinstance(parsed, dt.datetime) and parsed.date() == day:
        return _normalise_tz(parsed)
    return dt.datetime.combine(day, dt.time())


def _header_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the first `HEADER_LINES` non-empty lines of ``text``."""
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            found.append((m.start(), m.group()))
            if len(found) == HEADER_LINES:
                break
    return found


def find_timestamp(text: str) -> dt.datetime | None:
    """The publication time stated by a dateline among the first lines of ``text``, else None.

    A ``Published``/``Posted`` line wins over an ``Updated`` one; otherwise the first dateline.
    """
    stamps = [(line, parse_timestamp(line)) for _, line in _header_lines(text)]
    stamps = [(line, value) for line, value in stamps if value is not None]
    for line, value in stamps:
        if re.match(r"(?i)\s*(?:first\s+)?(?:published|posted)\b", line):
            return value
    return stamps[0][1] if stamps else None


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps a span of ``taken`` (sorted, disjoint spans)."""
    i = bisect.bisect_left(taken, (end,))
    return i > 0 and taken[i - 1][1] > start


def find_date_mentions(text: str, published: dt.datetime | None) -> list[DateMention]:
    """Every date ``text`` states, in text order, with offsets into ``text``.

    Timestamp lines among the first lines are reported with kind ``"published"``; other dates
    written out are ``"explicit"`` (a year-less one takes the year nearest to ``published``
    and is skipped without it); ``"relative"`` days (weekday names, yesterday, today, tonight,
    this morning ...) are resolved against ``published`` and only when it is known.
    """
    mentions: list[DateMention] = []
    for offset, line in _header_lines(text):
        span = _timestamp_span(line)
        if span is not None:
            start, end, day = offset + span[0], offset + span[1], span[2]
            mentions.append(DateMention(day, start, end, text[start:end], "published"))
    taken = [(m.start, m.end) for m in mentions]
    for m in _EXPLICIT.finditer(text):
        stated = _explicit_date(m, published)
        if stated is not None and not _overlaps(m.start(), m.end(), taken):
            mentions.append(DateMention(stated, m.start(), m.end(), m.group(), "explicit"))
            bisect.insort(taken, (m.start(), m.end()))
    if published is not None:
        anchor = published.date()
        for m in _WEEKDAY_REF.finditer(text):
            before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 30) : m.start()])
            if _overlaps(m.start(), m.end(), taken) or (
                not m["last"] and before and before.group(1).lower() in _FUTURE_WORDS
            ):
                continue
            delta = (anchor.weekday() - _WEEKDAYS.index(m["wd"])) % 7 or (7 if m["last"] else 0)
            weekday = anchor - dt.timedelta(days=delta)
            mentions.append(DateMention(weekday, m.start(), m.end(), m.group(), "relative"))
        for m in _DAY_REF.finditer(text):
            word = m.group().lower()
            back = 2 if word.startswith("the day") else 1 if word == "yesterday" else 0
            if not _overlaps(m.start(), m.end(), taken):
                mentions.append(
                    DateMention(anchor - dt.timedelta(days=back), m.start(), m.end(), m.group(), "relative")
                )
    return sorted(mentions, key=lambda mention: (mention.start, mention.end))


def event_date(article: Article) -> DateMention | None:
    """The date of the article's main event: the first dated mention in its body.

    The title line and the publication timestamp are not the body; the first explicit or
    relative mention after them wins (so the lead paragraph is preferred). None when the
    article states no usable date.
    """
    body_start = 0
    header = _header_lines(article.text)
    if article.title and header and header[0][1].strip() == article.title.strip():
        body_start = header[0][0] + len(header[0][1])
    for mention in find_date_mentions(article.text, article.published):
        if mention.kind != "published" and mention.start >= body_start:
            return mention
    return None
