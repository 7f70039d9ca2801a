"""Fit the grouping decision on the ECB+ dev topics, cross-validate it over topics, and write the shipped weights.

    .venv/bin/python bench/fit_grouping.py [--data ../shared/eval-data/ecbplus_events_dev.jsonl]
                                           [--cache /tmp/summariser-ecbplus-features.pkl]
                                           [--out bench/results/grouping_variants.md] [--write]

The decision (`summariser.events.model.Decision`) is a logistic regression over the pair features
of (article, candidate event) (`summariser.events.similarity.FEATURES`). Training pairs come from
streams of the training documents in shuffled orders where every article is placed where gold
puts it (so the events are the gold events so far): each candidate event the assignment compares
the article with is one pair, labelled 1 when it is the article's gold event. Features are
standardised for the fit (scikit-learn ``LogisticRegression``, L2, ``C``) and the coefficients
mapped back to the raw features. The threshold is chosen among `THRESHOLDS` by the B-cubed F1 of
free-running streams of the training documents.

Every variant is scored by leave-topics-out cross-validation: the 20 dev topics are dealt into
`FOLDS` folds; for each, the decision is fit (and its threshold chosen) on the other folds'
topics, and the whole dev set is then streamed in `ORDERS` shuffled orders with each article
placed by the model of the fold its topic was held out from — so no article is ever decided by a
model that saw its topic. ``--write`` fits the shipped variant on all 20 topics and writes
``summariser/events/weights.py``. spaCy's reading of the 462 documents takes a few minutes; it is
kept in ``--cache`` (outside the project: the dev data is never copied into it).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from summariser.evaluation.scoring.clusters import ClusterScores, score_clusters
from summariser.events.assign import Grouper
from summariser.events.features import ENTITY_KINDS, ArticleFeatures, article_features
from summariser.events.model import Decision
from summariser.events.similarity import FEATURES
from summariser.ingest.read import make_article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval-data" / "ecbplus_events_dev.jsonl"
WEIGHTS = ROOT / "summariser" / "events" / "weights.py"
FOLDS = 5
ORDERS = 5
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
C = 0.1
#: Shuffled orders of the training documents that make the training pairs.
TRAIN_ORDERS = 3

_WORDS = ["tokens", "tokens_max", "tokens_mean", "stems", "lead", "lead_max", "size", "tokens_x_tokens"]
_NAMES = [f for kind in ENTITY_KINDS for f in (kind, f"{kind}_both", f"tokens_x_{kind}")]
VARIANTS: dict[str, list[str]] = {
    "words (tokens, stems, lead) — logistic": _WORDS,
    "words + names — logistic": _WORDS + _NAMES,
    "words + names + numbers, years, dates — logistic (shipped)": list(FEATURES),
}
SHIPPED = "words + names + numbers, years, dates — logistic (shipped)"


@dataclass(frozen=True)
class Doc:
    """One dev document: its id, gold event, topic and grouping features."""

    key: str
    event: str
    topic: str
    features: ArticleFeatures


def load(path: Path, cache: Path | None) -> list[Doc]:
    """The dev documents with their features (spaCy once; then from ``cache`` when given)."""
    if cache is not None and cache.exists():  # plain tuples: `Doc` is `__main__.Doc` when this runs as a script
        return [Doc(*row) for row in pickle.loads(cache.read_bytes())]
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        article = make_article(row["text"], path=row["id"])
        docs.append(Doc(row["id"], row["event"], row["event"].split("-")[0], article_features(article)))
    if cache is not None:
        cache.write_bytes(pickle.dumps([(d.key, d.event, d.topic, d.features) for d in docs]))
    return docs


def orders(docs: Sequence[Doc], n: int, seed: int = 1000) -> list[list[Doc]]:
    """``n`` shuffled orders of ``docs`` (seeds ``seed``, ``seed + 1`` …)."""
    out = []
    for s in range(n):
        order = sorted(docs, key=lambda d: d.key)
        random.Random(seed + s).shuffle(order)
        out.append(order)
    return out


def stream(order: Sequence[Doc], decide: Callable[[Doc], Decision]) -> dict[str, int]:
    """Place ``order`` online, each document by the decision ``decide`` gives it; document → event number."""
    grouper = Grouper(window=None)
    placed = {}
    for doc in order:
        grouper.decision = decide(doc)
        placed[doc.key] = grouper.add(doc.features).event
    return placed


def scored(order: Sequence[Doc], decide: Callable[[Doc], Decision]) -> ClusterScores:
    """B-cubed and pairwise scores of one stream against gold."""
    return score_clusters(stream(order, decide), {d.key: d.event for d in order})


def pairs(docs: Sequence[Doc], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Training pairs of gold-placed streams of ``docs`` (module docstring)."""
    rows, labels = [], []
    for order in orders(docs, TRAIN_ORDERS, seed=0):
        grouper, events = Grouper(window=None), {}
        for doc in order:
            force = events.get(doc.event, -1)
            placement = grouper.add(doc.features, force=force)
            events.setdefault(doc.event, placement.event)
            for c in placement.compared:
                rows.append([c.features[n] for n in names])
                labels.append(int(c.event == force))
    return np.array(rows), np.array(labels)


def fit(docs: Sequence[Doc], names: Sequence[str]) -> Decision:
    """The logistic decision over ``names``, fit on ``docs`` (threshold 0.5; see `choose_threshold`)."""
    x, y = pairs(docs, names)
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(x), y)
    weights = model.coef_[0] / scaler.scale_
    bias = float(model.intercept_[0] - np.sum(model.coef_[0] * scaler.mean_ / scaler.scale_))
    return Decision({n: round(float(w), 6) for n, w in zip(names, weights, strict=True)}, round(bias, 6))


