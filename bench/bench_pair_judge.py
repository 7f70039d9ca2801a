"""Does the embedded model pay as a judge of borderline grouping decisions? (issue 27, goal 3)

    .venv/bin/python bench/bench_pair_judge.py [--pairs 3] [--orders 5]
                                               [--judged /tmp/summariser-pair-judge.json]
                                               [--out bench/results/pair_judge.md]

The question put to the model (the default embedded model, ``local:qwen2.5-1.5b``, llama.cpp on
this machine's cores): the headline and first 110 words of two reports, "do they cover the very
same incident?", answered Yes or No. Its probability of "same" is read from the first answer
token's logits (Yes/yes against No/no): one prompt evaluation, no decoding, so a pair costs what its
~400 prompt tokens cost. Two prompts are measured (`PROMPTS`).

1. **Pairs** — per ECB+ dev topic, ``--pairs`` pairs of two reports of one gold event and as many of
   one report from each of the topic's two events (same kind, different incident: the hard case),
   seeded. ROC AUC of each prompt's p(same), of the word TF-IDF cosine (scikit-learn, English stop
   words, sublinear tf) and of a logistic regression over both (20 × 5-fold cross-validated), over
   all pairs and over the middle half by cosine (the borderline, where a judge would be asked).
2. **Streams** — the shipped method streamed as in ``bench/bench_events.py`` (5 shuffled orders,
   leave-topics-out decisions), except that when the best candidate's probability falls in a band,
   the model judges the article against the event's first article and its answer decides (join
   when p(same) ≥ τ, found a new event otherwise); or, "rescue only", when it is under the joining
   threshold, and then the model can only make the article join (what an oracle shows would pay
   most: docs/benchmarks.md). Every judged pair is kept in ``--judged`` (outside the project), so
   bands and τ are replayed without asking again; B³ F1 for each, beside the stream without a judge.

The dev data is read here only (never copied into the project). Run alone: the model holds both
cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import fit_grouping as fg
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from summariser.evaluation.scoring.clusters import score_clusters
from summariser.events.assign import Candidate, Grouper
from summariser.events.similarity import Item
from summariser.llm.embedded.weights import DEFAULT_MODEL, EMBEDDED_MODELS, assemble

LEAD_WORDS = 110
PROMPTS: dict[str, tuple[str, str, tuple[str, str]]] = {
    "same or different": (
        "You are a careful news editor who decides whether two news reports are about the same real-world event.",
        "Report A:\n{a}\n\nReport B:\n{b}\n\nAre Report A and Report B about the same specific event (the same "
        "incident, at the same time and place, with the same people), or about two different events that are "
        "merely of the same kind (for example two different earthquakes, two different arrests, two different "
        "product launches)? Compare dates, places, numbers and names. Answer with one word: same or different.",
        ("same", "different"),
    ),
    "yes or no": (
        "You are a news editor. You check whether two news reports cover one and the same incident.",
        "Report A:\n{a}\n\nReport B:\n{b}\n\nMany incidents are alike: two earthquakes, two arrests, two hirings, "
        "two product launches, in different places, years or with different numbers. Do Report A and Report B "
        "cover the very same incident (same date, same place, same people, same numbers)? Answer Yes or No.",
        ("Yes", "No"),
    ),
}
STREAM_PROMPT = "yes or no"
#: (lowest p, highest p or None for "under the decision's threshold: rescue only", τ) of each judged stream.
JUDGED: tuple[tuple[float, float | None, float], ...] = (
    (0.1, 0.3, 0.35),
    (0.1, 0.3, 0.45),
    (0.05, 0.5, 0.35),
    (0.05, 0.5, 0.45),
    (0.03, None, 0.45),
    (0.03, None, 0.55),
    (0.08, None, 0.45),
)


def _other_case(word: str) -> str:
    return word.lower() if word[0].isupper() else word.title()


class Judge:
    """p(same incident) for two texts, from the first answer token's logits; answers kept by pair."""

    def __init__(self, judged: Path) -> None:
        from llama_cpp import Llama

        self.path = judged
        self.kept: dict[str, float] = json.loads(judged.read_text()) if judged.exists() else {}
        self.llm = Llama(
            model_path=str(assemble(EMBEDDED_MODELS[DEFAULT_MODEL])),
            n_ctx=2048,
            n_threads=2,
            n_batch=512,
            verbose=False,
        )
        self.asked = 0
        self.seconds = 0.0
        token = lambda word: int(self.llm.tokenize(word.encode(), add_bos=False, special=False)[0])  # noqa: E731
        #: Per prompt, the first tokens of its two answers, each in both cases (read once, not per question).
        self.answers = {
            name: tuple([token(w), token(_other_case(w))] for w in words) for name, (_, _, words) in PROMPTS.items()
        }

    def p_same(self, prompt: str, key_a: str, a: str, key_b: str, b: str) -> float:
        key = f"{prompt}|{key_a}|{key_b}"
        if key in self.kept:
            return self.kept[key]
        system, user, _ = PROMPTS[prompt]
        yes, no = self.answers[prompt]
        lead = lambda text: " ".join(text.split()[:LEAD_WORDS])  # noqa: E731
        text = (
            f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user.format(a=lead(a), b=lead(b))}"
            "<|im_end|>\n<|im_start|>assistant\n"
        )
        start = time.perf_counter()
        self.llm.reset()
        self.llm.eval(self.llm.tokenize(text.encode(), add_bos=False, special=True))
        logits = np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(self.llm.n_vocab(),)).astype(np.float64)
        s, d = np.logaddexp(*logits[yes]), np.logaddexp(*logits[no])
        self.seconds += time.perf_counter() - start
        self.asked += 1
        self.kept[key] = p = float(1.0 / (1.0 + np.exp(d - s)))
        if self.asked % 10 == 0:
            self.save()
        return p

    def save(self) -> None:
        self.path.write_text(json.dumps(self.kept))


