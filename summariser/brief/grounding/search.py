"""Grounding: tie every claim, quote and entity of a briefing to spans of the cleaned sources.

Each item is searched in every source text, in three steps, and the step that matched is
recorded in its `Evidence`:

* **exact** — the text occurs as is;
* **normalised** — it occurs after folding case, whitespace, quote marks, dashes, diacritics
  and acronym periods ("U.S." = "US"); offsets are mapped back to the original text;
* **fuzzy** — rapidfuzz's best partial alignment scores at least a threshold (names,
  organisations), or — for summary bullets and implications, which are in the tool's own
  words — one to three consecutive source sentences contain most of the claim's content
  words (Snowball stems) and every number it states.

Offsets always point into the cleaned article text (``Article.text``, also exposed as
``SourceRef.text`` in the briefing). The text primitives come from `summariser.text`:
sentences from `summariser.text.sentences`, normalisation and stems from
`summariser.text.normalise`. `Grounder` does the searching; `summariser.brief.grounding.rules`
applies the rules that make grounding bite: quotes must be verbatim, names must occur in a
source, unsupported bullets are dropped unless the user allows them.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from ...schemas import Article, Evidence, MatchKind
from ...text import guard, nlp, sentences
from ...text.names import country_variants, strip_titles
from ...text.normalise import Normalised, normalise, numbers, stems, whole_word

__all__ = [
    "CLAIM_SUPPORT",
    "CLAIM_WINDOW",
    "NAME_FUZZY",
    "QUOTE_CLOSEST",
    "Grounder",
    "reverses",
]

#: Minimum rapidfuzz partial-alignment score (0–100) for a fuzzy name match.
NAME_FUZZY = 90.0
#: Minimum score for the "closest span" shown next to a quote that is not verbatim.
QUOTE_CLOSEST = 75.0
#: Share of a claim's content words that a source window must contain to support it.
CLAIM_SUPPORT = 0.6
#: Consecutive sentences a claim may draw on.
CLAIM_WINDOW = 3


@dataclass(frozen=True)
class _Source:
    doc_id: str
    text: str
    norm: Normalised
    sentences: tuple[tuple[int, int], ...]
    numbers: frozenset[str]
    raw: str
    """The article text as it is; ``text`` is the same with spans addressed to the model blanked."""

    @cached_property
    def stem_keys(self) -> tuple[array[int], array[int]]:
        """The stems of every sentence as 64-bit hashes, computed on first use (quote and name checks never
        need them): sentence k's are ``keys[ends[k - 1]:ends[k]]``. 8 bytes a stem where a frozenset per
        sentence cost 8 to 16 bytes a character of text; two stems share a hash with odds of 2**-64."""
        keys, ends = array("q"), array("q")
        for s, e in self.sentences:
            keys.extend(map(hash, stems(self.text[s:e])))
            ends.append(len(keys))
        return keys, ends


class Grounder:
    """Searches items in the cleaned texts of a set of articles."""

    def __init__(self, articles: Sequence[Article]) -> None:
        """Index ``articles``; text addressed to the model (`guard.spans`) is no evidence for anything."""
        self.articles = tuple(articles)
        self.sources: list[_Source] = []
        self.injected: list[str] = []  # folded, also backwards (written right to left)
        injected_words: set[str] = set()
        for a in articles:
            found = guard.spans(a.text)
            keys = [guard.skeleton_key(a.text[s:e]) for s, e in found]
            self.injected += [f for key in keys for f in (key, key[::-1])]
            injected_words.update(*(stems(a.text[s:e]) for s, e in found))
            text = guard.mask(a.text, found) if found else a.text  # same offsets, nothing to find inside
            self.sources.append(
                _Source(
                    a.id,
                    text,
                    normalise(text),
                    tuple(sentences.spans(text)),
                    frozenset(numbers(text)),
                    a.text,
                )
            )
        #: Words the sources use only in text addressed to the model: a claim using one is not supported.
        if injected_words:
            injected_words = injected_words.difference(*(stems(src.text) for src in self.sources))
        self.injected_words = frozenset(injected_words)

    def addressed_to_model(self, item: str) -> bool:
        """Whether ``item`` occurs in a span of a source addressed to the model (`guard.spans`: prompt injection)."""
        key = guard.skeleton_key(item)
        return len(key) >= 3 and any(key in span for span in self.injected)

    def _evidence(self, src: _Source, start: int, end: int, match: MatchKind) -> Evidence:
        return Evidence(doc_id=src.doc_id, start=start, end=end, quote=src.raw[start:end], match=match)

    def _find(self, src: _Source, needle: str, *, bounded: bool, cased: bool = False) -> Evidence | None:
        """Exact, then normalised occurrence of ``needle`` in one source."""
        m = whole_word(needle, joiners="").search(src.text) if bounded else None
        pos = (m.start() if m else -1) if bounded else src.text.find(needle)
        if pos >= 0:
            return self._evidence(src, pos, pos + len(needle), "exact")
        norm = normalise(needle)
        if not norm.text:
            return None
        hay, key = (src.norm.text, norm.text) if cased else (src.norm.lower, norm.lower)
        m = whole_word(key, joiners="").search(hay) if bounded else None
        pos = (m.start() if m else -1) if bounded else hay.find(key)
        if pos < 0:
            return None
        start, end = src.norm.span(pos, pos + len(key))
        return self._evidence(src, start, end, "normalised")

    def _fuzzy(self, src: _Source, needle: str, threshold: float, *, words: bool) -> Evidence | None:
        key = normalise(needle).lower
        if len(key) < 4:
            return None
        found = fuzz.partial_ratio_alignment(key, src.norm.lower, score_cutoff=threshold)
        if found is None or found.dest_end <= found.dest_start:
            return None
        lo, hi = found.dest_start, found.dest_end
        if words:  # widen to whole words, so "Bessen" never stands for "Bessent"
            hay = src.norm.lower
            while lo > 0 and hay[lo - 1].isalnum():
                lo -= 1
            while hi < len(hay) and hay[hi].isalnum():
                hi += 1
        start, end = src.norm.span(lo, hi)
        return self._evidence(src, start, end, "fuzzy")

    def text(self, needle: str, *, fuzzy: float | None = None, bounded: bool = False) -> list[Evidence]:
        """Where ``needle`` occurs: the best match in every source that has one."""
        needle = needle.strip()
        out = []
        for src in self.sources:
            ev = self._find(src, needle, bounded=bounded)
            if ev is None and fuzzy is not None:
                ev = self._fuzzy(src, needle, fuzzy, words=bounded)
            if ev is not None:
                out.append(ev)
        return out

    def name(self, name: str) -> list[Evidence]:
        """Where a person's or organisation's name occurs (titles ignored, "Koo Yun-cheol" order too)."""
        variants = [name, strip_titles(name)]
        parts = variants[-1].split()
        if len(parts) == 2:
            variants.append(f"{parts[1]} {parts[0]}")
        for variant in dict.fromkeys(v for v in variants if len(v) >= 2):
            found = self.text(variant, fuzzy=NAME_FUZZY, bounded=True)
            if found:
                return found
        return []

    def person(self, name: str) -> list[Evidence]:
        """Full-name evidence; sources that use only the surname add that mention (as fuzzy)."""
        found = self.name(name)
        if not found:
            return []
        surname = (strip_titles(name).split() or [name])[-1]  # a name that is all title: itself
        have = {e.doc_id for e in found}
        for src in self.sources:
            if src.doc_id not in have and len(surname) > 2:
                ev = self._find(src, surname, bounded=True, cased=True)
                if ev is not None:
                    found.append(ev.model_copy(update={"match": "fuzzy"}))
        return found

    def country(self, country: str) -> list[Evidence]:
        """Where a country is named, by any of its names, aliases or demonyms."""
        out: list[Evidence] = []
        for src in self.sources:
            for variant, kind in country_variants(country):
                # an acronym ("US", "UK", "EU") only as written in capitals; a short name ("Peru", "Iran") as any name
                short = len(variant) <= 4 and " " not in variant and variant.isupper()
                ev = self._find(src, variant, bounded=True, cased=short)
                if ev is not None:
                    out.append(ev if kind == "name" else ev.model_copy(update={"match": "fuzzy"}))
                    break
        return out

    def quote(self, text: str) -> tuple[list[Evidence], Evidence | None]:
        """Verbatim occurrences of a quote (exact or normalised) and, if none, the closest span."""
        core = text.strip().strip("\"'“”‘’«» ")
        for candidate in dict.fromkeys([core, core.rstrip(".,;:!?…").rstrip()]):
            found = [e for e in self.text(candidate) if e.match in ("exact", "normalised")]
            if found and len(candidate) >= 3:
                return found, None
        closest = [e for src in self.sources if (e := self._fuzzy(src, core, QUOTE_CLOSEST, words=True))]
        return [], max(closest, key=lambda e: fuzz.ratio(normalise(core).lower, normalise(e.quote).lower), default=None)

    def claim(self, text: str) -> list[Evidence]:
        """Evidence for a claim (a summary bullet or an implication): where it is copied from, or what supports it.

        A claim copied from a source has its exact span there, plus the windows of the other
        sources that state the same (so a bullet that two articles state cites both).
        """
        verbatim = [e for e in self.text(text) if len(text) >= 20]
        if verbatim:  # a sentence copied from one source; other sources that state it too are cited as well
            return verbatim + self._support(text, skip={e.doc_id for e in verbatim})
        return self._support(text, skip=set())

    def _support(self, text: str, skip: set[str]) -> list[Evidence]:
        """The best window of `CLAIM_WINDOW` sentences in each source (but ``skip``) that supports ``text``."""
        want, nums = stems(text), numbers(text)
        if not want or want & self.injected_words:
            return []
        out = []
        for src in self.sources:
            if src.doc_id in skip or not nums <= src.numbers:
                continue  # a number the source never states: unsupported, however close the words
            best: tuple[float, int, int] | None = None
            has = _wanted_in(want, *src.stem_keys)
            for i in range(len(has)):
                if not any(has[i : i + CLAIM_WINDOW]):
                    continue  # no wanted stem: scores 0 or less, never the best window that supports anything
                have = 0
                for j in range(i, min(i + CLAIM_WINDOW, len(has))):
                    have |= has[j]
                    score = have.bit_count() / len(want) - 0.02 * (j - i)  # prefer the tighter window
                    if best is None or score > best[0]:
                        best = (score, i, j)
            if best is not None and best[0] + 0.02 * (best[2] - best[1]) >= CLAIM_SUPPORT:
                start, end = src.sentences[best[1]][0], src.sentences[best[2]][1]
                if not reverses(text, nlp.relations_in(src.text, start, end)):  # parsed here: only fuzzy claims
                    out.append(self._evidence(src, start, end, "fuzzy"))
        return out


def _wanted_in(want: frozenset[str], keys: array[int], ends: array[int]) -> list[int]:
    """For every sentence (`_Source.stem_keys`), which stems of ``want`` it has, as bits (bit n: the n-th)."""
    bit = {key: 1 << n for n, key in enumerate(map(hash, want))}
    out, start = [], 0
    for end in ends:
        out.append(sum(bit[key] for key in bit.keys() & keys[start:end]))
        start = end
    return out


def reverses(claim: str, stated: Sequence[nlp.Relation]) -> bool:
    """Whether ``claim`` has someone else do what the ``stated`` relations say (`nlp.Relation`).

    Shared words cannot see who did what to whom: "The vaccine was approved by Bharat Biotech"
    shares every content word with "WHO approved a vaccine made by Bharat Biotech". The parse
    can: the claim's doer of a verb must be one of the window's doers of that verb (when the
    window names any), and never what the window says the verb was done to.
    """
    for said in nlp.analyse(claim).relations:
        if not said.agents:
            continue
        same = [r for r in stated if r.verb == said.verb]
        if any(said.agents & r.patients for r in same):
            return True
        doers = [r for r in same if r.agents]
        if doers and not any(said.agents & r.agents for r in doers):
            return True
    return False
