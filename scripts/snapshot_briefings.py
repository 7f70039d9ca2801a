"""Write the briefings of the seeds and the first N FRANK dev articles to a folder, for a refactor check.

Uses only the public API (`summarise`, `Settings`), so the same script runs before and after
a change to the package's insides. Run it once on the old code with a fresh cache (the model
really runs), once more on the old code (every answer from cache: the reference snapshot),
then on the new code with the same cache: the two snapshots must be byte-identical, and
``requests == cache_hits`` in every briefing shows that no prompt or schema changed.

    .venv/bin/python scripts/snapshot_briefings.py --cache /tmp/snap-cache --out /tmp/before
    .venv/bin/python scripts/snapshot_briefings.py --cache /tmp/snap-cache --out /tmp/before
    ... change the code ...
    .venv/bin/python scripts/snapshot_briefings.py --cache /tmp/snap-cache --out /tmp/after
    diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from summariser import Settings, SummariserError, summarise

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SUMMARISER_SHARED", ROOT.parent / "shared"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="response cache folder (reused between runs)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the briefing JSON files")
    parser.add_argument("--frank", type=int, default=10, help="how many FRANK dev articles (default 10)")
    parser.add_argument("--model", default=None, help="model string (default: the embedded default)")
    args = parser.parse_args(argv)
    settings = Settings(model=args.model, cache="on", cache_dir=args.cache)
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    jobs: list[tuple[str, list[str | Path]]] = [(p.stem, [p]) for p in seeds]
    jobs.append(("seeds-merged", list(seeds)))
    with (SHARED / "eval-data" / "frank_cnndm_dev.jsonl").open(encoding="utf-8") as handle:
        for _, line in zip(range(args.frank), handle, strict=False):
            row = json.loads(line)
            jobs.append((row["id"], [row["article"]]))
    misses = 0
    for name, sources in jobs:
        try:
            text = summarise(sources, settings=settings).model_dump_json(indent=2)
        except SummariserError as err:
            text = f"{type(err).__name__}: {err.message}\n"
        else:
            usage = json.loads(text)["meta"]["usage"]
            misses += usage["requests"] - usage["cache_hits"]
        (args.out / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"{name}: {len(text)} chars", file=sys.stderr, flush=True)
    print(f"{len(jobs)} briefings, {misses} requests not answered from cache", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