def gold_pairs(docs: Sequence[fg.Doc], per_topic: int) -> list[tuple[fg.Doc, fg.Doc, int]]:
    rng = random.Random(7)
    by: dict[str, list[fg.Doc]] = {}
    for d in sorted(docs, key=lambda d: d.key):
        by.setdefault(d.event, []).append(d)
    out = []
    for topic in sorted({d.topic for d in docs}, key=int):
        a, b = by[f"{topic}-ecb"], by[f"{topic}-ecbplus"]
        for i in range(per_topic):
            x, y = rng.sample(a if i % 2 == 0 else b, 2)
            out.append((x, y, 1))
            out.append((rng.choice(a), rng.choice(b), 0) if rng.random() < 0.5 else (rng.choice(b), rng.choice(a), 0))
    return out


def pairs_table(docs: Sequence[fg.Doc], texts: dict[str, str], judge: Judge, per_topic: int) -> list[str]:
    pairs = gold_pairs(docs, per_topic)
    keys = sorted(texts)
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([texts[k] for k in keys])
    index = {k: i for i, k in enumerate(keys)}
    cos = np.array([float(tfidf[index[x.key]].multiply(tfidf[index[y.key]]).sum()) for x, y, _ in pairs])
    gold = np.array([label for _, _, label in pairs])
    mid = (cos > np.quantile(cos, 0.25)) & (cos < np.quantile(cos, 0.75))
    lines = [
        f"{len(pairs)} pairs ({int(gold.sum())} of one event, {int(len(gold) - gold.sum())} of two events of one "
        f"topic); the middle half by word cosine: {int(mid.sum())} pairs.",
        "",
        "| scored by | ROC AUC, all pairs | ROC AUC, middle half | seconds per pair |",
        "|---|---|---|---|",
    ]
    auc, auc_mid = roc_auc_score(gold, cos), roc_auc_score(gold[mid], cos[mid])
    lines.append(f"| word TF-IDF cosine | {auc:.3f} | {auc_mid:.3f} | — |")
    for prompt in PROMPTS:
        before = (judge.asked, judge.seconds)
        p = np.array([judge.p_same(prompt, x.key, texts[x.key], y.key, texts[y.key]) for x, y, _ in pairs])
        asked, secs = judge.asked - before[0], judge.seconds - before[1]
        per = f"{secs / asked:.1f}" if asked else "(kept answers)"
        auc, auc_mid = roc_auc_score(gold, p), roc_auc_score(gold[mid], p[mid])
        lines.append(f'| model, "{prompt}" | {auc:.3f} | {auc_mid:.3f} | {per} |')
        logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
        both = np.c_[cos, logit]
        aucs = [
            roc_auc_score(
                gold,
                cross_val_predict(
                    LogisticRegression(C=10),
                    both,
                    gold,
                    method="predict_proba",
                    cv=StratifiedKFold(5, shuffle=True, random_state=s),
                )[:, 1],
            )
            for s in range(20)
        ]
        lines.append(f'| cosine + model "{prompt}", logistic (cross-validated) | {statistics.mean(aucs):.3f} | — | — |')
        print(lines[-2], lines[-1], sep="\n", flush=True)
    return lines


