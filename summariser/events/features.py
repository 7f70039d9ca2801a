"""What one article brings to grouping: its words, stems, named entities, numbers, years and dates.

`article_features` reads an `Article` once (spaCy's entities through the cached
`summariser.text.nlp.analyse`; stems and numbers through `summariser.text.normalise`) into
`ArticleFeatures`, the only thing the rest of the stage looks at:

* ``tokens`` — lower-cased content words (`stopwords.CONTENT_STOP_WORDS`, grounding's list, and bare
  numbers left out);
* ``stems`` — their Snowball stems (the project's one stemmer stands in for lemmas: spaCy's
  lemmatizer is not loaded by `summariser.text.nlp`);
* ``entities`` — per kind (`ENTITY_KINDS`: person, organisation, place, other) the plain keys of
  the names spaCy finds; a person is keyed by the fullest name the article gives them, so a later
  "Reid" counts for "Tara Reid", and two people who share a surname (Esther Williams, Kevin
  Williams) stay two people across articles;
* ``numbers`` — the quantities stated (a death toll, a magnitude, a score), years left out;
* ``years`` and ``dates`` — the years and the full dates the text states (`summariser.text.dates`);
* ``when`` — the publication time, when the article has one;
* ``sketch`` — a bottom-k MinHash sketch of the word 5-shingles, for near-duplicate copies
  (`summariser.events.duplicates`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import re
from collections import Counter
from dataclasses import dataclass

from ..schemas import Article
from ..text.dates import event_date, find_date_mentions
from ..text.names import same_person
from ..text.nlp import analyse
from ..text.normalise import fold_chars, numbers, plain_key, stems, words
from ..text.stopwords import CONTENT_STOP_WORDS

__all__ = [
    "ENTITY_KINDS",
    "LEAD_SENTENCES",
    "SHINGLE_WORDS",
    "SKETCH_SIZE",
    "ArticleFeatures",
    "article_day",
    "article_features",
]

#: The kinds of named entity compared apart, and the spaCy labels each gathers.
ENTITY_KINDS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "org": frozenset({"ORG"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "other": frozenset({"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}),
}
#: Sentences (after the headline) that make an article's lead.
LEAD_SENTENCES = 3
#: Words in one shingle of the near-duplicate sketch.
SHINGLE_WORDS = 5
#: Hash values kept in the near-duplicate sketch (the smallest of the shingles' hashes).
SKETCH_SIZE = 64

_YEAR = re.compile(r"(?<![\w.,])(?:19|20)\d\d(?![\w])")
_QUANTITY_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


@dataclass(frozen=True)
class ArticleFeatures:
    """One article as grouping sees it (module docstring)."""

    id: str
    tokens: Counter[str]
    lead: Counter[str]
    """The content words of the headline and the first `LEAD_SENTENCES` sentences: who, what, where."""
    stems: Counter[str]
    entities: dict[str, Counter[str]]
    """Kind (`ENTITY_KINDS`) → plain key of a name → how often the article names it."""
    names: dict[str, dict[str, str]]
    """Kind → plain key → the name as the article first writes it (for the event's key entities)."""
    numbers: frozenset[str]
    years: frozenset[int]
    dates: frozenset[dt.date]
    when: dt.datetime | None
    sketch: tuple[int, ...]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _sketch(plain_words: list[str]) -> tuple[int, ...]:
    """The `SKETCH_SIZE` smallest hashes of the text's `SHINGLE_WORDS`-word shingles (bottom-k MinHash)."""
    if len(plain_words) < SHINGLE_WORDS:
        shingles = {" ".join(plain_words)} if plain_words else set()
    else:
        shingles = {" ".join(plain_words[i : i + SHINGLE_WORDS]) for i in range(len(plain_words) - SHINGLE_WORDS + 1)}
    return tuple(sorted(heapq.nsmallest(SKETCH_SIZE, {_hash(s) for s in shingles})))


def _entity_key(text: str) -> str:
    return re.sub(r"^the ", "", plain_key(text))


def _fullest_names(people: Counter[str], shown: dict[str, str]) -> None:
    """Count each one-word mention of a person for the one full name of the article that is the same person
    (`text.names.same_person`: "Reid" after "Tara Reid"); a word that two full names end with, or none, stays."""
    full = [key for key in people if " " in key]
    for key in [k for k in people if " " not in k]:
        owners = [name for name in full if same_person(key, name)]
        if len(owners) == 1:
            people[owners[0]] += people.pop(key)
            shown.pop(key, None)


def _content(text: str) -> tuple[list[str], Counter[str]]:
    """The lower-cased words of ``text``, and the counts of its content words."""
    plain_words = [w.lower() for w in words(fold_chars(text))]
    content = [w.split("'")[0] for w in plain_words if w not in CONTENT_STOP_WORDS and not w[0].isdigit()]
    return plain_words, Counter(w for w in content if len(w) > 1 and w not in CONTENT_STOP_WORDS)


def _shown(name: str) -> str:
    """A name as listed for an event: one line, no leading bullet or "the", no trailing possessive."""
    shown = re.sub(r"^[\W_]+|^(?:the|The)\s+", "", " ".join(name.split()))
    return re.sub(r"[’']s?$", "", shown)


def article_features(article: Article) -> ArticleFeatures:
    """Read ``article`` into `ArticleFeatures` (module docstring); spaCy runs once per text (cached)."""
    text = article.text
    analysis = analyse(text)
    plain_words, tokens = _content(text)
    spans = analysis.sentences[: LEAD_SENTENCES + 1]
    lead = _content(text[: spans[-1][1]])[1] if spans else Counter()
    stem_counts: Counter[str] = Counter()
    for word, count in tokens.items():
        for stem in stems(word):
            stem_counts[stem] += count
    entities: dict[str, Counter[str]] = {kind: Counter() for kind in ENTITY_KINDS}
    names: dict[str, dict[str, str]] = {kind: {} for kind in ENTITY_KINDS}
    quantities: set[str] = set()
    for entity in analysis.entities:
        if entity.label in _QUANTITY_LABELS:
            quantities |= numbers(entity.text)
            continue
        kind = next((k for k, labels in ENTITY_KINDS.items() if entity.label in labels), None)
        key = _entity_key(entity.text) if kind else ""
        if kind and key and len(key) > 1:
            entities[kind][key] += 1
            names[kind].setdefault(key, _shown(entity.text))
    _fullest_names(entities["person"], names["person"])
    years = frozenset(int(y) for y in _YEAR.findall(text))
    quantities = {n for n in quantities if not (n.isdigit() and len(n) == 4 and int(n) in years)}
    dates = frozenset(m.date for m in find_date_mentions(text, article.published) if m.kind != "relative")
    return ArticleFeatures(
        id=article.id,
        tokens=tokens,
        lead=lead,
        stems=stem_counts,
        entities=entities,
        names=names,
        numbers=frozenset(quantities),
        years=years,
        dates=dates,
        when=article.published,
        sketch=_sketch(plain_words),
    )


def article_day(article: Article) -> dt.date | None:
    """The day an article reports: its publication date, else the first date its body states, else None."""
    if article.published is not None:
        return article.published.date()
    mention = event_date(article)
    return None if mention is None else mention.date