def choose_threshold(docs: Sequence[Doc], decision: Decision) -> Decision:
    """``decision`` with the threshold of `THRESHOLDS` that streams ``docs`` best (two orders, mean B-cubed F1)."""
    best = max(
        THRESHOLDS,
        key=lambda t: statistics.mean(
            scored(o, lambda _: Decision(decision.weights, decision.bias, t)).bcubed.f1 for o in orders(docs, 2, 77)
        ),
    )
    return Decision(decision.weights, decision.bias, best)


def fixed(threshold: float) -> Decision:
    """The fixed-threshold rule: join the best event when the token TF-IDF cosine is at least ``threshold``."""
    return Decision({"tokens": 200.0}, -200.0 * threshold)


def cross_validated(docs: Sequence[Doc], fit_fold: Callable[[list[Doc]], Decision]) -> Callable[[Doc], Decision]:
    """Per document, the decision fit without its topic (module docstring)."""
    topics = sorted({d.topic for d in docs}, key=int)
    by_topic: dict[str, Decision] = {}
    for fold in range(FOLDS):
        held = {t for i, t in enumerate(topics) if i % FOLDS == fold}
        decision = fit_fold([d for d in docs if d.topic not in held])
        by_topic.update(dict.fromkeys(held, decision))
    return lambda doc: by_topic[doc.topic]


def fixed_fold(train: list[Doc]) -> Decision:
    """The fixed-threshold rule with its threshold chosen on ``train``."""
    best = max(
        (0.15, 0.2, 0.25, 0.3, 0.35),
        key=lambda t: statistics.mean(scored(o, lambda _: fixed(t)).bcubed.f1 for o in orders(train, 2, 77)),
    )
    return fixed(best)


def summary(results: Sequence[ClusterScores]) -> dict[str, float]:
    """Means over streams, and the spread (max − min) of B-cubed F1."""
    f1 = [r.bcubed.f1 for r in results]
    return {
        "b3_p": statistics.mean(r.bcubed.precision for r in results),
        "b3_r": statistics.mean(r.bcubed.recall for r in results),
        "b3_f1": statistics.mean(f1),
        "spread": max(f1) - min(f1),
        "pair_p": statistics.mean(r.pairwise.precision for r in results),
        "pair_r": statistics.mean(r.pairwise.recall for r in results),
        "pair_f1": statistics.mean(r.pairwise.f1 for r in results),
        "events": statistics.mean(r.groups for r in results),
    }


def row(name: str, s: dict[str, float]) -> str:
    """One markdown table row."""
    return (
        f"| {name} | {s['b3_p']:.3f} | {s['b3_r']:.3f} | **{s['b3_f1']:.3f}** | {s['spread']:.3f} "
        f"| {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} | {s['events']:.1f} |"
    )


HEADER = (
    "| variant | B³ P | B³ R | B³ F1 | F1 spread | pair P | pair R | pair F1 | events (gold 40) |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def write_weights(decision: Decision, docs: int, topics: int) -> None:
    """Write ``summariser/events/weights.py`` with the shipped fit."""
    lines = "\n".join(f"    {json.dumps(name)}: {w!r}," for name, w in decision.weights.items())
    WEIGHTS.write_text(
        f'''"""The shipped weights of the grouping decision (`summariser.events.model.Decision`).

Written by ``bench/fit_grouping.py --write``: a logistic regression (scikit-learn, L2, C={C}, features
standardised for the fit and mapped back) over the pair features of gold-placed streams of the
{docs} ECB+ dev documents ({topics} topics, 3 shuffled orders); the threshold is the one of
{", ".join(map(str, THRESHOLDS))} that streams those documents best. Its cross-validated score
(leave-topics-out, each document placed by a model that never saw its topic) is in
``bench/results/grouping_variants.md``.
"""

from __future__ import annotations

__all__ = ["BIAS", "THRESHOLD", "WEIGHTS"]

WEIGHTS: dict[str, float] = {{
{lines}
}}
BIAS = {decision.bias!r}
THRESHOLD = {decision.threshold!r}
''',
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/summariser-ecbplus-features.pkl"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "grouping_variants.md")
    parser.add_argument("--write", action="store_true", help="fit the shipped variant on all topics, write weights.py")
    args = parser.parse_args()
    docs = load(args.data, args.cache)
    streams = orders(docs, ORDERS)
    lines = [HEADER]
    decide = cross_validated(docs, fixed_fold)
    lines.append(row("token TF-IDF cosine, fixed threshold", summary([scored(o, decide) for o in streams])))
    print(lines[-1], flush=True)
    for name, names in VARIANTS.items():
        decide = cross_validated(docs, lambda train, names=names: choose_threshold(train, fit(train, names)))
        lines.append(row(name, summary([scored(o, decide) for o in streams])))
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    stamp = time.strftime("%Y-%m-%d")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        f"# Grouping variants on the ECB+ dev topics ({stamp})\n\n`bench/fit_grouping.py`: {len(docs)} documents, "
        f"{FOLDS}-fold leave-topics-out cross-validation (thresholds chosen on the training topics), each "
        f"variant streamed in {ORDERS} shuffled orders (mean; spread = max − min B³ F1).\n\n{text}\n",
        encoding="utf-8",
    )
    if args.write:
        shipped = choose_threshold(docs, fit(docs, VARIANTS[SHIPPED]))
        write_weights(shipped, len(docs), len({d.topic for d in docs}))
        print(f"wrote {WEIGHTS} (threshold {shipped.threshold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
