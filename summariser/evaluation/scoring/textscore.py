"""Text scores: ROUGE (Google's rouge-score) and gold-fact coverage.

* `rouge` — ROUGE-1/2/L F1 of one text against a reference, with Porter stemming
  (``use_stemmer=True``). For a list of bullets the L score is ROUGE-Lsum: the
  summary-level LCS over sentences, one per line, as in the CNN/DailyMail literature.
* `fact_coverage` — which gold summary bullets ("facts") a prediction covers. A fact is
  one gold bullet; it is **covered** when one predicted bullet contains at least
  `FACT_RECALL` (half) of the fact's content words — stemmed, stop words left out — and the
  prediction's summary states every number the fact states. Deterministic, and it says why:
  the best predicted bullet, its word recall and the words or numbers it lacks.

Sentences are split as the published scores split them, with pysbd
(`summariser.text.sentences.scoring_sentences`, beside the splitter grounding uses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from summariser.text.normalise import numbers
from summariser.text.sentences import scoring_sentences
from summariser.text.stopwords import FACT_STOP_WORDS

__all__ = ["FACT_RECALL", "FactCheck", "content_words", "fact_coverage", "rouge"]

#: Share of a gold fact's content words one predicted bullet must contain for the fact to count as covered.
FACT_RECALL = 0.5


@lru_cache(maxsize=1)
def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from rouge_score import tokenizers

    return tokenizers.DefaultTokenizer(use_stemmer=True)


def rouge(reference: str | Sequence[str], prediction: str | Sequence[str]) -> dict[str, float]:
    """ROUGE F1 scores of ``prediction`` against ``reference``.

    Two strings give ``rouge1``, ``rouge2`` and ``rougeL``. Two lists (bullets or sentences)
    give ``rouge1``, ``rouge2`` and ``rougeLsum``, each bullet split into sentences on its own
    line. Both empty score 1 (agreement on "nothing"); one empty scores 0.
    """
    as_list = not isinstance(reference, str)
    keys = ("rouge1", "rouge2", "rougeLsum") if as_list else ("rouge1", "rouge2", "rougeL")
    ref = _lines(reference) if not isinstance(reference, str) else reference.strip()
    pred = _lines(prediction) if not isinstance(prediction, str) else prediction.strip()
    if not ref.strip() or not pred.strip():
        same = not ref.strip() and not pred.strip()
        return dict.fromkeys(keys, 1.0 if same else 0.0)
    scores = _scorer().score(ref, pred)
    return {k: round(float(scores[k].fmeasure), 4) for k in keys}


def _lines(items: str | Sequence[str]) -> str:
    texts = [items] if isinstance(items, str) else list(items)
    return "\n".join(s for text in texts for s in scoring_sentences(text))


def content_words(text: str) -> list[str]:
    """Stemmed content words of ``text`` (rouge-score's tokenizer, `FACT_STOP_WORDS` left out), in order."""
    return [w for w in _tokenizer().tokenize(text) if w not in FACT_STOP_WORDS]


@dataclass(frozen=True)
class FactCheck:
    """Whether one gold fact is covered, by which predicted bullet, and what is lacking."""

    fact: str
    covered: bool
    recall: float
    best: int | None
    """Index of the predicted bullet with the highest word recall (None if there are none)."""
    missing_words: tuple[str, ...] = ()
    missing_numbers: tuple[str, ...] = ()


def fact_coverage(facts: Sequence[str], bullets: Sequence[str]) -> list[FactCheck]:
    """Check every gold fact against the predicted bullets (see the module docstring for the rule)."""
    pred_words = [set(content_words(b)) for b in bullets]
    pred_numbers = numbers(" ".join(bullets))
    checks = []
    for fact in facts:
        words = list(dict.fromkeys(content_words(fact)))
        lacking_numbers = tuple(sorted(numbers(fact) - pred_numbers))
        if not words:
            checks.append(FactCheck(fact, not lacking_numbers, 1.0, None, (), lacking_numbers))
            continue
        recalls = [sum(w in bag for w in words) / len(words) for bag in pred_words]
        best = max(range(len(recalls)), key=recalls.__getitem__) if recalls else None
        recall = recalls[best] if best is not None else 0.0
        lacking = tuple(w for w in words if best is None or w not in pred_words[best])
        covered = recall >= FACT_RECALL and not lacking_numbers
        checks.append(FactCheck(fact, covered, round(recall, 4), best, lacking, lacking_numbers))
    return checks
