"""Entity gold errors: brief the articles of ``gold/frank-entities/`` and list, per article and type, what
the briefing adds (extra) and misses (missing), with the per-type precision / recall / F1.

    .venv/bin/python bench/bench_entities.py [--cache DIR] [--fields people,organisations]

The figures are those of `bench_quality.py`'s entity rows (the same `summarise`, the same scorer), for
the current package only, with a response cache that is kept (``--cache``): after a change that alters
no request (a rule applied after the model's answer), a second run answers from it in seconds. It is a
tool for working on the typing rules; the before/after table of record is bench_quality's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summariser.brief.pipeline import summarise
from summariser.config import Settings
from summariser.evaluation.dataset import read_dataset
from summariser.evaluation.gold.sets import evaluate, load_gold, read_sources_map
from summariser.ingest.read import make_article
from summariser.output.render import to_json

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold" / "frank-entities"
DATASET = ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"
FIELDS = ("people", "organisations", "places", "countries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/summariser-bench-entities"), metavar="DIR")
    parser.add_argument("--fields", default=",".join(FIELDS), help="comma-separated fields to list")
    args = parser.parse_args()
    gold = load_gold(GOLD)
    ids = {name: paths[0].name.rpartition("#")[2] for name, paths in read_sources_map(GOLD, required=True).items()}
    rows = {row.id: row for row in read_dataset(DATASET)}
    settings = Settings(cache="on", cache_dir=args.cache)
    predictions = {g.name: to_json(summarise(make_article(rows[ids[g.name]].article), settings=settings)).encode()
                   for g in gold}  # fmt: skip
    report = evaluate(GOLD, predictions, gold).model_dump(mode="json")
    fields = [f for f in args.fields.split(",") if f in FIELDS]
    for briefing in report["briefings"]:
        lines = [f"  {f}: +{s['extra']} -{s['missing']}" for f in fields
                 if (s := briefing["lists"][f])["extra"] or s["missing"]]  # fmt: skip
        if lines:
            print(briefing["name"], *lines, sep="\n")
    print("\n| type | P | R | F1 |\n|---|---|---|---|")
    for f in FIELDS:
        s = report["lists"][f]
        print(f"| {f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")


if __name__ == "__main__":
    main()
