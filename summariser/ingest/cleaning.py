"""Clean article text: page junk, category labels and trailing disclaimers out, idempotently.

`clean_text` normalises Unicode and line breaks, removes invisible characters, drops junk
lines ("Related Articles", "Back to top button" — also when glued to the next sentence —,
cookie and newsletter banners), a lone category label above the title, and a run of
disclaimer paragraphs at the very end. Cleaning twice gives the same text.
"""

from __future__ import annotations

import re
import unicodedata

from ..text.dates import parse_timestamp
from ..text.sentences import ends_like_sentence

__all__ = ["clean_line", "clean_text", "looks_like_title"]

_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(  # control, zero-width and bidi characters, lone surrogates
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)
_JUNK_FIXED = (
    r"related(?: articles?| stories| posts| news| content| coverage| reading)?|read (?:more|next|also)"
    r"|back to top(?: button)?|advertisement|sponsored(?: content)?|share (?:this|the) (?:article|story|post)"
    r"|skip to (?:main )?content|more stories|recommended(?: for you)?"
)
_OFFER = r".{0,60}\b(?:newsletters?|alerts|updates|briefings?|our \w+|(?:the|a) \w+ edition)\b.{0,60}"
_JUNK_LINE = re.compile(
    rf"(?i)(?:{_JUNK_FIXED}|share|print|e-?mail"
    rf"|(?:sign up|subscribe)(?: now| today)?(?: (?:for|to) {_OFFER})?"
    r"|click here to .{0,100}|accept(?: all)? cookies|cookie (?:settings|policy|preferences)"
    r"|(?:we|this (?:site|website)) uses? cookies.{0,200}"
    r"|follow us on .{0,60}|(?:read more|read also|also read|see also|related)\s*:.{0,150})\s*[.:!…>»›→|-]*"
)
_GLUED_HEAD = re.compile(rf"(?i:{_JUNK_FIXED})(?<=[a-z])(?=[A-Z“\"‘'])")
_GLUED_TAIL = re.compile(rf"(?<=[.!?”\"’)])(?i:{_JUNK_FIXED})[.:!…]?$")
_LABEL = re.compile(r"[A-Z][A-Za-z&’'-]{1,24}")
_BULLET = re.compile(r"\s*(?:[-*+•·–—▪●]\s|\d{1,2}[.)]\s)")
_DISCLAIMER = re.compile(
    r"(?i)not a recommendation to (?:buy|sell)"
    r"|the author (?:holds|has) no (?:licen[cs]es|securities|positions)"
    r"|for (?:general )?informational purposes only|all rights reserved|©\s*(?:\d{4}|[A-Z])"
    r"|^\s*copyright\s+(?:©\s*)?\d{4}|information for this story was found via"
    r"|does not constitute (?:financial|investment) advice"
)


def _strip_junk(line: str, removed: list[str]) -> tuple[str | None, bool]:
    """(line without page junk or None if it was all junk, whether junk was glued to its head)."""
    glued = False
    while line.strip():
        text = line.strip()
        if _JUNK_LINE.fullmatch(text):
            removed.append(text)
            return None, glued
        if head := _GLUED_HEAD.match(text):
            removed.append(head.group())
            line, glued = text[head.end() :], True
        elif tail := _GLUED_TAIL.search(text):
            removed.append(tail.group())
            line = text[: tail.start()]
        else:
            break
    return line, glued


def clean_line(text: str) -> str:
    """One line of metadata (a title) made safe to show and store.

    NFC, no control, zero-width or bidi characters and no lone surrogates (a JSON ``"\\ud800"``
    escape decodes to one, and it cannot be written as UTF-8), whitespace collapsed to
    single spaces. Empty when nothing visible is left.
    """
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).split())


def looks_like_title(line: str, min_words: int = 1) -> bool:
    """A short headline: ≤ 20 words, no final period, not a timestamp, not a bullet."""
    return (
        min_words <= len(line.split()) <= 20
        and not line.strip().endswith((".", ":"))
        and not _BULLET.match(line)
        and parse_timestamp(line) is None
    )


def _trailing_disclaimers(lines: list[str]) -> int:
    """Index of the first line of the run of disclaimer paragraphs that ends the text."""
    units: list[tuple[int, str]] = []  # (first line index, joined text); a unit ends at a sentence end
    start = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        if start is not None and (not line.strip() or ends_like_sentence(line)):
            units.append((start, " ".join(lines[start : i + 1 if line.strip() else i])))
            start = None
    cut = len(lines)
    for first, text in reversed(units[1:]):  # the first paragraph is never a disclaimer
        if not _DISCLAIMER.search(text) or len(text.split()) > 150:
            break
        cut = first
    return cut


def clean_text(raw: str) -> tuple[str, list[str]]:
    """Normalise ``raw`` article text and strip page junk; return ``(text, removed lines)``.

    NFC, ``\\n`` newlines, no zero-width or control characters (tabs kept), no trailing
    spaces, at most one blank line in a row; junk lines are dropped and junk glued to the
    start of a sentence is cut off (the sentence becomes its own paragraph); a one-word
    category label above the title and a disclaimer run at the very end are removed. The
    title and timestamp lines stay. Idempotent: cleaning the result changes nothing.
    """
    text = _INVISIBLE.sub("", _NEWLINES.sub("\n", raw))
    text = unicodedata.normalize("NFC", text)
    removed: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        kept, glued = _strip_junk(line.rstrip(), removed)
        if kept is None:
            continue
        if glued and lines and lines[-1]:
            lines.append("")
        lines.append(kept.rstrip())
    content = [i for i, line in enumerate(lines) if line]
    label = lines[content[0]].strip() if content else ""
    if len(content) > 1 and _LABEL.fullmatch(label) and looks_like_title(lines[content[1]], 2):
        removed.insert(0, label)
        lines[content[0]] = ""
    cut = _trailing_disclaimers(lines)
    removed.extend(line.strip() for line in lines[cut:] if line.strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines[:cut])).strip("\n")
    return text, removed
