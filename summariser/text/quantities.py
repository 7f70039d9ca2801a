"""Quantities: the numbers a sentence states and what each counts ("killing at least 30 people" → deaths 30).

A story that moves on restates its numbers with new values: the death toll rises, an amount is
raised, a recount changes a vote. To say so (`summariser.brief.updates.changes`) each number of a
text is read with the thing it counts, by rules a reader can check, not by a model:

* a **class** when a word next to the number names a kind of count news reports revise
  (`CLASSES`: deaths, injured, missing, evacuated, arrested, magnitude), the words after the
  number first ("30 people were killed", "45 dead"), then the words before, nearest first
  ("killing at least 30", "the death toll rose to 45", "the number of injured to four");
* **votes for / against** from a tally ("by 212 votes to 198", "54 in favour and 46 against"),
  in a sentence that speaks of a vote (`VOTE_WORDS`);
* otherwise the **noun counted** right after the number ("120 homes", "$2 billion for
  reconstruction": the words of `SKIPPED` passed over; a common noun of the dictionary the
  pipeline ships, `nlp.word_classes`), or, when nothing follows and a link word ties the number
  to the words before it ("its reconstruction pledge to $3.5 billion", "a premium of 8 per cent"),
  those content words as its terms.

The unit is part of the quantity: a plain count, a percentage, or a currency (symbol or word,
with million/billion scales folded into the value). Numbers that are dates, years, times, ages
or ordinals are not quantities, nor is a bare number with nothing said of what it counts, nor a
count of a word too general to tell two quantities apart (`GENERIC`: people, days, times …): the
reader stays silent rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import nlp
from .normalise import stem
from .phrases import MONTH_WORDS
from .stopwords import CONTENT_STOP_WORDS

__all__ = ["CLASSES", "GENERIC", "SKIPPED", "VOTE_WORDS", "Quantity", "quantities"]

#: Kinds of count that news revises, each with the words that name it next to a number.
CLASSES: dict[str, frozenset[str]] = {
    "deaths": frozenset(
        "killed kill killing kills dead death deaths died die dying fatalities fatality toll lives".split()
    ),
    "injured": frozenset("injured injuring injuries injury wounded wounding hurt".split()),
    "missing": frozenset({"missing"}),
    "evacuated": frozenset("evacuated evacuating evacuation evacuees displaced homeless".split()),
    "arrested": frozenset("arrested arrests arresting detained".split()),
    "magnitude": frozenset({"magnitude"}),
}
_CLASS_OF = {word: kind for kind, words in CLASSES.items() for word in words}
#: Words that make a sentence's "N to M" a vote count.
VOTE_WORDS = frozenset("vote votes voted voting ballot ballots tally".split())
#: Counted words too general to tell two quantities apart ("30 people", "three days"): no quantity.
GENERIC = frozenset(
    """people person persons others times time year years month months week weeks day days hour hours minute
    minutes second seconds percent cent per points point ago later earlier man men woman women child children""".split()
)
#: Words passed over between a number and the noun it counts ("$2 billion for reconstruction").
SKIPPED = frozenset("more additional other new extra further of in for to the a an".split())
#: Words that end the words read on either side of a number: a clause boundary, not the quantity.
_STOPS = frozenset("and or but while as after before when which who that with than since".split())
_WORD_NUMBERS = {
    w: float(i)
    for i, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
        seventeen eighteen nineteen twenty""".split()
    )
} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0, "eighty": 80.0, "ninety": 90.0}
_SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_CURRENCY_WORDS = {"dollars": "$", "dollar": "$", "euros": "€", "euro": "€", "pounds": "£", "yen": "¥", "usd": "$",
                   "eur": "€", "gbp": "£"}  # fmt: skip
