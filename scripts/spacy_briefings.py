"""Briefings whose entity fields are spaCy's alone, one per FRANK dev article: drafts for entity gold.

    .venv/bin/python scripts/spacy_briefings.py OUT/ [--articles 40] [--dataset PATH]

Each of the first ``--articles`` articles of the FRANK dev set (``../shared/eval-data/``, read in
place, never copied) becomes ``OUT/frank_NN.json``: `summariser.evaluation.ner_baseline`'s
briefing, its source named ``DATASET#ID`` so that ``summariser gold init OUT/ GOLD/`` writes the
``sources.yaml`` line that finds the article again. The drafts are then corrected item by item
against the text (docs/evaluation.md, "An entity gold set").
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from summariser.atomic import write_atomic
from summariser.evaluation.dataset import read_dataset
from summariser.evaluation.ner_baseline import spacy_briefing
from summariser.ingest.read import load_sources
from summariser.output.render import to_json

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--dataset", type=Path, default=DATASET)
    args = parser.parse_args(argv)
    dataset = Path(os.path.relpath(args.dataset, Path.cwd()))
    for n, row in enumerate(read_dataset(args.dataset, limit=args.articles), start=1):
        (article,) = load_sources([f"{dataset}#{row.id}"])
        write_atomic(args.out / f"frank_{n:02d}.json", to_json(spacy_briefing(article)))
    print(f"wrote {args.articles} briefings to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
