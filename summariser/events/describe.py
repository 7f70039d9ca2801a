"""How an event is described: its label, its key people, organisations and places, the reason for each member.

* `label` — the headline of the article closest to the event's centroid (earliest on a tie), or
  its first sentence when it has no headline, cut to `LABEL_WORDS` words;
* `key_names` — per kind, the names the most of the event's articles state (copies counted once),
  each written in its longest form seen ("Tara Reid" rather than "Reid"), at most `KEY_NAMES`;
  in an event of several articles, a name only one of them states is left out;
* `reason` — a placement (`summariser.events.assign.Placement`) as one line: founded, joined with
  the probability and the features that weighed most, or copied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..schemas import Article
from .assign import Placement
from .features import ArticleFeatures
from .model import Decision

__all__ = ["KEY_NAMES", "LABEL_WORDS", "key_names", "label", "reason"]

#: Most words of an event's label.
LABEL_WORDS = 14
#: Most names of each kind listed for an event.
KEY_NAMES = 5

_SHOWN = {
    "tokens": "words",
    "tokens_max": "words (latest)",
    "tokens_mean": "words (recent)",
    "lead": "lead",
    "lead_max": "lead (latest)",
    "person": "people",
    "org": "organisations",
    "place": "places",
    "numbers": "numbers",
    "years": "years",
}


def label(article: Article) -> str:
    """The label an event takes from ``article``: its headline, else its first line, cut to `LABEL_WORDS` words."""
    first = next((line for line in article.text.splitlines() if line.strip()), "")
    words = (article.title or first).split()
    return " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")


def key_names(features: Sequence[ArticleFeatures], kind: str) -> list[str]:
    """The event's key names of ``kind`` (module docstring), most stated first."""
    counts: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for f in features:
        for key, name in f.names[kind].items():
            counts[key] += 1
            if len(name) > len(forms.get(key, "")):
                forms[key] = name
    least = 2 if len(features) > 1 else 1
    ranked = sorted((key for key, n in counts.items() if n >= least), key=lambda key: (-counts[key], key))
    return [forms[key] for key in ranked[:KEY_NAMES]]


def reason(placement: Placement, decision: Decision, articles: Sequence[str], events: Sequence[str]) -> str:
    """Why the article of ``placement`` is where it is; ``articles`` and ``events`` name the stream's
    articles and events by position and number."""
    if placement.copy_of is not None:
        similarity = placement.similarity or 0.0
        what = "exact copy" if similarity == 1.0 else f"near copy (shingle Jaccard {similarity:.2f})"
        return f"{what} of {articles[placement.copy_of]}; counted once"
    if placement.chosen is not None:
        c = placement.chosen
        weighed = sorted(
            (name for name in _SHOWN if c.features.get(name)),
            key=lambda name: -abs(decision.weights.get(name, 0.0) * c.features[name]),
        )[:3]
        why = ", ".join(f"{_SHOWN[name]} {c.features[name]:.2f}" for name in weighed)
        return f"joined: p={c.probability:.2f} ≥ {decision.threshold:g} ({why})"
    other = placement.best_other
    if other is None:
        return "founded the event: no earlier event was a candidate"
    return (
        f"founded the event: the likeliest earlier event, {events[other.event]}, "
        f"had p={other.probability:.2f} < {decision.threshold:g}"
    )