_TOKEN = re.compile(
    r"(?:US\$|[$€£¥])?\d(?:[\d,]*\d)?(?:\.\d+)?%?|[^\W\d_]+(?:['’-][^\W\d_]+)*|[,;:()\"“”?!]|[.](?=\s|$)"
)
_VOTE_PAIR = re.compile(r"\b(\d[\d,]*)\s*(?:votes?\s+)?(?:to|-|–|—)\s*(\d[\d,]*)\b")
_VOTE_SIDE = re.compile(r"\b(\d[\d,]*)\s+(?:votes?\s+)?(in favou?r|for|against)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One number of a text and what it counts: ``[start, end)`` covers the number and the words that say so."""

    value: float
    written: str
    """The number as the text writes it, with its currency, scale or percent sign ("$3.5 billion", "45")."""
    unit: str
    """"count", "percent", or a currency symbol ("$", "€", "£", "¥")."""
    kind: str | None
    """The class (`CLASSES`, "votes for", "votes against"), or None: then ``terms`` say what is counted."""
    terms: frozenset[str]
    """Stems of the counted noun, or of the words before the number (empty for a class)."""
    label: str
    """What is counted, as the text names it ("deaths", "homes", "reconstruction pledge")."""
    start: int
    end: int

    def same_quantity(self, other: Quantity) -> bool:
        """Whether ``other`` counts the same thing in the same unit (one class, or a shared term)."""
        if self.unit != other.unit:
            return False
        if self.kind is not None or other.kind is not None:
            return self.kind == other.kind
        return bool(self.terms & other.terms)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def _number(token: _Token, text: str) -> tuple[float, str] | None:
    """The value of a number token and its unit (before any word after it), or None for no number."""
    raw = token.text
    if raw.lower() in _WORD_NUMBERS:
        return _WORD_NUMBERS[raw.lower()], "count"
    if not any(c.isdigit() for c in raw):
        return None
    unit = "count"
    for prefix, symbol in (("US$", "$"), ("$", "$"), ("€", "€"), ("£", "£"), ("¥", "¥")):
        if raw.startswith(prefix):
            unit, raw = symbol, raw[len(prefix) :]
            break
    if raw.endswith("%"):
        unit, raw = "percent", raw[:-1]
    try:
        return float(raw.replace(",", "")), unit
    except ValueError:
        return None


def _not_a_quantity(tokens: list[_Token], i: int, text: str) -> bool:
    """A date, year, time, age, ordinal or a number in a compound ("12 March", "2026", "07:15", "45-year-old",
    "3rd", "15-time")."""
    token = tokens[i]
    after = text[token.end : token.end + 12].lower()
    if after[:1].isalpha() or after.startswith((":", "-", " years old", " year old")):
        return True
    neighbours = {tokens[j].lower for j in (i - 1, i + 1) if 0 <= j < len(tokens)}
    if neighbours & MONTH_WORDS or (i > 0 and tokens[i - 1].lower in ("aged", "age", "no", "number")):
        return True
    if i > 1 and tokens[i - 1].lower == "of" and tokens[i - 2].lower == "age":
        return True
    plain = token.text.isdigit() and len(token.text) == 4
    return plain and 1800 <= int(token.text) <= 2100


def _side(tokens: list[_Token], indexes: range) -> list[_Token]:
    """The word tokens at ``indexes`` up to the first clause boundary, number or stop word."""
    out = []
    for j in indexes:
        t = tokens[j]
        if not t.text[:1].isalpha() or t.lower in _STOPS or t.lower in _WORD_NUMBERS:
            break
        out.append(t)
    return out


def quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """The quantities stated in ``text[start:end]`` (one sentence, or a few), in text order (module docstring)."""
    end = len(text) if end is None else end
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]
    found, taken = _votes(text, start, end, tokens)
    for i, token in enumerate(tokens):
        number = _number(token, text)
        if number is None or token.start in taken or _not_a_quantity(tokens, i, text):
            continue
        found.append(_read(tokens, i, text, *number))
    return sorted((q for q in found if q is not None), key=lambda q: q.start)


def _votes(text: str, start: int, end: int, tokens: list[_Token]) -> tuple[list[Quantity | None], set[int]]:
    """The votes for and against of a sentence that speaks of a vote; the offsets of the numbers they use."""
    if not any(t.lower in VOTE_WORDS for t in tokens):
        return [], set()
    found: list[Quantity | None] = []
    taken: set[int] = set()
    for m in _VOTE_PAIR.finditer(text, start, end):
        for group, kind in ((1, "votes for"), (2, "votes against")):
            value = float(m.group(group).replace(",", ""))
            found.append(Quantity(value, m.group(group), "count", kind, frozenset(), kind, m.start(), m.end()))
            taken.add(m.start(group))
    for m in _VOTE_SIDE.finditer(text, start, end):
        if m.start(1) not in taken:
            kind = "votes against" if m.group(2).lower() == "against" else "votes for"
            value = float(m.group(1).replace(",", ""))
            found.append(Quantity(value, m.group(1), "count", kind, frozenset(), kind, m.start(), m.end()))
            taken.add(m.start(1))
    return found, taken