class JudgedGrouper(Grouper):
    """The shipped grouping, with the model deciding when the best candidate's probability is in ``band``;
    a band whose top is None is "rescue only": under the decision's threshold, and the model can only make
    the article join."""

    def __init__(
        self, judge: Judge | None, band: tuple[float, float | None], tau: float, texts: dict[str, str]
    ) -> None:
        super().__init__(window=None)
        self.judge, self.band, self.tau, self.texts = judge, band, tau, texts
        self.keys: list[str] = []
        self.current = ""
        self.calls = 0

    def candidates(self, item: Item) -> list[Candidate]:
        found = super().candidates(item)
        if self.judge is None or not found:
            return found
        best, (low, high) = found[0], self.band
        rescue = high is None
        inside = low <= best.probability < self.decision.threshold if high is None else low <= best.probability <= high
        if not inside:
            return found
        founder = self.keys[self.events[best.event].founder]
        self.calls += 1
        p = self.judge.p_same(STREAM_PROMPT, founder, self.texts[founder], self.current, self.texts[self.current])
        decided = 0.999 if p >= self.tau else best.probability if rescue else 0.0
        return [dataclasses.replace(best, probability=decided), *found[1:]]


def stream(
    order: Sequence[fg.Doc], decide: Callable[[fg.Doc], fg.Decision], make: Callable[[], JudgedGrouper]
) -> tuple[float, int]:
    grouper = make()
    placed = {}
    for doc in order:
        grouper.decision = decide(doc)
        grouper.current = doc.key
        grouper.keys.append(doc.key)
        placed[doc.key] = grouper.add(doc.features).event
    return score_clusters(placed, {d.key: d.event for d in order}).bcubed.f1, grouper.calls


def streams_table(docs: Sequence[fg.Doc], texts: dict[str, str], judge: Judge, n_orders: int) -> list[str]:
    decide = fg.cross_validated(docs, lambda train: fg.choose_threshold(train, fg.fit(train, list(fg.FEATURES))))
    orders = fg.orders(docs, n_orders)
    lines = ["| judge | B³ F1 (mean) | spread | model calls per stream |", "|---|---|---|---|"]
    plain = [stream(o, decide, lambda: JudgedGrouper(None, (0, 0), 0, texts))[0] for o in orders]
    mean, spread = statistics.mean(plain), max(plain) - min(plain)
    lines.append(f"| none (shipped method, cross-validated) | **{mean:.3f}** | {spread:.3f} | 0 |")
    print(lines[-1], flush=True)
    for low, high, tau in JUDGED:
        runs = [stream(o, decide, lambda b=(low, high), t=tau: JudgedGrouper(judge, b, t, texts)) for o in orders]
        f1 = [r[0] for r in runs]
        calls = statistics.mean(r[1] for r in runs)
        when = (
            f"best candidate's p in [{low}, {high}], join when the model's p(same) ≥ {tau}"
            if high is not None
            else f"rescue only: best candidate's p in [{low}, threshold), join when the model's p(same) ≥ {tau}"
        )
        lines.append(f"| {when} | **{statistics.mean(f1):.3f}** | {max(f1) - min(f1):.3f} | {calls:.1f} |")
        print(lines[-1], flush=True)
        judge.save()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=3, help="pairs of each kind per topic")
    parser.add_argument("--orders", type=int, default=fg.ORDERS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/summariser-ecbplus-features.pkl"))
    parser.add_argument("--judged", type=Path, default=Path("/tmp/summariser-pair-judge.json"))
    parser.add_argument("--out", type=Path, default=fg.ROOT / "bench" / "results" / "pair_judge.md")
    args = parser.parse_args()
    texts = {row["id"]: row["text"] for row in map(json.loads, fg.DATA.read_text(encoding="utf-8").splitlines())}
    docs = fg.load(fg.DATA, args.cache)
    judge = Judge(args.judged)
    start = time.perf_counter()
    pairs = pairs_table(docs, texts, judge, args.pairs)
    streams = streams_table(docs, texts, judge, args.orders)
    judge.save()
    took = time.perf_counter() - start
    per = f"{judge.seconds / judge.asked:.1f} s per question asked" if judge.asked else "all answers kept from before"
    args.out.write_text(
        f"# The embedded model as a judge of grouping pairs ({time.strftime('%Y-%m-%d')})\n\n"
        f"`bench/bench_pair_judge.py` (model `local:{DEFAULT_MODEL}`, {judge.asked} questions asked this run, "
        f"{per}; {took:.0f} s in all).\n\n## Pairs\n\n" + "\n".join(pairs) + "\n\n## Streams (ECB+ dev, "
        f"{args.orders} shuffled orders, leave-topics-out decisions)\n\n" + "\n".join(streams) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
