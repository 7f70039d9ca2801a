"""Event grouping at scale: placing 1k / 10k / 100k articles, the candidate index against an exhaustive search,
and the no-op re-run of ``regenerate --group-by event`` over 100k articles.

    .venv/bin/python bench/bench_events_scale.py [--sizes 1000 10000 100000] [--noop 100000]
                                                 [--ecb-cache /tmp/summariser-ecbplus-features.pkl]
                                                 [--frank-cache /tmp/summariser-frank-features.jsonl]
                                                 [--out bench/results/events_scale.md]

(a) **Placing.** The stream is made of the real dev texts — the 462 ECB+ dev documents and the 245
    FRANK dev articles (``../shared/eval-data``), 707 distinct texts — repeated with variations up to
    the size. spaCy reads 5 texts a second here, so 100k texts would take 6 hours: **the features
    are extracted once per distinct text** (kept in the caches) **and each repetition varies them**:
    a new content hash, 15 % of its words, stems and lead words dropped and 5 words of other
    dev texts added (deterministically, by a seeded generator), a fresh near-duplicate sketch (so a
    repetition is not a copy: it goes through the decision, the expensive path), and a
    publication time (the stream is one round of all 707 texts, shuffled, per day). Its names,
    numbers, years and dates are the text's. Each size runs in a fresh process (its peak memory,
    VmHWM, is its own): articles a second over the whole stream, the mean milliseconds of placing
    one article in each tenth of the stream (flat: the cost does not grow with the past), the
    events made and the largest event.
(b) **The index against an exhaustive search.** `Grouper` compares a new article with a bounded
    set of candidate events (`summariser.events.assign`); with ``exhaustive=True`` it compares
    every event (within the time window). On the ECB+ dev streams of ``bench/bench_events.py``
    (5 shuffled orders, the shipped decision) and on the first 1,000 articles of (a): how many
    placements differ, and the B-cubed F1 of both on ECB+ dev.
(c) **No-op re-run at 100k** (``--noop``): a folder of that many article files (FRANK texts with
    a line of their own) and a briefings folder as a grouped run leaves it — ``grouping.sqlite``
    (every article's event: events of 1–8 articles), ``grouping.yaml``, ``manifest.sqlite`` (one
    entry per event, its articles hashed) and each event's files (copied from a grouped run of
    20 articles against the stand-in model, tests/helpers/echo_model.py) — synthesised, not built.
    Then ``summariser regenerate ARTICLES BRIEFINGS --group-by event`` twice, each a fresh process,
    with nothing changed: wall time and peak memory. The first also writes the index the synthesis
    leaves out and hashes the articles whose stat records were taken right after they were written
    (racy); the second is the steady no-op. Target: ≤ 30 s, ≤ 1 GB.

One run, same machine (shared, 2 cores): compare within the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import fit_grouping as fg

from summariser.evaluation.scoring.clusters import score_clusters
from summariser.events.assign import Grouper
from summariser.events.features import ArticleFeatures, article_features
from summariser.events.stored import from_json, to_json
from summariser.ingest.read import make_article

FRANK = fg.ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"
START = dt.datetime(2026, 1, 1, 6, 0)
DROP = 0.15
ADDED = 5


def peak_mb() -> int:
    """This process's peak resident memory (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def frank_features(cache: Path) -> list[ArticleFeatures]:
    """The FRANK dev articles' features (spaCy once; then from ``cache``, JSON lines)."""
    if cache.exists():
        return [from_json(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    rows = [json.loads(line) for line in FRANK.read_text(encoding="utf-8").splitlines()]
    found = [article_features(make_article(r["article"], path=r["id"])) for r in rows]
    cache.write_text("".join(to_json(f) + "\n" for f in found), encoding="utf-8")
    return found


def distinct(ecb_cache: Path, frank_cache: Path) -> list[ArticleFeatures]:
    """The 707 distinct dev texts' features: ECB+ dev, then FRANK dev."""
    return [d.features for d in fg.load(fg.DATA, ecb_cache)] + frank_features(frank_cache)


def _thin(counts: Counter[str], rng: random.Random) -> Counter[str]:
    return Counter({w: c for w, c in sorted(counts.items()) if rng.random() >= DROP})


def vary(f: ArticleFeatures, copy: int, when: dt.datetime, vocabulary: list[str]) -> ArticleFeatures:
    """Repetition ``copy`` of ``f`` (module docstring, (a)); copy 0 is the text itself, dated ``when``."""
    if copy == 0:
        return dataclasses.replace(f, when=when)
    rng = random.Random(f"{f.id}:{copy}")
    tokens = _thin(f.tokens, rng)
    for word in rng.sample(vocabulary, ADDED):
        tokens[word] += 1
    return dataclasses.replace(
        f,
        id=hashlib.sha256(f"{f.id}:{copy}".encode()).hexdigest(),
        tokens=tokens,
        lead=Counter({w: c for w, c in f.lead.items() if w in tokens}),
        stems=_thin(f.stems, rng),
        when=when,
        sketch=tuple(sorted(rng.getrandbits(63) for _ in f.sketch)),
    )


def stream(texts: list[ArticleFeatures], n: int) -> Iterator[ArticleFeatures]:
    """The first ``n`` articles of the varied stream, made one at a time: one shuffled round of every text a day."""
    vocabulary = sorted({w for f in texts for w in f.tokens})
    made, copy = 0, 0
    step = dt.timedelta(days=1) / len(texts)
    while made < n:
        order = list(range(len(texts)))
        random.Random(copy).shuffle(order)
        for i, t in enumerate(order[: n - made]):
            yield vary(texts[t], copy, START + copy * dt.timedelta(days=1) + i * step, vocabulary)
            made += 1
        copy += 1


def place(
    features: Iterable[ArticleFeatures], *, exhaustive: bool = False, every: int = 0
) -> tuple[list[int], list[float]]:
    """Place ``features`` in one `Grouper`: (event of each, seconds of each; making an article is not timed).

    ``every`` > 0: a progress line on stderr every that many articles (ms per article since the last, peak memory).
    """
    grouper = Grouper(exhaustive=exhaustive)
    events, seconds = [], []
    for f in features:
        start = time.perf_counter()
        events.append(grouper.add(f).event)
        seconds.append(time.perf_counter() - start)
        if every and len(seconds) % every == 0:
            recent = 1000 * statistics.mean(seconds[-every:])
            print(f"{len(seconds)}: {recent:.1f} ms/article, {peak_mb()} MB", file=sys.stderr, flush=True)
    return events, seconds


def one_size(args: argparse.Namespace) -> int:
    """(a) for one size, in this process: print one JSON line."""
    features = stream(distinct(args.ecb_cache, args.frank_cache), args.one)
    before = peak_mb()
    events, seconds = place(features, every=max(1, args.one // 10))
    tenth = max(1, len(seconds) // 10)
    sizes = Counter(events)
    print(
        json.dumps(
            {
                "n": len(events),
                "rate": len(seconds) / sum(seconds),
                "tenths_ms": [1000 * statistics.mean(seconds[i : i + tenth]) for i in range(0, len(seconds), tenth)][
                    :10
                ],
                "events": len(sizes),
                "largest": max(sizes.values()),
                "peak_mb": peak_mb(),
                "peak_before_mb": before,
            }
        )
    )
    return 0


def index_vs_exhaustive(args: argparse.Namespace) -> list[str]:
    """(b): placements that differ, and B-cubed F1 both ways on ECB+ dev."""
    docs = fg.load(fg.DATA, args.ecb_cache)
    gold = {d.key: d.event for d in docs}
    differ, total, f1 = 0, 0, {False: [], True: []}
    for order in fg.orders(docs, fg.ORDERS):
        got = {}
        for exhaustive in (False, True):
            grouper = Grouper(window=None, exhaustive=exhaustive)
            got[exhaustive] = [grouper.add(d.features).event for d in order]
            placed = {d.key: e for d, e in zip(order, got[exhaustive], strict=True)}
            f1[exhaustive].append(score_clusters(placed, gold).bcubed.f1)
        differ += sum(a != b for a, b in zip(got[False], got[True], strict=True))
        total += len(order)
    features = list(stream(distinct(args.ecb_cache, args.frank_cache), 1000))
    indexed, fast = place(features)
    full, slow = place(features, exhaustive=True)
    return [
        f"- ECB+ dev, {fg.ORDERS} shuffled orders, shipped decision: {differ} of {total} placements differ; "
        f"B³ F1 {statistics.mean(f1[False]):.3f} with the index, {statistics.mean(f1[True]):.3f} exhaustive",
        f"- the first 1,000 articles of (a): {sum(a != b for a, b in zip(indexed, full, strict=True))} of 1000 "
        f"placements differ; {len(features) / sum(fast):.0f} articles/s with the index, "
        f"{len(features) / sum(slow):.0f} exhaustive",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--noop", type=int, default=0, help="(c) at this many articles (0: skip)")
    parser.add_argument("--ecb-cache", type=Path, default=Path("/tmp/summariser-ecbplus-features.pkl"))
    parser.add_argument("--frank-cache", type=Path, default=Path("/tmp/summariser-frank-features.jsonl"))
    parser.add_argument("--skip-check", action="store_true", help="skip (b)")
    parser.add_argument("--out", type=Path, default=fg.ROOT / "bench" / "results" / "events_scale.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one_size(args)
    distinct(args.ecb_cache, args.frank_cache)  # the caches, once
    out = [f"# Event grouping at scale ({time.strftime('%Y-%m-%d')}, `bench/bench_events_scale.py`)", ""]
    out += ["| articles | articles/s | ms per article, each tenth of the stream | events (largest) | peak memory |"]
    out += ["|---|---|---|---|---|"]
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--ecb-cache", str(args.ecb_cache),
             "--frank-cache", str(args.frank_cache)],
            stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        r = json.loads(done.stdout.splitlines()[-1])
        tenths = ", ".join(f"{t:.1f}" for t in r["tenths_ms"])
        out.append(
            f"| {r['n']:,} | {r['rate']:.0f} | {tenths} | {r['events']:,} ({r['largest']}) "
            f"| {r['peak_mb']} MB (before placing: {r['peak_before_mb']} MB) |"
        )
        print(out[-1], flush=True)
    if not args.skip_check:
        out += ["", "**Candidate index against exhaustive search**:", *index_vs_exhaustive(args)]
        print("\n".join(out[-2:]), flush=True)
    if args.noop:
        from scale_noop import noop_rerun

        out += ["", noop_rerun(args.noop)]
        print(out[-1], flush=True)
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
