"""Text primitives: what the pipeline knows about plain text, with no model and no I/O.

Every rule about sentences, normalised forms, names, dates and prompt injection lives in one
module here; ``ingest``, ``brief``, ``output`` and ``evaluation`` import them and keep no
copies:

* `sentences` — the one definition of a sentence end, and every splitter built on it
  (grounding's spans, the guard's sentence ends, quote attribution, word-limit cuts, the
  pysbd convention scoring uses);
* `normalise` — character folding, offset-keeping normalisation, words, the stemmer and stems,
  numbers, the possessive, the whole-word matcher, and `normalise.plain_key`, the plain
  comparison key of a name or label;
* `stopwords` — the words each word-by-word comparison leaves out, one named list per comparison;
* `consequence` — what a sentence says will follow: the words of consequences and of
  forward-looking sentences, one vocabulary;
* `names` — countries, blocs and their variants, titles, organisations, same person (the
  adjectives of nationality in `demonyms`);
* `phrases` — the capitalised phrases of a text that may name something;
* `dates` — dates in text, publication timestamps and the event date of an article;
* `guard` — spans addressed to the model (prompt injection): found, masked, delimited.

The submodules are imported by name (``from summariser.text import sentences``).
"""

from __future__ import annotations

__all__: list[str] = []
