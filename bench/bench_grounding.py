"""Grounding benchmark: how long grounding adds to a briefing, on real model answers.

    .venv/bin/python bench/bench_grounding.py [--dataset ../shared/eval-data/frank_cnndm_dev.jsonl]
                                              [--words 1000] [--model local:qwen2.5-1.5b]
                                              [--rounds 50] [--out bench/results/grounding.md]

Cases: the FRANK dev article whose length is closest to ``--words`` words, and the two seed
articles merged. Each is briefed once through the real pipeline (default response cache, so
only the first run calls the model); the merged drafts the pipeline hands to grounding are
captured, then the grounding stage is re-run ``--rounds`` times on them:

* ``Grounder(articles)`` — normalising every source text and indexing its sentences;
* ``grounding.check`` — aligning every bullet, implication, person (name and role), organisation,
  country, quote and the location to source spans, applying the drop rules, and finding the
  date expressions that support ``event_date``;
* the per-article quote check before the re-ask decision (``pipeline._verbatim_quotes``).

The stem memo is cleared before each round, so every round pays what the first briefing of
a process pays. Reported: median and 95th percentile per briefing, against the cached briefing's total time
(one run, same process: compare ratios, the machine is shared).
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from summariser import Settings, summarise
from summariser.brief import pipeline
from summariser.brief.grounding.search import Grounder
from summariser.schemas import Article
from summariser.text import normalise

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pick_article(dataset: Path, words: int) -> tuple[str, str]:
    """The (id, text) of the dataset article whose word count is closest to ``words``."""
    rows = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    best = min(rows, key=lambda r: (abs(len(r["article"].split()) - words), r["id"]))
    return best["id"], best["article"]


def capture(sources: list[Any], settings: Settings) -> tuple[dict[str, Any], float]:
    """Brief ``sources`` once; return what the pipeline passed to grounding, and the briefing time."""
    seen: dict[str, Any] = {}
    real_check = pipeline.check

    def spy(body: Any, grounder: Grounder, **kwargs: Any) -> Any:
        seen.update(body=copy.deepcopy(body), articles=grounder.articles, kwargs=kwargs)
        return real_check(body, grounder, **kwargs)

    pipeline.check = spy  # type: ignore[assignment]
    try:
        summarise(sources, settings=settings)  # fills the cache on the first run
        start = time.perf_counter()
        briefing = summarise(sources, settings=settings)
        total = time.perf_counter() - start
    finally:
        pipeline.check = real_check
    assert briefing.meta is not None and briefing.meta.usage.cache_hits == briefing.meta.usage.requests
    dropped = briefing.grounding.dropped if briefing.grounding else []
    seen["quotes"] = [q.text for q in briefing.quotes] + [d.item for d in dropped if d.field == "quotes"]
    return seen, total


def ground_once(seen: dict[str, Any]) -> tuple[float, int]:
    """One full grounding pass; returns (seconds, items aligned)."""
    body = copy.deepcopy(seen["body"])
    articles: list[Article] = seen["articles"]
    normalise.stem.cache_clear()  # cold: as for the first briefing of a process
    start = time.perf_counter()
    for article in articles:  # the per-article verbatim check that decides the re-ask
        part = Grounder([Article(id="part", text=article.text)])
        for text in seen["quotes"]:
            part.quote(text)
    _, report = pipeline.check(body, Grounder(articles), **seen["kwargs"])
    elapsed = time.perf_counter() - start
    items = sum(c.exact + c.normalised + c.fuzzy + c.none for c in report.counts.values())
    return elapsed, items


def main() -> int:
    """Run the benchmark and print (and optionally write) a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=SHARED / "eval-data" / "frank_cnndm_dev.jsonl")
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--model", default="local:qwen2.5-1.5b")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.dataset.exists():
        print(f"error: {args.dataset} not found; pass --dataset", file=sys.stderr)
        return 2
    settings = Settings(model=args.model)
    art_id, text = pick_article(args.dataset, args.words)
    cases = [(f"FRANK `{art_id[:16]}…` ({len(text.split())} words, 1 article)", [text])]
    seeds = sorted((SHARED / "seeds").glob("00[03]_*.txt"))
    if len(seeds) == 2:
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in seeds)
        cases.append((f"seeds 000 + 003 merged ({words} words, 2 articles)", seeds))
    rows = []
    for label, sources in cases:
        seen, cached_s = capture(sources, settings)
        times, items = [], 0
        for _ in range(args.rounds):
            elapsed, items = ground_once(seen)
            times.append(elapsed)
        times.sort()
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        rows.append(
            f"| {label} | {items} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms "
            f"| {cached_s * 1000:.0f} ms | {median / cached_s:.0%} |"
        )
    header = (
        f"bench/bench_grounding.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, model {args.model}, {args.rounds} rounds"
    )
    table = [
        "| case | items grounded | grounding, median | p95 | whole cached briefing | grounding share |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    out = "\n".join([header, "", *table]) + "\n"
    print(out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
