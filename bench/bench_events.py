"""Event grouping benchmark: ECB+ dev streams, the reference lines, the seeds, FRANK-245 and the speed.

    .venv/bin/python bench/bench_events.py [--cache /tmp/summariser-ecbplus-features.pkl]
                                           [--out bench/results/events.md]

* **ECB+ dev** (``../shared/eval-data/ecbplus_events_dev.jsonl``: 462 documents, 40 events, two
  events of one kind per topic): the documents streamed in 5 seeded shuffled orders, B-cubed and
  pairwise P/R/F1 and events found (mean; spread = max − min B-cubed F1), for
  - the shipped decision, cross-validated: each document placed by a decision fit (by
    ``bench/fit_grouping.py``'s method) without its topic — the honest figure;
  - the shipped decision itself, whose weights were fit on these same topics (in-sample);
* **references**: every topic one event (gold topics), and batch TF-IDF (scikit-learn
  ``TfidfVectorizer``, with its defaults and with English stop words and sublinear tf) with
  average-link agglomerative clustering at its best distance threshold (chosen on the data it is
  scored on, so an optimistic reference);
* **seeds**: the two seed articles (one G7 finance ministerial) must form one event;
* **FRANK-245**: the 245 FRANK dev articles (different stories) grouped in file order: every event
  of more than one article is listed for judgement;
* **speed**: articles per second — placing only (features already read), and ``group()`` whole
  (spaCy included) on FRANK; and the placing time per window of 100 articles of a 707-article
  stream (a cost that levels off once the candidate postings are full, not one that grows with the stream).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import fit_grouping as fg
import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from summariser import group
from summariser.evaluation.scoring.clusters import score_clusters
from summariser.events.assign import Grouper
from summariser.events.features import article_features
from summariser.events.model import DEFAULT_DECISION
from summariser.ingest.read import make_article

SHARED = fg.ROOT.parent / "shared"
FRANK = SHARED / "eval-data" / "frank_cnndm_dev.jsonl"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


def batch_reference(
    docs: list[fg.Doc], texts: dict[str, str], vectorizer: TfidfVectorizer
) -> tuple[float, dict[str, float]]:
    """Batch TF-IDF + average-link clustering at its best distance threshold: (threshold, summary)."""
    keys = [d.key for d in docs]
    matrix = vectorizer.fit_transform([texts[k] for k in keys])
    gold = {d.key: d.event for d in docs}
    best: tuple[float, dict[str, float]] | None = None
    for threshold in np.arange(0.50, 0.99, 0.02):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=float(threshold)
        ).fit_predict(matrix.toarray())
        s = fg.summary([score_clusters(dict(zip(keys, labels.tolist(), strict=True)), gold)])
        if best is None or s["b3_f1"] > best[1]["b3_f1"]:
            best = (float(threshold), s)
    assert best is not None
    return best


def placing_speed(features: list) -> tuple[float, list[float]]:
    """(articles/s over the stream, mean ms per article in each window of 100) of placing only."""
    grouper = Grouper(window=None)
    times = []
    for f in features:
        start = time.perf_counter()
        grouper.add(f)
        times.append(time.perf_counter() - start)
    windows = [1000 * statistics.mean(times[i : i + 100]) for i in range(0, len(times), 100)]
    return len(times) / sum(times), windows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/summariser-ecbplus-features.pkl"))
    parser.add_argument("--out", type=Path, default=fg.ROOT / "bench" / "results" / "events.md")
    args = parser.parse_args()
    docs = fg.load(fg.DATA, args.cache)
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in fg.DATA.read_text().splitlines()}
    streams = fg.orders(docs, fg.ORDERS)
    out = [f"# Event grouping ({time.strftime('%Y-%m-%d')}, `bench/bench_events.py`)", ""]
    out += [
        f"ECB+ dev: {len(docs)} documents, 40 gold events, {fg.ORDERS} shuffled orders (mean; spread = "
        "max − min B³ F1).",
        "",
        fg.HEADER,
    ]
    shipped = fg.VARIANTS[fg.SHIPPED]
    cv = fg.cross_validated(docs, lambda train: fg.choose_threshold(train, fg.fit(train, shipped)))
    out.append(fg.row("online, shipped method, leave-topics-out CV", fg.summary([fg.scored(o, cv) for o in streams])))
    print(out[-1], flush=True)
    out.append(
        fg.row(
            "online, shipped weights (fit on these topics: in-sample)",
            fg.summary([fg.scored(o, lambda _: DEFAULT_DECISION) for o in streams]),
        )
    )
    print(out[-1], flush=True)
    topic_only = score_clusters({d.key: d.topic for d in docs}, {d.key: d.event for d in docs})
    out.append(fg.row("reference: one event per topic", fg.summary([topic_only])))
    for name, vectorizer in (
        ("scikit-learn defaults", TfidfVectorizer()),
        ("English stop words, sublinear tf", TfidfVectorizer(stop_words="english", sublinear_tf=True)),
    ):
        threshold, batch = batch_reference(docs, texts, vectorizer)
        out.append(fg.row(f"reference: batch TF-IDF ({name}), average link, best threshold {threshold:.2f}", batch))
    print("\n".join(out[-3:]), flush=True)

    seeds = group([str(p) for p in SEEDS])
    out += ["", f"**Seeds** ({len(SEEDS)} articles): {len(seeds.events)} event(s)."]
    for e in seeds.events:
        out.append(f"- {e.id} “{e.label}”: {', '.join(Path(a).name for a in e.articles)}")

    rows = [json.loads(line) for line in FRANK.read_text(encoding="utf-8").splitlines()]
    articles = [make_article(r["article"], path=r["id"]) for r in rows]
    start = time.perf_counter()
    frank = group(articles, order="given")
    whole = len(articles) / (time.perf_counter() - start)
    merged = [e for e in frank.events if len(e.articles) > 1]
    out += [
        "",
        f"**FRANK dev** ({len(articles)} articles, file order): {len(frank.events)} events; "
        f"{len(merged)} with more than one article:",
    ]
    for e in merged:
        out.append(f"- {e.id} “{e.label}”: " + "; ".join(f"{m.article} ({m.reason})" for m in e.members))

    frank_features = [article_features(a) for a in articles]
    features = [d.features for d in streams[0]] + frank_features
    rate, windows = placing_speed(features)
    out += [
        "",
        "**Speed** (this machine, shared, 2 cores):",
        f"- placing only: {rate:.0f} articles/s over a {len(features)}-article stream (ECB+ dev, then FRANK); "
        "ms per article in each window of 100: " + ", ".join(f"{w:.1f}" for w in windows),
        f"- `group()` whole, spaCy included (FRANK, {len(articles)} articles): {whole:.1f} articles/s",
    ]
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
