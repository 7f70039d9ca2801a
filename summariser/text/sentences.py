"""Sentences: the one definition of where a sentence ends, and every splitter built on it.

**A sentence ends** at a terminal mark (`MARKS`: ``. ! ? …``) and any closing quote marks
or brackets after it (`CLOSERS`: ``" ' ” ’ ) ]``) where white space follows, or at a line
break (`END`). Abbreviations are not recognised: "U.S. officials" is cut after "U.S.",
which costs grounding little (a claim may draw on up to three consecutive sentences) and
keeps the cut predictable. What each caller takes from that one definition:

* `ends` — the offset just after every sentence end (the mark with its closers, or the line
  break). `summariser.text.guard` widens a cue back to the start of its sentence with it.
* `spans` / `split` — the sentences as ``[start, stop)`` offsets / as stripped strings, for
  grounding (a claim is supported by consecutive sentences, a role must be stated in the
  sentence naming the person) and for the lead bullets drafting takes from an opening.
  A span stops at its terminal mark: the closers after it are left between sentences
  (the text's last sentence keeps them). Grounding has always cut so and its offsets are
  written into briefings: keeping the closers (``'gold digger.'`` for ``'gold digger.``)
  changes one of the 13 reference briefings, so it waits for an issue that may change output.
* `pieces` — the text cut after every sentence end, closers kept and nothing dropped:
  `summariser.brief.merge.fit_words` rebuilds a shortened text from the first pieces.
* `last_end` — the last sentence end before a length: where `plan_parts` cuts a paragraph
  too long for the context window.
* `sentence_around` — the sentence holding a span, to find who speaks a quotation
  (`summariser.brief.mentions`). This is the one place with its own notion
  (`CAPITALISED_END`): a sentence end counts only when a capital letter or an opening quote
  follows, so that "5 p.m. on Tuesday" or "said the U.S. ambassador" does not end the
  sentence early, and a line break without a mark ends nothing. (Letting line breaks end
  sentences here changes the speaker of 6 of the 238 quotes found in the texts measured
  below, all in hostile fixtures; left for an issue that may change output.)
* `ends_like_sentence` — whether a *line* ends as a sentence does (its last character is a
  mark or a closer, so "(Reuters)" does too): `summariser.ingest.cleaning` groups lines into
  paragraphs with it.
* `scoring_sentences` — a second convention, for scoring only: pysbd (rule-based, the Golden
  Rules set, which knows abbreviations), as the published Lead-3 and ROUGE-Lsum numbers are
  computed (`summariser.evaluation`).

**Why pysbd is not the splitter for grounding**, measured on the seeds, the 245 FRANK dev
articles and the test fixtures (280 texts, 855k characters): it takes 7.1 s where `spans`
takes 0.02 s (108 ms against 0.2 ms on the longest article, 6,163 characters), which would
dominate grounding; its sentences differ in 222 of the 280 texts (it keeps "U.S." inside a
sentence, but glues caption lines without a final mark into "sentences" of over a thousand
characters); and with it 6 of the 13 reference briefings change (claim evidence moves, an
unsupported bullet becomes supported by such a glued span).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import Any

__all__ = [
    "CAPITALISED_END",
    "CLOSERS",
    "END",
    "MARKS",
    "ends",
    "ends_like_sentence",
    "last_end",
    "pieces",
    "scoring_sentences",
    "sentence_around",
    "spans",
    "split",
]

#: Marks that end a sentence.
MARKS = ".!?…"
#: Closing quote marks and brackets that belong to the sentence they follow.
CLOSERS = "\"'”’)]"
_MARK_AND_CLOSERS = rf"(?P<mark>[{re.escape(MARKS)}])[{re.escape(CLOSERS)}]*"
#: Where a sentence ends: a mark and its closers before white space, or a line break.
END = re.compile(rf"{_MARK_AND_CLOSERS}(?=\s)|\n")
#: A sentence end that a capital letter or an opening quote follows (see `sentence_around`).
CAPITALISED_END = re.compile(rf"{_MARK_AND_CLOSERS}\s+(?=[A-Z“\"])")


def ends(text: str) -> list[int]:
    """The offset just after every sentence end in ``text`` (after the closers, or after the line break)."""
    return [m.end() for m in END.finditer(text)]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def spans(text: str) -> list[tuple[int, int]]:
    """Offsets ``[start, stop)`` of the sentences of ``text``, in order.

    A sentence starts at its first non-space character (the first one at 0, even after white
    space, as grounding has always counted) and stops at its terminal mark, or at the line
    break that ends it; the last one stops at the end of the text, trailing white space left
    out. Blank stretches are no sentences.
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in END.finditer(text):
        stop = m.end("mark") if m.group("mark") else m.start()
        if start < stop and text[start:stop].strip():
            out.append((start, stop))
        start = max(start, _skip_space(text, m.end()))
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


def split(text: str) -> list[str]:
    """The sentences of ``text`` (`spans`), stripped."""
    return [text[start:stop].strip() for start, stop in spans(text)]


def pieces(text: str) -> list[str]:
    """``text`` cut after every sentence end, each piece stripped, blank ones left out.

    Unlike `split`, nothing but white space is lost: a piece keeps its closers.
    """
    cuts = [0, *ends(text), len(text)]
    return [piece for a, b in pairwise(cuts) if (piece := text[a:b].strip())]


def last_end(text: str, limit: int) -> int | None:
    """The offset after the last sentence end followed by white space inside ``text[:limit]``, or None."""
    found = None
    for m in END.finditer(text, 0, limit):
        if m.group("mark"):
            found = m.end()
    return found


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The ``[start, stop)`` of the sentence from the one holding ``start`` to the one holding ``end``.

    It starts after the last `CAPITALISED_END` ending at or before ``start`` (else at 0) and
    stops after the mark of the first one at or after ``end`` (else at the end of the text).
    """
    begin = max((m.end() for m in CAPITALISED_END.finditer(text, 0, start + 1)), default=0)
    following = CAPITALISED_END.search(text, end)
    return begin, following.start() + 1 if following else len(text)


def ends_like_sentence(line: str) -> bool:
    """Whether ``line`` ends as a sentence does: its last character is a mark or a closer ("(Reuters)" too)."""
    return line[-1:] != "" and line[-1] in MARKS + CLOSERS


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd  # slow to import; only scoring needs it

    return pysbd.Segmenter(language="en", clean=False)


def scoring_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as scoring counts them (pysbd), stripped, empty ones left out.

    For Lead-3 and ROUGE-Lsum only: pysbd keeps abbreviations ("U.S.", "Mr.") inside their
    sentence, as the published CNN/DailyMail numbers do (on the FRANK subset Lead-3 scores
    41.0/18.8/36.8 against the published 41.3/18.7/37.5).
    """
    return [s.strip() for s in _segmenter().segment(text) if s.strip()]