def _read(tokens: list[_Token], i: int, text: str, value: float, unit: str) -> Quantity | None:
    """The quantity of the number at ``tokens[i]``: its scale and unit words, then what it counts."""
    token, k = tokens[i], i + 1
    last = token.end
    if k < len(tokens) and tokens[k].lower in _SCALES:
        value, last, k = value * _SCALES[tokens[k].lower], tokens[k].end, k + 1
    if k < len(tokens) and tokens[k].lower in _CURRENCY_WORDS and unit == "count":
        unit, last, k = _CURRENCY_WORDS[tokens[k].lower], tokens[k].end, k + 1
    elif k + 1 < len(tokens) and tokens[k].lower == "per" and tokens[k + 1].lower == "cent":
        unit, last, k = "percent", tokens[k + 1].end, k + 2
    elif k < len(tokens) and tokens[k].lower == "percent":
        unit, last, k = "percent", tokens[k].end, k + 1
    written = text[token.start : last]
    after = _side(tokens, range(k, min(k + 3, len(tokens))))
    before = _side(tokens, range(i - 1, max(i - 5, -1), -1))
    for word in [*after, *before, *_subject(tokens, before)]:  # after, then before (nearest first), then the subject
        if (kind := _CLASS_OF.get(word.lower)) is not None:
            lo, hi = min(word.start, token.start), max(word.end, last)
            return Quantity(value, written, unit, kind, frozenset(), kind, lo, hi)
    word_number = not any(c.isdigit() for c in token.text)
    run = _noun_run(after)
    if run and (not word_number or run[0] is after[0]):
        head = run[-1]
        if head.lower not in GENERIC and _counted_noun(head):
            label = " ".join(t.text for t in run)
            return Quantity(value, written, unit, None, frozenset({stem(head.lower)}), label, token.start, head.end)
        if unit == "count":
            return None  # "30 people", "three days": too general to be one quantity
    elif word_number or (after and after[0].lower not in CONTENT_STOP_WORDS):
        return None
    if not before or before[0].lower not in _LINKS:
        return None  # "Ross County beat them 2": only "… rose to N", "… of N", "… at N" say what N is
    named = [t for t in reversed(before) if t.lower not in CONTENT_STOP_WORDS | GENERIC | _CHANGE_VERBS]
    named = [t for t in named if nlp.word_classes(t.lower) & {"noun", "plural"}]
    if word_number or not named:
        return None
    terms = frozenset(stem(t.lower) for t in named)
    label = " ".join(t.text for t in named)
    return Quantity(value, written, unit, None, terms, label, named[0].start, last)


def _counted_noun(word: _Token) -> bool:
    """Whether ``word`` can be what a number counts: a common noun (or its plural) in the dictionary the
    pipeline ships (`nlp.word_classes`), written in lower case ("Zero Night", "28 made", "two years ago": no)."""
    return word.text[:1].islower() and bool(nlp.word_classes(word.lower) & {"noun", "plural"})


def _subject(tokens: list[_Token], before: list[_Token]) -> list[_Token]:
    """When a verb that moves a number comes just before it ("… rose to 45"), the words from the start of its
    clause to the verb, first word first: the head of the subject comes first ("The death toll from Sunday's
    magnitude 6.4 quake rose to 45" counts deaths, not the magnitude named in between)."""
    verb = next((t for t in before if t.lower in _CHANGE_VERBS), None)
    if verb is None:
        return []
    at = tokens.index(verb)
    first = at
    while first > 0 and tokens[first - 1].text not in ',;:()"“”?!.' and at - first < 12:
        first -= 1
    return [t for t in tokens[first:at] if t.text[:1].isalpha()]


def _noun_run(after: list[_Token]) -> list[_Token]:
    """The words naming what a number counts ("bulk carriers"): after the `SKIPPED` words, the lower-case nouns
    and adjectives that follow (`nlp.word_classes`), ending on a noun; empty when none follows."""
    words = list(after)
    while words and words[0].lower in SKIPPED:
        words.pop(0)
    run = []
    for t in words:
        if not t.text[:1].islower() or t.lower in CONTENT_STOP_WORDS or not nlp.word_classes(t.lower) & _NAMING:
            break
        run.append(t)
        if t.lower in GENERIC:
            break  # "two years Global appeal": the years are what is counted
    while run and not _counted_noun(run[-1]):
        run.pop()
    return run


#: The word classes of the words that name what a number counts.
_NAMING = frozenset({"noun", "plural", "adj"})
#: The words that tie a number to the words before it ("pledge to $3.5 billion", "a premium of 8 per cent").
_LINKS = frozenset({"to", "at", "of"})
#: Verbs that move a number ("rose to", "was raised to"): they say nothing of what is counted.
_CHANGE_VERBS = frozenset(
    """rose rise rises risen rising raised raise increased increase grew grow climbed climb jumped jump fell fall
    falling dropped drop declined decline reached reach stood stands stand was is were are revised revise
    put puts cut cuts totalled totaled total""".split()
)
