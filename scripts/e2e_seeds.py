"""End-to-end check on the embedded model: brief the two seed articles into one briefing.

    .venv/bin/python scripts/e2e_seeds.py [--model small] [--seeds ../shared/seeds]

Fails (exit 1) unless the briefing is schema-valid, cites both seeds, has event_date
2026-01-12, carries no page junk, and is grounded: every quote verbatim in a source, every
person named in a source, evidence from both articles, no person listed twice, every evidence
offset pointing at its quote. Reports how many of seed 003's participants it names.
Reads the seeds from ../shared (never copied into the project). Used by .ci/run so that a
broken install of llama.cpp or the weights cannot pass CI.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from summariser import Briefing, summarise
from summariser.text.names import same_person

# Seed 003 names these 17 people (read from the article by hand).
SEED_003_PEOPLE = [
    "Scott Bessent",
    "Jim Chalmers",
    "François-Philippe Champagne",
    "Valdis Dombrovskis",
    "Roland Lescure",
    "Lars Klingbeil",
    "Giancarlo Giorgetti",
    "Rachel Reeves",
    "Satsuki Katayama",
    "Yun-Cheol Koo",
    "Ashwini Vaishnaw",
    "Edgar Amador Zamora",
    "Jamieson Greer",
    "John Jovanovic",
    "Jay Horine",
    "Mark Carney",
    "Doug Ford",
]
JUNK = ("Related Articles", "Back to top", "not a recommendation", "holds no licenses", "Forex")


def grounding_problems(briefing: Briefing) -> list[str]:
    """What is wrong with the briefing's grounding (empty when every rule holds)."""
    texts = {s.doc_id: s.text or "" for s in briefing.sources}
    problems = []
    for quote in briefing.quotes:
        if not any(e.match in ("exact", "normalised") for e in quote.evidence):
            problems.append(f"quote not verbatim in a source: {quote.text!r}")
    for person in briefing.people:
        if not person.evidence:
            problems.append(f"person named in no source: {person.name}")
    for i, a in enumerate(briefing.people):
        problems += [
            f"person listed twice: {a.name} / {b.name}" for b in briefing.people[i + 1 :] if same_person(a.name, b.name)
        ]
    items = [*briefing.summary, *briefing.people, *briefing.organisations, *briefing.quotes, *briefing.implications]
    cited = {e.doc_id for item in items for e in item.evidence}
    if cited != set(texts):
        problems.append(f"evidence cites {len(cited)} of {len(texts)} sources")
    bad = [e for item in items for e in item.evidence if texts.get(e.doc_id, "")[e.start : e.end] != e.quote]
    problems += [f"evidence offsets do not point at {e.quote!r}" for e in bad[:3]]
    if briefing.grounding is None:
        problems.append("no grounding report")
    return problems


def main() -> int:
    """Run the check and print a one-line verdict plus the briefing's key figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "seeds")
    parser.add_argument("--min-people", type=int, default=0, help="fail below this many of the 17 people")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    if len(seeds) != 2:
        print(f"error: expected the two seed articles in {args.seeds}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    briefing = summarise(seeds, model=args.model)
    seconds = time.perf_counter() - start
    Briefing.model_validate_json(briefing.model_dump_json())  # round-trips through the schema
    if args.out:
        args.out.write_text(briefing.model_dump_json(indent=2))
    found = [p for p in SEED_003_PEOPLE if any(same_person(p, q.name) for q in briefing.people)]
    text = " ".join([briefing.headline, *(s.text for s in briefing.summary)]).lower()
    problems = []
    if str(briefing.event_date) != "2026-01-12":
        problems.append(f"event_date is {briefing.event_date}, expected 2026-01-12")
    if len(briefing.sources) != 2:
        problems.append(f"{len(briefing.sources)} sources, expected 2")
    problems += [f"page junk {j!r} in the summary" for j in JUNK if j.lower() in text]
    problems += grounding_problems(briefing)
    if len(found) < args.min_people:
        problems.append(f"only {len(found)}/17 people of seed 003 named")
    usage = briefing.meta.usage if briefing.meta else None
    print(
        json.dumps(
            {
                "model": briefing.meta.model if briefing.meta else None,
                "seconds": round(seconds, 1),
                "event_date": str(briefing.event_date),
                "people_of_seed_003_named": f"{len(found)}/17",
                "missing": [p for p in SEED_003_PEOPLE if p not in found],
                "people_total": len(briefing.people),
                "quotes": len(briefing.quotes),
                "grounding_rate": round(briefing.grounding.rate, 3) if briefing.grounding else None,
                "dropped": [f"{d.field}: {d.item} ({d.reason})" for d in briefing.grounding.dropped]
                if briefing.grounding
                else None,
                "conflicts": len(briefing.conflicts),
                "usage": usage.model_dump() if usage else None,
                "headline": briefing.headline,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    if problems:
        print("FAIL: " + "; ".join(problems), file=sys.stderr)
        return 1
    print("OK: schema-valid merged briefing of both seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
